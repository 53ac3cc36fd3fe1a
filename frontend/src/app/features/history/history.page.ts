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
  HISTORY_STATUSES,
  HistoryFilters,
  historyFiltersToQuery,
  parseHistoryFilters,
} from './history-query';
import { HistoryStore } from './history.store';
import { HistoryTableComponent } from './history-table.component';
import { OutcomeStatsComponent } from './outcome-stats.component';

@Component({
  selector: 'app-history-page',
  imports: [HistoryTableComponent, OutcomeStatsComponent, CumulativeRChartComponent],
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
    .more {
      margin-top: 0.75rem;
      display: flex;
      gap: 1rem;
      align-items: center;
    }
  `,
})
export class HistoryPage {
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
  protected readonly sorts = SIGNAL_SORTS;
  protected readonly filters = computed(
    () =>
      parseHistoryFilters({
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
