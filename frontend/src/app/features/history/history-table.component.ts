import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { Signal } from '@scanner/contracts';
import { MarketSymbolsStore } from '@app/core/market/market-symbols.store';
import { formatDuration } from '@app/shared/format/age-format';
import { PricePipe, RMultiplePipe } from '@app/shared/format/format.pipes';
import { STATUS_LABELS } from '@app/shared/format/outcome-labels';

type Column =
  'symbol' | 'timeframe' | 'direction' | 'status' | 'confidence' | 'netR' | 'closedAt' | 'duration';
const duration = (s: Signal) => (s.closedAt ? Date.parse(s.closedAt) - Date.parse(s.createdAt) : 0);
const KEYS: Record<Column, (s: Signal) => string | number> = {
  symbol: (s) => s.symbol,
  timeframe: (s) => s.timeframe,
  direction: (s) => s.direction,
  status: (s) => s.status,
  confidence: (s) => s.confidence,
  netR: (s) => s.netR ?? -Infinity,
  closedAt: (s) => s.closedAt ?? '',
  duration,
};

/** Closed signals; column headers sort the loaded rows (the server order comes from the Sort filter). */
@Component({
  selector: 'app-history-table',
  imports: [RouterLink, PricePipe, RMultiplePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="table-scroll">
      <table class="data-table" data-testid="history-table">
        <caption class="sr-only">
          Closed signals
        </caption>
        <thead>
          <tr>
            @for (c of columns; track c.key) {
              <th scope="col" [class.num]="c.num" [attr.aria-sort]="ariaSort(c.key)">
                <button type="button" class="sort" (click)="sortBy(c.key)">
                  {{ c.label }}{{ arrow(c.key) }}
                </button>
              </th>
            }
            <th scope="col" class="num">Entry</th>
            <th scope="col" class="num">Exit</th>
          </tr>
        </thead>
        <tbody>
          @for (s of rows(); track s.id) {
            <tr data-testid="history-row">
              <td>
                <a [routerLink]="['/signals', s.id]">{{ s.symbol }}</a>
              </td>
              <td>{{ s.timeframe }}</td>
              <td [class.long-text]="s.direction === 'LONG'" [class.short-text]="s.direction === 'SHORT'">
                {{ s.direction }}
              </td>
              <td
                data-testid="history-outcome"
                [class.long-text]="s.status === 'TP_HIT'"
                [class.short-text]="s.status === 'SL_HIT'"
              >
                {{ label(s) }}
              </td>
              <td class="num">{{ s.confidence }}</td>
              <td class="num" [title]="'gross ' + (s.outcomeR | rMultiple)">{{ s.netR | rMultiple }}</td>
              <td>{{ (s.closedAt ?? '').replace('T', ' ').slice(0, 16) }}</td>
              <td class="num">{{ lasted(s) }}</td>
              <td class="num">{{ s.entryPrice | price: decimals(s) }}</td>
              <td class="num">{{ s.exitPrice | price: decimals(s) }}</td>
            </tr>
          }
        </tbody>
      </table>
    </div>
  `,
  styles: `
    .sort {
      background: none;
      border: 0;
      padding: 0;
      color: inherit;
      font-weight: 600;
    }
  `,
})
export class HistoryTableComponent {
  readonly signals = input.required<readonly Signal[]>();
  private readonly market = inject(MarketSymbolsStore);
  protected readonly order = signal<{ column: Column; desc: boolean } | null>(null);
  protected readonly columns: { key: Column; label: string; num?: boolean }[] = [
    { key: 'symbol', label: 'Symbol' },
    { key: 'timeframe', label: 'TF' },
    { key: 'direction', label: 'Dir' },
    { key: 'status', label: 'Outcome' },
    { key: 'confidence', label: 'Conf', num: true },
    { key: 'netR', label: 'Net R', num: true },
    { key: 'closedAt', label: 'Closed (UTC)' },
    { key: 'duration', label: 'Lasted', num: true },
  ];
  protected readonly rows = computed(() => {
    const order = this.order();
    if (!order) return this.signals();
    const key = KEYS[order.column];
    const sign = order.desc ? -1 : 1;
    return [...this.signals()].sort((a, b) => {
      const x = key(a),
        y = key(b);
      return (x < y ? -1 : x > y ? 1 : 0) * sign;
    });
  });

  protected sortBy(column: Column): void {
    const current = this.order();
    this.order.set({ column, desc: current?.column === column ? !current.desc : column !== 'symbol' });
  }
  protected arrow(column: Column): string {
    const o = this.order();
    return o?.column === column ? (o.desc ? ' ▼' : ' ▲') : '';
  }
  protected ariaSort(column: Column): string | null {
    const o = this.order();
    return o?.column === column ? (o.desc ? 'descending' : 'ascending') : null;
  }
  protected label(s: Signal): string {
    return STATUS_LABELS[s.status];
  }
  protected lasted(s: Signal): string {
    return s.closedAt ? formatDuration(duration(s)) : '—';
  }
  protected decimals(s: Signal): number {
    return this.market.decimals(s.symbol, s.entryPrice);
  }
}
