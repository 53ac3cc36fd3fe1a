import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import {
  SIGNAL_STATUSES,
  type ClosedSignalStatus,
  type OriginFilter,
  type RateDto,
  type SignalStats,
} from '@scanner/contracts';
import { RMultiplePipe } from '@app/shared/format/format.pipes';
import { STATUS_LABELS } from '@app/shared/format/outcome-labels';
import {
  formatInterval,
  formatRateDetail,
  formatRateValue,
  LOW_SAMPLE,
} from '@app/shared/format/rate-format';

const CLOSED_STATUSES = SIGNAL_STATUSES.filter((s): s is ClosedSignalStatus => s !== 'ACTIVE');

export const ORIGIN_LABELS: Record<OriginFilter, string> = {
  live: 'live signals',
  replay: 'replayed history',
  all: 'live and replayed signals',
};

/**
 * The figures a trader judges the scanner by, honest by construction: expectancy is the mean net R of
 * every close (gross beside it), win rate and hit rate say what they count, each rate carries its
 * sample size and 95% Wilson interval, and a small sample says so.
 */
@Component({
  selector: 'app-quality-headline',
  imports: [RMultiplePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let o = stats().overall;
    @if (o.closed === 0) {
      <p class="muted" role="status" data-testid="headline-empty">
        No closed {{ originLabel() }} match these filters yet: these figures appear after the first close.
        @if (stats().origin === 'live') {
          Replayed history (signals re-created while the scanner warmed up) is under “Replay”.
        }
      </p>
    } @else {
      @if (o.lowSample) {
        <p class="low-sample" role="note" data-testid="low-sample">
          Fewer than {{ lowSample }} signals — anecdotal: {{ o.closed }} closed {{ originLabel() }}. Read
          every figure below as an anecdote, not a measurement.
        </p>
      }
      <dl class="headline" data-testid="headline">
        <div class="big">
          <dt>Expectancy (net, per signal)</dt>
          <dd>
            <span class="value" data-testid="expectancy-net">{{ o.expectancy | rMultiple }}</span>
            <small data-testid="expectancy-gross">gross {{ o.expectancyGross | rMultiple }}</small>
          </dd>
          <dd class="detail">mean net R of all {{ o.closed }} closes, whatever the outcome</dd>
        </div>
        <div>
          <dt>Win rate TP/(TP+SL)</dt>
          <dd class="value" data-testid="win-rate">{{ rate(o.winRateInterval) }}</dd>
          <dd class="detail" data-testid="win-rate-detail">{{ detail(o.winRateInterval) }}</dd>
        </div>
        <div>
          <dt>Hit rate TP / all closed</dt>
          <dd class="value" data-testid="hit-rate">{{ rate(o.hitRateInterval) }}</dd>
          <dd class="detail" data-testid="hit-rate-detail">{{ detail(o.hitRateInterval) }}</dd>
        </div>
        <div>
          <dt>Total net R</dt>
          <dd class="value">{{ o.totalNetR | rMultiple }}</dd>
          <dd class="detail">gross {{ o.totalGrossR | rMultiple }} · max drawdown {{ drawdown() }}</dd>
        </div>
      </dl>
      <div class="table-scroll">
        <table class="data-table shares" data-testid="outcome-shares">
          <caption>
            Share of each outcome among
            {{
              o.closed
            }}
            closed
            {{
              originLabel()
            }}
          </caption>
          <thead>
            <tr>
              <th scope="col">Outcome</th>
              <th scope="col" class="num">Count</th>
              <th scope="col" class="num">Share</th>
              <th scope="col">95% interval</th>
            </tr>
          </thead>
          <tbody>
            @for (row of shares(); track row.status) {
              <tr>
                <th scope="row">{{ row.label }}</th>
                <td class="num">{{ row.rate.successes }}</td>
                <td class="num">{{ rate(row.rate) }}</td>
                <td class="muted">{{ interval(row.rate) }}</td>
              </tr>
            }
          </tbody>
        </table>
      </div>
    }
  `,
  styles: `
    .headline {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
      gap: 0.75rem 1.25rem;
      margin: 0 0 0.75rem;
    }
    .value {
      font-size: 1.25rem;
      font-weight: 700;
    }
    .big .value {
      font-size: 1.6rem;
    }
    dd small {
      margin-left: 0.5rem;
      color: var(--muted);
      font-size: 0.85rem;
    }
    .detail {
      font-size: 0.8rem;
      color: var(--muted);
    }
    .low-sample {
      border-left: 3px solid var(--warn);
      padding: 0.25rem 0.6rem;
      color: var(--warn);
      margin: 0 0 0.75rem;
    }
    .shares {
      width: auto;
      min-width: 20rem;
    }
    caption {
      text-align: left;
      font-size: 0.8rem;
      color: var(--muted);
      padding-bottom: 0.25rem;
    }
  `,
})
export class QualityHeadlineComponent {
  readonly stats = input.required<SignalStats>();
  protected readonly lowSample = LOW_SAMPLE;
  protected readonly originLabel = computed(() => ORIGIN_LABELS[this.stats().origin] ?? 'signals');
  protected readonly shares = computed(() => {
    const shares = this.stats().overall.shares;
    return CLOSED_STATUSES.filter((status) => shares[status] !== undefined).map((status) => ({
      status,
      label: STATUS_LABELS[status],
      rate: shares[status],
    }));
  });
  /** A fall, shown as one ("−3.20R"), never as a gain. */
  protected readonly drawdown = computed(() => {
    const fall = this.stats().overall.maxDrawdownR;
    return fall > 0 ? `−${fall.toFixed(2)}R` : '0.00R';
  });
  protected rate(rate: RateDto | undefined): string {
    return formatRateValue(rate);
  }
  protected detail(rate: RateDto | undefined): string {
    return formatRateDetail(rate);
  }
  protected interval(rate: RateDto | undefined): string {
    return formatInterval(rate) || '—';
  }
}
