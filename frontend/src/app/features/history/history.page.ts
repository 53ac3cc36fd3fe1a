import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  untracked,
} from '@angular/core';
import { Router } from '@angular/router';
import { SIGNAL_SORTS } from '@scanner/contracts';
import { MarketSymbolsStore } from '@app/core/market/market-symbols.store';
import { SignalsStore } from '@app/core/signals/signals.store';
import { CumulativeRChartComponent } from './cumulative-r-chart.component';
import {
  HISTORY_ORIGINS,
  HISTORY_STATUSES,
  HistoryFilters,
  historyFiltersToQuery,
  parseHistoryFilters,
} from './history-query';
import { HistoryStore } from './history.store';
import { HistoryTableComponent } from './history-table.component';
import { OutcomeStatsComponent } from './outcome-stats.component';
import { AblationTableComponent } from './ablation-table.component';
import { ORIGIN_LABELS, QualityHeadlineComponent } from './quality-headline.component';
import { ReliabilityChartComponent } from './reliability-chart.component';

@Component({
  selector: 'app-history-page',
  imports: [
    HistoryTableComponent,
    OutcomeStatsComponent,
    CumulativeRChartComponent,
    QualityHeadlineComponent,
    ReliabilityChartComponent,
    AblationTableComponent,
  ],
  providers: [HistoryStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './history.page.html',
  styles: `
    h1 {
      font-size: 1.4rem;
      margin: 0 0 0.75rem;
    }
    .filters {
      display: flex;
      flex-wrap: wrap;
      gap: 0.75rem 1rem;
      align-items: flex-end;
      margin-bottom: 1rem;
    }
    label {
      display: flex;
      flex-direction: column;
      gap: 0.2rem;
      font-size: 0.8rem;
      color: var(--muted);
    }
    .field {
      display: flex;
      flex-direction: column;
      gap: 0.2rem;
      font-size: 0.8rem;
    }
    .origin {
      display: inline-flex;
      font-size: 0.95rem;
      border: 1px solid var(--border);
      border-radius: 6px;
      overflow: hidden;
    }
    .origin button {
      border: 0;
      border-radius: 0;
      padding: 0.3rem 0.75rem;
    }
    .origin button + button {
      border-left: 1px solid var(--border);
    }
    .origin button[aria-pressed='true'] {
      background: var(--accent);
      color: var(--accent-text);
    }
    .origin-note {
      font-size: 0.8rem;
      margin: -0.4rem 0 0.6rem;
    }
    .more {
      margin-top: 0.75rem;
      display: flex;
      gap: 1rem;
      align-items: center;
    }
  `,
})
export class HistoryPage {
  readonly origin = input<string>();
  readonly direction = input<string>();
  readonly timeframe = input<string>();
  readonly status = input<string>();
  readonly symbol = input<string>();
  readonly sort = input<string>();

  protected readonly store = inject(HistoryStore);
  private readonly router = inject(Router);
  private readonly live = inject(SignalsStore);
  private readonly market = inject(MarketSymbolsStore);
  protected readonly statuses = HISTORY_STATUSES;
  protected readonly origins = HISTORY_ORIGINS;
  protected readonly originLabels = { live: 'Live', replay: 'Replay', all: 'All' } as const;
  protected readonly originLabel = computed(() => ORIGIN_LABELS[this.filters().origin]);
  protected readonly sorts = SIGNAL_SORTS;
  protected readonly filters = computed(
    () =>
      parseHistoryFilters({
        origin: this.origin(),
        direction: this.direction(),
        timeframe: this.timeframe(),
        status: this.status(),
        symbol: this.symbol(),
        sort: this.sort(),
      }),
    { equal: (a, b) => JSON.stringify(a) === JSON.stringify(b) },
  );
  protected readonly timeframes = computed(() => [
    ...new Set(['5m', '15m', '1h', '4h', ...this.market.timeframes()]),
  ]);

  constructor() {
    this.market.ensureLoaded();
    effect(() => {
      const filters = this.filters();
      this.live.closedEvents(); // a signal closed: its row belongs at the top
      untracked(() => this.store.setFilters(filters));
    });
  }

  protected update(change: Partial<HistoryFilters>): void {
    void this.router.navigate([], {
      queryParams: historyFiltersToQuery({ ...this.filters(), ...change }),
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
  }
  protected value(event: Event): string {
    return (event.target as HTMLInputElement | HTMLSelectElement).value;
  }
}
