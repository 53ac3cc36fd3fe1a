import { ChangeDetectionStrategy, Component, computed, inject, signal, untracked } from '@angular/core';
import { SignalsSocketService } from '@app/core/socket/signals-socket.service';
import { MatrixGridComponent } from './matrix-grid.component';
import {
  DEFAULT_FILTER,
  DEFAULT_SORT,
  readsValues,
  visibleSymbols,
  type MatrixFilter,
  type MatrixSort,
  type MatrixSortField,
} from './matrix-view';
import { MatrixStore } from './matrix.store';

const SORT_FIELDS: { value: MatrixSortField; label: string }[] = [
  { value: 'long', label: 'long confidence' },
  { value: 'short', label: 'short confidence' },
  { value: 'net', label: 'long − short' },
  { value: 'rsi', label: 'RSI' },
];

/**
 * Every universe symbol × every scanned timeframe at once (issue 17 §4): long and short confidence of
 * the last closed candle, active signal, EMA200 side and RSI, live over the socket.
 */
@Component({
  selector: 'app-matrix-page',
  imports: [MatrixGridComponent],
  providers: [MatrixStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './matrix.page.html',
  styleUrl: './matrix.page.css',
})
export class MatrixPage {
  protected readonly store = inject(MatrixStore);
  protected readonly socket = inject(SignalsSocketService);
  protected readonly sortFields = SORT_FIELDS;

  protected readonly sort = signal<MatrixSort>(DEFAULT_SORT);
  protected readonly filter = signal<MatrixFilter>(DEFAULT_FILTER);

  /** Live values change the order only every REORDER_MS, and only when sorting or filtering reads them. */
  protected readonly order = computed(() => {
    const symbols = this.store.symbols();
    const timeframes = this.store.timeframes();
    const sort = this.sort();
    const filter = this.filter();
    if (readsValues(sort, filter)) this.store.valuesVersion();
    return untracked(() =>
      visibleSymbols(symbols, timeframes, (s, tf) => this.store.cell(s, tf), sort, filter),
    );
  });

  protected readonly sortValue = computed(() => {
    const s = this.sort();
    return s.field === 'rank' || s.field === 'symbol' ? s.field : `${s.field}:${s.timeframe}`;
  });

  protected setText(text: string): void {
    this.filter.update((f) => ({ ...f, text }));
  }
  protected setActiveOnly(activeOnly: boolean): void {
    this.filter.update((f) => ({ ...f, activeOnly }));
  }
  protected setMinConfidence(value: string): void {
    const n = Number(value);
    this.filter.update((f) => ({ ...f, minConfidence: Number.isFinite(n) ? n : 0 }));
  }
  protected setSide(value: string): void {
    const side = value === 'long' || value === 'short' ? value : 'any';
    this.filter.update((f) => ({ ...f, side }));
  }
  protected setSort(value: string): void {
    if (value === 'rank' || value === 'symbol') {
      this.sort.set({ field: value, timeframe: null, descending: false });
      return;
    }
    const [field, timeframe] = value.split(':') as [MatrixSortField, string];
    this.sort.set({ field, timeframe, descending: true });
  }
  protected flipDirection(): void {
    this.sort.update((s) => ({ ...s, descending: !s.descending }));
  }
  protected reset(): void {
    this.sort.set(DEFAULT_SORT);
    this.filter.set(DEFAULT_FILTER);
  }
}
