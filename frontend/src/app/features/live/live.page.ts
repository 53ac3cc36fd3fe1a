import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { Router } from '@angular/router';
import { MarketSymbolsStore } from '@app/core/market/market-symbols.store';
import { SignalsStore } from '@app/core/signals/signals.store';
import { SignalsSocketService } from '@app/core/socket/signals-socket.service';
import { describeHttpError } from '@app/core/http/describe-http-error';
import { formatRatio } from '@app/shared/format/percent-format';
import { FreshnessComponent } from '@app/shared/freshness.component';
import { ClockService } from '@app/core/time/clock.service';
import { formatAge } from '@app/shared/format/age-format';
import { closedSignalsResource } from './closed-signals.resource';
import { exchangeProblem, readinessPoll } from './exchange-reachability';
import { FiltersBarComponent } from './filters-bar.component';
import { DEFAULT_FILTERS, filterAndSort, filtersToQuery, LiveFilters, parseFilters } from './live-filters';
import { SignalGridComponent } from './signal-grid.component';
import { StatCard, StatsCardsComponent } from './stats-cards.component';
import { winRate24hResource } from './win-rate.resource';

const DEFAULT_TIMEFRAMES = ['5m', '15m', '1h', '4h'];

@Component({
  selector: 'app-live-page',
  imports: [FiltersBarComponent, SignalGridComponent, StatsCardsComponent, FreshnessComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './live.page.html',
  styleUrl: './live.page.css',
})
export class LivePage {
  // Bound from the URL query (withComponentInputBinding): the URL is the filters' single source of truth.
  readonly direction = input<string>();
  readonly timeframe = input<string>();
  readonly minConfidence = input<string>();
  readonly status = input<string>();
  readonly symbol = input<string>();
  readonly sort = input<string>();

  private readonly router = inject(Router);
  protected readonly store = inject(SignalsStore);
  protected readonly socket = inject(SignalsSocketService);
  protected readonly market = inject(MarketSymbolsStore);

  protected readonly filters = computed(() =>
    parseFilters({
      direction: this.direction(),
      timeframe: this.timeframe(),
      minConfidence: this.minConfidence(),
      status: this.status(),
      symbol: this.symbol(),
      sort: this.sort(),
    }),
  );
  protected readonly live = computed(() => this.filters().status === 'ACTIVE');
  private readonly closedList = closedSignalsResource(this.filters);
  private readonly stats = winRate24hResource();
  private readonly clock = inject(ClockService);
  private readonly readiness = readinessPoll();
  /** Set while the scanner cannot reach the exchange: then no signal can appear, and the page says why. */
  protected readonly exchangeDown = computed(() => exchangeProblem(this.readiness(), this.clock.serverNow()));
  protected readonly lastExchangeSuccess = computed(() => {
    const problem = this.exchangeDown();
    return problem?.lastSuccessAt ? formatAge(problem.lastSuccessAt, this.clock.serverNow()) : null;
  });

  protected readonly shown = computed(() => {
    if (this.live()) return filterAndSort(this.store.visible(), this.filters());
    return this.closedList.hasValue() ? this.closedList.value().items : [];
  });
  protected readonly timeframes = computed(() => {
    const set = new Set([...DEFAULT_TIMEFRAMES, ...this.market.timeframes()]);
    for (const s of this.store.active().values()) set.add(s.timeframe);
    return [...set];
  });
  protected readonly closedError = computed(() => {
    const error = this.closedList.error();
    return error ? describeHttpError(error, 'closed signals') : null;
  });
  protected readonly cards = computed<StatCard[]>(() => {
    const avg = this.store.averageConfidence();
    const stats = this.stats.hasValue() ? this.stats.value() : null;
    const overall = stats?.overall;
    const winHint = this.stats.error()
      ? 'stats unavailable'
      : overall
        ? `TP/(TP+SL) = ${overall.byOutcome.TP_HIT}/${overall.byOutcome.TP_HIT + overall.byOutcome.SL_HIT} · ${
            overall.closed
          } closed${overall.lowSample ? ' · anecdotal (< 30)' : ''}`
        : 'loading…';
    return [
      {
        label: 'Active signals',
        value: this.store.loaded() ? String(this.store.activeCount()) : '—',
        testId: 'stat-active',
      },
      { label: 'Avg confidence', value: avg === null ? '—' : avg.toFixed(1), testId: 'stat-confidence' },
      {
        label: 'Updates (1 min)',
        value: String(this.store.updatesLastMinute()),
        hint: 'signal events received',
        testId: 'stat-updates',
      },
      {
        label: 'Win rate 24 h, live',
        value: formatRatio(overall?.winRate ?? null),
        hint: winHint,
        testId: 'stat-winrate',
      },
    ];
  });

  constructor() {
    this.market.ensureLoaded();
  }

  protected update(change: Partial<LiveFilters>): void {
    this.navigate({ ...this.filters(), ...change });
  }

  protected resetFilters(): void {
    this.navigate(DEFAULT_FILTERS);
  }

  private navigate(filters: LiveFilters): void {
    void this.router.navigate([], {
      queryParams: filtersToQuery(filters),
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
  }
}
