import { DestroyRef, effect, inject, Injectable, InjectionToken, signal } from '@angular/core';
import type { MarketMatrixCell, MarketMatrixSnapshot, MarketMatrixTick } from '@scanner/contracts';
import { SignalsSocketService } from '@app/core/socket/signals-socket.service';

/** Runs `flush` once before the next paint (replaced in unit tests). */
export const MATRIX_FRAME = new InjectionToken<(flush: () => void) => void>('MATRIX_FRAME', {
  providedIn: 'root',
  factory: () => (flush) =>
    typeof requestAnimationFrame === 'function'
      ? requestAnimationFrame(() => flush())
      : setTimeout(flush, 16),
});

/** Re-sorting and re-filtering on live values happens at most this often (rows must not jump under the pointer). */
export const REORDER_MS = 2_000;

export type CellListener = (cells: readonly MarketMatrixCell[]) => void;

const key = (symbol: string, timeframe: string) => `${symbol}|${timeframe}`;

/**
 * The market matrix of the page: a snapshot on subscribe (again after each reconnect), then ticks in
 * `seq` order (a hole asks for a fresh snapshot). The cells live in a plain map, not in signals: the
 * grid is told which cells changed, once per frame, and repaints only those. Signals carry what the
 * page layout reads: the symbols and timeframes (structure) and, at most every REORDER_MS, a version
 * that re-sorts and re-filters when those read live values.
 */
@Injectable()
export class MatrixStore {
  private readonly socket = inject(SignalsSocketService);
  private readonly frame = inject(MATRIX_FRAME);
  private readonly cells = new Map<string, MarketMatrixCell>();
  private readonly pending = new Map<string, MarketMatrixCell>();
  private readonly listeners = new Set<CellListener>();
  private framed = false;
  private reorderTimer: ReturnType<typeof setTimeout> | null = null;
  private seq = -1;
  private tickCount = 0;

  readonly symbols = signal<readonly string[]>([]);
  readonly timeframes = signal<readonly string[]>([]);
  /** True once a snapshot arrived. */
  readonly loaded = signal(false);
  /** Bumped (at most every REORDER_MS) after values changed. */
  readonly valuesVersion = signal(0);
  /** Ticks applied since the snapshot (updated once per frame), and the server time of the snapshot. */
  readonly ticks = signal(0);
  readonly snapshotAt = signal<string | null>(null);

  constructor() {
    const sub = this.socket.market.subscribe((message) =>
      message.kind === 'snapshot' ? this.applySnapshot(message.payload) : this.applyTick(message.payload),
    );
    // Subscribe on every (re)connect: the server forgets subscriptions with the connection.
    effect(() => {
      if (this.socket.state() === 'connected') this.socket.marketSubscribe();
    });
    inject(DestroyRef).onDestroy(() => {
      sub.unsubscribe();
      this.socket.marketUnsubscribe();
      if (this.reorderTimer !== null) clearTimeout(this.reorderTimer);
      this.listeners.clear();
    });
  }

  cell(symbol: string, timeframe: string): MarketMatrixCell | undefined {
    return this.cells.get(key(symbol, timeframe));
  }

  /** `listener` gets the cells that changed, once per frame; returns the way to stop. */
  onCells(listener: CellListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private applySnapshot(snapshot: MarketMatrixSnapshot): void {
    this.cells.clear();
    this.pending.clear();
    for (const cell of snapshot.cells) this.cells.set(key(cell.symbol, cell.timeframe), cell);
    this.seq = snapshot.seq;
    this.snapshotAt.set(snapshot.generatedAt);
    this.tickCount = 0;
    this.ticks.set(0);
    this.timeframes.set(snapshot.timeframes);
    this.symbols.set(snapshot.symbols);
    this.loaded.set(true);
    this.valuesVersion.update((v) => v + 1);
    // The grid repaints everything it shows after a structure change; listeners still hear of it.
    this.notify(snapshot.cells);
  }

  private applyTick(tick: MarketMatrixTick): void {
    if (this.seq < 0 || tick.seq <= this.seq) return;
    if (tick.seq !== this.seq + 1) {
      // A tick went missing: start over from a snapshot.
      this.seq = -1;
      this.socket.marketSubscribe();
      return;
    }
    this.seq = tick.seq;
    if (tick.symbols !== undefined) {
      const kept = new Set(tick.symbols);
      for (const [k, cell] of this.cells) if (!kept.has(cell.symbol)) this.cells.delete(k);
      this.symbols.set(tick.symbols);
    }
    for (const cell of tick.cells) {
      const k = key(cell.symbol, cell.timeframe);
      this.cells.set(k, cell);
      this.pending.set(k, cell);
    }
    this.tickCount++;
    if (!this.framed && this.pending.size > 0) {
      this.framed = true;
      this.frame(() => this.flush());
    }
  }

  private flush(): void {
    this.framed = false;
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending.clear();
    this.notify(batch);
    this.ticks.set(this.tickCount);
    if (this.reorderTimer === null)
      this.reorderTimer = setTimeout(() => {
        this.reorderTimer = null;
        this.valuesVersion.update((v) => v + 1);
      }, REORDER_MS);
  }

  private notify(cells: readonly MarketMatrixCell[]): void {
    for (const listener of this.listeners) listener(cells);
  }
}
