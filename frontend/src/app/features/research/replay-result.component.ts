import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { ReplayResult, ReplaySide } from '@scanner/contracts';
import { ReliabilityChartComponent } from '@app/features/history/reliability-chart.component';
import { RMultiplePipe } from '@app/shared/format/format.pipes';
import { formatRatio } from '@app/shared/format/percent-format';
import { EquityChartComponent } from './equity-chart.component';
import { bandText, calibrationReport, comparisonRows } from './replay-view';

/** A finished replay side by side: figures, equity curves, calibration, walk-forward, Monte Carlo, differences. */
@Component({
  selector: 'app-replay-result',
  imports: [ReliabilityChartComponent, EquityChartComponent, RMultiplePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let r = result();
    <section aria-labelledby="figures-title" class="block">
      <h3 id="figures-title">Figures</h3>
      <div class="table-scroll">
        <table class="data-table" data-testid="comparison-table">
          <thead>
            <tr>
              <th scope="col"></th>
              <th scope="col" class="num">A · version {{ r.a.scoringVersion }}</th>
              <th scope="col" class="num">B · version {{ r.b.scoringVersion }}</th>
            </tr>
          </thead>
          <tbody>
            @for (row of rows(); track row.key) {
              <tr [attr.data-testid]="'row-' + row.key">
                <th scope="row">{{ row.label }}</th>
                <td class="num">
                  <span data-testid="a">{{ row.a }}</span>
                  @if (row.aNote) {
                    <small>{{ row.aNote }}</small>
                  }
                </td>
                <td class="num">
                  <span data-testid="b">{{ row.b }}</span>
                  @if (row.bNote) {
                    <small>{{ row.bNote }}</small>
                  }
                </td>
              </tr>
            }
          </tbody>
        </table>
      </div>
    </section>

    <section aria-labelledby="equity-title" class="block">
      <h3 id="equity-title">Equity curves (net R)</h3>
      <app-equity-chart
        [a]="r.a.equityR"
        [b]="r.b.equityR"
        [versionA]="r.a.scoringVersion"
        [versionB]="r.b.scoringVersion"
      />
    </section>

    @if (r.a.walkForward || r.b.walkForward) {
      <section aria-labelledby="wf-title" class="block" data-testid="walk-forward">
        <h3 id="wf-title">Walk-forward: out-of-sample only</h3>
        <p class="muted small">
          Windows of {{ spec()?.inSampleHours }} h in-sample, {{ spec()?.gapHours ?? 0 }} h gap,
          {{ spec()?.outOfSampleHours }} h out-of-sample. Only the out-of-sample signals are counted; the
          in-sample part is never reported.
        </p>
        <div class="sides">
          @for (side of sides(); track side.label) {
            @if (side.s.walkForward; as wf) {
              <div [attr.data-testid]="'wf-' + side.label">
                <h4>{{ side.label.toUpperCase() }} · version {{ side.s.scoringVersion }}</h4>
                <p>
                  Net expectancy
                  <strong data-testid="wf-expectancy">{{ wf.outOfSample.expectancy | rMultiple }}</strong>
                  <small> n={{ wf.outOfSample.closed }}</small> · total
                  {{ wf.outOfSample.totalNetR | rMultiple }} · max drawdown
                  {{ -wf.outOfSample.maxDrawdownR | rMultiple }} · win rate
                  {{ rate(wf.outOfSample.winRate) }}
                  <small>n={{ wf.outOfSample.winRateInterval.n }}</small>
                </p>
                <table class="data-table compact">
                  <thead>
                    <tr>
                      <th scope="col">Out-of-sample window (UTC)</th>
                      <th scope="col" class="num">Closed</th>
                      <th scope="col" class="num">Expectancy</th>
                      <th scope="col" class="num">Net R</th>
                    </tr>
                  </thead>
                  <tbody>
                    @for (w of wf.windows; track w.index) {
                      <tr data-testid="wf-window">
                        <td>{{ time(w.from) }} → {{ time(w.to) }}</td>
                        <td class="num">{{ w.closed }}</td>
                        <td class="num">{{ w.expectancy | rMultiple }}</td>
                        <td class="num">{{ w.totalNetR | rMultiple }}</td>
                      </tr>
                    }
                  </tbody>
                </table>
              </div>
            }
          }
        </div>
      </section>
    }

    @if (r.a.monteCarlo || r.b.monteCarlo || r.a.monteCarloNote || r.b.monteCarloNote) {
      <section aria-labelledby="mc-title" class="block" data-testid="monte-carlo">
        <h3 id="mc-title">Monte Carlo: 5 / 50 / 95% bands</h3>
        <div class="table-scroll">
          <table class="data-table">
            <thead>
              <tr>
                <th scope="col"></th>
                <th scope="col">Trades resampled</th>
                <th scope="col" class="num">Final R 5% / 50% / 95%</th>
                <th scope="col" class="num">Max drawdown 5% / 50% / 95%</th>
                <th scope="col" class="num">Ends below 0 R</th>
              </tr>
            </thead>
            <tbody>
              @for (side of sides(); track side.label) {
                <tr [attr.data-testid]="'mc-' + side.label">
                  <th scope="row">{{ side.label.toUpperCase() }} · v{{ side.s.scoringVersion }}</th>
                  @if (side.s.monteCarlo; as mc) {
                    <td>{{ mc.observedTrades }} {{ mc.trades }} · {{ mc.runs }} runs · seed {{ mc.seed }}</td>
                    <td class="num" data-testid="mc-final">
                      {{ band(mc.finalR.p5) }} / {{ band(mc.finalR.p50) }} / {{ band(mc.finalR.p95) }}
                    </td>
                    <td class="num" data-testid="mc-drawdown">
                      {{ band(-mc.maxDrawdownR.p5) }} / {{ band(-mc.maxDrawdownR.p50) }} /
                      {{ band(-mc.maxDrawdownR.p95) }}
                    </td>
                    <td class="num">{{ rate(mc.lossProbability) }}</td>
                  } @else {
                    <td colspan="4" class="muted">
                      No bands: {{ side.s.monteCarloNote ?? 'not asked for' }}.
                    </td>
                  }
                </tr>
              }
            </tbody>
          </table>
        </div>
        <p class="muted small">
          Each run draws the trades again with replacement, in a new order: the bands say what the same
          per-trade results could have given, not a forecast.
        </p>
      </section>
    }

    <section aria-labelledby="calibration-title" class="block">
      <h3 id="calibration-title">Calibration (confidence at creation vs outcome)</h3>
      <div class="sides">
        @for (side of sides(); track side.label) {
          <div [attr.data-testid]="'calibration-' + side.label">
            <h4>{{ side.label.toUpperCase() }} · version {{ side.s.scoringVersion }}</h4>
            @if (side.calibration; as report) {
              <app-reliability-chart [report]="report" />
            } @else {
              <p class="muted">
                This result was stored before replays kept calibration: start the replay again to see it.
              </p>
            }
          </div>
        }
      </div>
    </section>

    <section aria-labelledby="diff-title" class="block">
      <h3 id="diff-title">Signals that differ</h3>
      @if (r.differingTotal === 0) {
        <p class="muted" data-testid="no-differences">
          None: both versions created the same signals and each ended the same way.
        </p>
      } @else {
        <p class="muted small" data-testid="differing-total">
          {{ r.differingTotal }} signal(s) created by one version only or ending differently{{
            r.differingTotal > r.differing.length ? '; the first ' + r.differing.length + ' are listed' : ''
          }}.
        </p>
        <div class="table-scroll diff">
          <table class="data-table compact" data-testid="differing-table">
            <thead>
              <tr>
                <th scope="col">Signal</th>
                <th scope="col">Candle (UTC)</th>
                <th scope="col">A · v{{ r.a.scoringVersion }}</th>
                <th scope="col">B · v{{ r.b.scoringVersion }}</th>
              </tr>
            </thead>
            <tbody>
              @for (d of r.differing; track d.id) {
                <tr data-testid="differing-row">
                  <td>{{ d.symbol }} {{ d.timeframe }} {{ d.direction }}</td>
                  <td>{{ time(d.candleOpenTime) }}</td>
                  <td>{{ d.a === null ? 'not created' : d.a.status + ' ' + (d.a.netR | rMultiple) }}</td>
                  <td>{{ d.b === null ? 'not created' : d.b.status + ' ' + (d.b.netR | rMultiple) }}</td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      }
    </section>
  `,
  styles: `
    .block {
      margin: 1.25rem 0;
    }
    h3 {
      margin: 0 0 0.5rem;
    }
    h4 {
      margin: 0.25rem 0;
    }
    .sides {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr));
      gap: 1rem 1.5rem;
    }
    td small {
      display: block;
      color: var(--muted);
      font-size: 0.75rem;
    }
    .small {
      font-size: 0.8rem;
    }
    .diff {
      max-height: 24rem;
      overflow: auto;
    }
  `,
})
export class ReplayResultComponent {
  readonly result = input.required<ReplayResult>();
  protected readonly rows = computed(() => comparisonRows(this.result().a, this.result().b));
  protected readonly sides = computed(() => [
    // A result stored before calibration was part of it has none (`?? null`).
    { label: 'a', s: this.result().a, calibration: this.report(this.result().a) },
    { label: 'b', s: this.result().b, calibration: this.report(this.result().b) },
  ]);
  protected readonly spec = computed(
    () => this.result().a.walkForward?.spec ?? this.result().b.walkForward?.spec ?? null,
  );
  protected readonly band = bandText;

  private report(side: ReplaySide) {
    return side.calibration ? calibrationReport(side.calibration) : null;
  }

  protected rate(value: number | null): string {
    return formatRatio(value);
  }
  protected time(iso: string): string {
    return iso.slice(0, 16).replace('T', ' ');
  }
}
