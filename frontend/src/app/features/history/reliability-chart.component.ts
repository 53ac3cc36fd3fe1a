import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  ElementRef,
  input,
  signal,
  viewChild,
} from '@angular/core';
import type { CalibrationBucketDto, CalibrationReport } from '@scanner/contracts';
import { RMultiplePipe } from '@app/shared/format/format.pipes';
import { formatInterval, formatRateValue } from '@app/shared/format/rate-format';
import { RELIABILITY_BOX, reliabilityGeometry } from './reliability-chart';

/**
 * Reliability chart: per bucket of confidence at creation, the observed P(TP before SL) with its 95%
 * Wilson interval and the bucket's count, against the dashed diagonal of a perfectly calibrated score;
 * Brier score and rank correlation beside it, the same numbers in a table below.
 */
@Component({
  selector: 'app-reliability-chart',
  imports: [RMultiplePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let r = report();
    @if (plotted() === 0) {
      <p class="muted" role="status" data-testid="reliability-empty">
        No closed signal that hit its target or its stop matches these filters yet ({{ r.closed }} closed in
        all): the chart needs at least one to say anything.
      </p>
    } @else {
      @if (r.lowSample) {
        <p class="low-sample" role="note">
          Fewer than 30 signals — anecdotal: {{ r.closed }} closed. Wide bars are honest: they say how little
          is known.
        </p>
      }
      <div class="layout">
        <figure #figure>
          <svg
            [attr.viewBox]="'0 0 ' + box().width + ' ' + box().height"
            [attr.width]="box().width"
            [attr.height]="box().height"
            role="img"
            data-testid="reliability-chart"
            [attr.aria-label]="ariaLabel()"
          >
            @let g = geometry();
            @for (t of g.yTicks; track t.label) {
              <line
                class="grid"
                [attr.x1]="g.plot.x0"
                [attr.x2]="g.plot.x1"
                [attr.y1]="t.y"
                [attr.y2]="t.y"
              />
              <text class="tick" [attr.x]="g.plot.x0 - 6" [attr.y]="t.y + 4" text-anchor="end">
                {{ t.label }}
              </text>
            }
            @for (t of g.xTicks; track t.label) {
              <line
                class="axis"
                [attr.x1]="t.x"
                [attr.x2]="t.x"
                [attr.y1]="g.plot.y0"
                [attr.y2]="g.plot.y0 + 4"
              />
              <text class="tick" [attr.x]="t.x" [attr.y]="g.plot.y0 + 16" text-anchor="middle">
                {{ t.label }}
              </text>
            }
            <line
              class="axis"
              [attr.x1]="g.plot.x0"
              [attr.x2]="g.plot.x1"
              [attr.y1]="g.plot.y0"
              [attr.y2]="g.plot.y0"
            />
            <line
              class="diagonal"
              data-testid="reliability-diagonal"
              [attr.x1]="g.diagonal.x1"
              [attr.y1]="g.diagonal.y1"
              [attr.x2]="g.diagonal.x2"
              [attr.y2]="g.diagonal.y2"
            />
            @for (m of g.marks; track m.label) {
              <g class="bucket" data-testid="reliability-bucket" [attr.data-label]="m.label">
                <title>{{ markTitle(m.bucket) }}</title>
                @if (m.y !== null) {
                  @if (m.yLow !== null && m.yHigh !== null) {
                    <line
                      class="bar"
                      [attr.x1]="m.x"
                      [attr.x2]="m.x"
                      [attr.y1]="m.yLow"
                      [attr.y2]="m.yHigh"
                    />
                    <line
                      class="bar"
                      [attr.x1]="m.x - 5"
                      [attr.x2]="m.x + 5"
                      [attr.y1]="m.yLow"
                      [attr.y2]="m.yLow"
                    />
                    <line
                      class="bar"
                      [attr.x1]="m.x - 5"
                      [attr.x2]="m.x + 5"
                      [attr.y1]="m.yHigh"
                      [attr.y2]="m.yHigh"
                    />
                  }
                  <circle
                    class="point"
                    data-testid="reliability-point"
                    [attr.cx]="m.x"
                    [attr.cy]="m.y"
                    r="5"
                  />
                }
                <text class="count" [attr.x]="m.x" [attr.y]="g.plot.y0 + 32" text-anchor="middle">
                  n={{ m.count }}
                </text>
              </g>
            }
            <text
              class="axis-label"
              [attr.x]="(g.plot.x0 + g.plot.x1) / 2"
              [attr.y]="box().height - 2"
              text-anchor="middle"
            >
              confidence at creation
            </text>
          </svg>
          <figcaption class="muted">
            Dots: observed P(TP before SL) per confidence bucket, bars: 95% Wilson interval, n: closed signals
            in the bucket. Dashed diagonal: a perfectly calibrated score (confidence 80 → 80%).
          </figcaption>
        </figure>
        <dl class="scores" data-testid="calibration-scores">
          <div>
            <dt>Brier score</dt>
            <dd data-testid="brier">{{ r.brierScore === null ? '—' : r.brierScore.toFixed(3) }}</dd>
            <dd class="muted small">
              over {{ r.brierN }} TP/SL closes · 0 is perfect, 0.25 is a coin's worth
            </dd>
          </div>
          <div>
            <dt>Rank correlation</dt>
            <dd data-testid="rank-correlation">
              {{ r.rankCorrelation === null ? '—' : r.rankCorrelation.toFixed(2) }}
            </dd>
            <dd class="muted small">
              Spearman, confidence at creation vs net R, every close · 0 = unrelated
            </dd>
          </div>
          @for (fit of r.fits; track fit.timeframe) {
            <div>
              <dt>pTarget fit {{ fit.timeframe }}</dt>
              @if (fit.note === null) {
                <dd>{{ fit.steps.length }} steps</dd>
                <dd class="muted small">from {{ fit.samples }} TP/SL closes</dd>
              } @else {
                <dd class="muted small">{{ fit.note }}</dd>
              }
            </div>
          }
        </dl>
      </div>
      <div class="table-scroll">
        <table class="data-table" data-testid="calibration-table">
          <caption class="sr-only">
            Calibration by confidence bucket
          </caption>
          <thead>
            <tr>
              <th scope="col">Confidence</th>
              <th scope="col" class="num">Closed</th>
              <th scope="col" class="num">P(TP before SL)</th>
              <th scope="col">95% interval</th>
              <th scope="col" class="num">Mean net R</th>
            </tr>
          </thead>
          <tbody>
            @for (b of r.buckets; track b.label) {
              <tr [class.anecdotal]="b.pTarget.lowSample">
                <th scope="row">{{ b.label }}</th>
                <td class="num">{{ b.count }}</td>
                <td class="num">
                  {{ rate(b) }} <small>n={{ b.pTarget.n }}</small>
                </td>
                <td class="muted">{{ interval(b) }}</td>
                <td class="num">{{ b.meanNetR | rMultiple }}</td>
              </tr>
            }
          </tbody>
        </table>
      </div>
    }
  `,
  styles: `
    .layout {
      display: flex;
      flex-wrap: wrap;
      gap: 1rem 1.5rem;
      align-items: flex-start;
    }
    figure {
      flex: 3 1 20rem;
      max-width: 48rem;
      margin: 0;
      min-width: 0;
    }
    /* Drawn at the figure's own pixel width (no scaling), so labels keep their size on a phone. */
    svg {
      display: block;
    }
    figcaption {
      font-size: 0.8rem;
    }
    .scores {
      flex: 1 1 12rem;
      display: grid;
      gap: 0.6rem;
      margin: 0;
    }
    .scores dd:not(.small) {
      font-size: 1.2rem;
      font-weight: 700;
    }
    .small {
      font-size: 0.8rem;
    }
    .grid {
      stroke: var(--border);
    }
    .axis {
      stroke: var(--muted);
    }
    .diagonal {
      stroke: var(--muted);
      stroke-dasharray: 6 5;
      stroke-width: 1.5;
    }
    .bar {
      stroke: var(--accent);
      stroke-width: 2;
    }
    .point {
      fill: var(--accent);
      stroke: var(--surface);
      stroke-width: 1.5;
    }
    .tick,
    .count,
    .axis-label {
      fill: var(--muted);
      font-size: 12px;
    }
    .low-sample {
      border-left: 3px solid var(--warn);
      padding: 0.25rem 0.6rem;
      color: var(--warn);
      margin: 0 0 0.75rem;
    }
    small {
      color: var(--muted);
    }
    .anecdotal td {
      color: var(--muted);
    }
  `,
})
export class ReliabilityChartComponent {
  readonly report = input.required<CalibrationReport>();
  private readonly figure = viewChild<ElementRef<HTMLElement>>('figure');
  private readonly width = signal(RELIABILITY_BOX.width);
  protected readonly box = computed(() => ({ ...RELIABILITY_BOX, width: Math.max(280, this.width()) }));
  protected readonly geometry = computed(() => reliabilityGeometry(this.report().buckets, this.box()));
  protected readonly plotted = computed(() => this.geometry().marks.filter((m) => m.y !== null).length);
  protected readonly ariaLabel = computed(
    () =>
      `Reliability chart: observed chance of target before stop in ${this.plotted()} confidence buckets against perfect calibration. ` +
      this.report()
        .buckets.filter((b) => b.pTarget.n > 0)
        .map((b) => `${b.label}: ${formatRateValue(b.pTarget)} of ${b.pTarget.n}`)
        .join('; '),
  );

  constructor() {
    // The figure exists only while there is something to plot: observe it whenever it is there.
    effect((onCleanup) => {
      const element = this.figure()?.nativeElement;
      if (!element || typeof ResizeObserver === 'undefined') return;
      const observer = new ResizeObserver(() => {
        if (element.clientWidth > 0) this.width.set(Math.round(element.clientWidth));
      });
      observer.observe(element);
      onCleanup(() => observer.disconnect());
    });
  }

  protected rate(b: CalibrationBucketDto): string {
    return formatRateValue(b.pTarget);
  }
  protected interval(b: CalibrationBucketDto): string {
    return formatInterval(b.pTarget) || '—';
  }
  protected markTitle(b: CalibrationBucketDto): string {
    const p = b.pTarget;
    return p.n === 0
      ? `Confidence ${b.label}: ${b.count} closed, none by target or stop`
      : `Confidence ${b.label}: P(TP before SL) ${formatRateValue(p)} (${p.successes} of ${p.n}, ${formatInterval(p)}), ${b.count} closed`;
  }
}
