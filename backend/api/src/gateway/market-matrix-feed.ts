import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import {
  MARKET_TICK_MAX_CELLS,
  type MarketMatrixCell,
  type MarketMatrixSnapshot,
  type MarketMatrixTick,
} from '@scanner/contracts';
import {
  cellKey,
  layout,
  MarketMatrixService,
  matrixCell,
  sameCell,
  type MatrixStateRow,
} from '../signal-engine';

/** How often the stored engine states are checked for changes while someone watches the matrix. */
export const MATRIX_POLL_MS = 1_000;
/** How often the universe is re-read (it changes every 15 minutes at most). */
const UNIVERSE_CHECK_MS = 15_000;
/**
 * States are re-checked this far behind the newest `updated_at` seen: `updated_at` is the writing
 * transaction's start, so a slow commit can land behind it. Revisions make the overlap free of repeats.
 */
const OVERLAP_MS = 10_000;

/** Splits changed cells into ticks of at most `max` cells. */
export function chunkCells(
  cells: readonly MarketMatrixCell[],
  max = MARKET_TICK_MAX_CELLS,
): MarketMatrixCell[][] {
  const chunks: MarketMatrixCell[][] = [];
  for (let i = 0; i < cells.length; i += max) chunks.push(cells.slice(i, i + max));
  return chunks;
}

/** The cells of `next` that are new or differ from `previous`, in `next`'s order. */
export function changedCells(
  previous: ReadonlyMap<string, MarketMatrixCell>,
  next: readonly MarketMatrixCell[],
): MarketMatrixCell[] {
  return next.filter((cell) => {
    const before = previous.get(cellKey(cell.symbol, cell.timeframe));
    return before === undefined || !sameCell(before, cell);
  });
}

interface FeedOutput {
  tick(tick: MarketMatrixTick): void;
  /** Sockets subscribed to the matrix (nothing is read while there are none). */
  subscribers(): number;
}

/**
 * The live market matrix of this api process: the cells as last sent, kept in step with the stored
 * engine states (written by whichever process evaluated a candle) by a 1 s check of their revisions
 * while at least one socket is subscribed; a change of a state, of the engine config or of the universe
 * becomes `market.tick` events carrying only the cells that changed (at most MARKET_TICK_MAX_CELLS each).
 * Steps never overlap, and a subscription's snapshot is taken between two steps, so a subscriber gets
 * every tick after its snapshot exactly once.
 */
@Injectable()
export class MarketMatrixFeed implements OnModuleDestroy {
  private readonly logger = new Logger(MarketMatrixFeed.name);
  private readonly cells = new Map<string, MarketMatrixCell>();
  private readonly revisions = new Map<string, number>();
  private symbols: string[] = [];
  private timeframes: string[] = [];
  private configKey: string | null = null;
  private cursor: Date | null = null;
  private universeCheckedAt = 0;
  private loaded = false;
  private seq = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private output: FeedOutput | null = null;

  constructor(private readonly matrix: MarketMatrixService) {}

  /** Starts the 1 s check, sending ticks to `output`. */
  bind(output: FeedOutput, pollMs = MATRIX_POLL_MS): void {
    this.output = output;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = setInterval(() => void this.poll().catch(() => undefined), pollMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * Brings the cells up to date and hands a snapshot to `deliver` before any later tick is sent
   * (`deliver` must subscribe the socket synchronously).
   */
  subscribe(deliver: (snapshot: MarketMatrixSnapshot) => void): Promise<void> {
    return this.serialized(async () => {
      await this.step();
      deliver(this.currentSnapshot());
    });
  }

  /** One check (the timer's): nothing while nobody is subscribed. */
  poll(): Promise<void> {
    return this.serialized(async () => {
      if ((this.output?.subscribers() ?? 0) === 0) {
        // Nobody watches: the next subscriber starts from a full read.
        this.loaded = false;
        return;
      }
      await this.step();
    });
  }

  private serialized(work: () => Promise<void>): Promise<void> {
    const run = this.chain.then(work).catch((error: Error) => {
      this.logger.warn(`market matrix: ${error.message}`);
      throw error;
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  private currentSnapshot(): MarketMatrixSnapshot {
    const cells: MarketMatrixCell[] = [];
    for (const symbol of this.symbols)
      for (const timeframe of this.timeframes) cells.push(this.cells.get(cellKey(symbol, timeframe))!);
    return {
      seq: this.seq,
      symbols: [...this.symbols],
      timeframes: [...this.timeframes],
      cells,
      generatedAt: new Date().toISOString(),
    };
  }

  private async step(): Promise<void> {
    const config = await this.matrix.engineConfigInForce();
    const configKey = JSON.stringify(config);
    const now = Date.now();
    let symbols = this.symbols;
    let universeChanged = false;
    if (!this.loaded || now - this.universeCheckedAt >= UNIVERSE_CHECK_MS) {
      symbols = await this.matrix.symbols();
      this.universeCheckedAt = now;
      universeChanged = symbols.join(',') !== this.symbols.join(',');
    }
    if (!this.loaded || universeChanged || configKey !== this.configKey) {
      await this.fullRead(symbols, config, configKey, universeChanged);
      return;
    }
    const since = this.cursor === null ? null : new Date(this.cursor.getTime() - OVERLAP_MS);
    const revisions = await this.matrix.revisionsSince(since, this.timeframes);
    const inUniverse = new Set(this.symbols);
    const changed = revisions.filter(
      (r) => inUniverse.has(r.symbol) && this.revisions.get(cellKey(r.symbol, r.timeframe)) !== r.revision,
    );
    for (const r of revisions) this.advanceCursor(r.updatedAt);
    if (changed.length === 0) return;
    const wanted = new Set(changed.map((r) => cellKey(r.symbol, r.timeframe)));
    const rows = (
      await this.matrix.states([...new Set(changed.map((r) => r.symbol))], this.timeframes)
    ).filter((row) => wanted.has(cellKey(row.symbol, row.timeframe)));
    const next = rows.map((row) => {
      this.noteRow(row);
      return matrixCell(row, config);
    });
    this.send(changedCells(this.cells, next));
  }

  private async fullRead(
    symbols: string[],
    config: Awaited<ReturnType<MarketMatrixService['engineConfigInForce']>>,
    configKey: string,
    universeChanged: boolean,
  ): Promise<void> {
    const timeframes = this.matrix.timeframes();
    const rows = await this.matrix.states(symbols, timeframes);
    const wasLoaded = this.loaded;
    this.revisions.clear();
    this.cursor = null;
    for (const row of rows) this.noteRow(row);
    const next = layout(symbols, timeframes, rows, config);
    const changed = wasLoaded ? changedCells(this.cells, next) : [];
    this.symbols = symbols;
    this.timeframes = timeframes;
    this.configKey = configKey;
    this.loaded = true;
    this.cells.clear();
    for (const cell of next) this.cells.set(cellKey(cell.symbol, cell.timeframe), cell);
    // Before the first read nobody has cells: the subscriber's snapshot is the whole news.
    if (wasLoaded) this.send(changed, universeChanged ? symbols : undefined);
  }

  private noteRow(row: MatrixStateRow): void {
    this.revisions.set(cellKey(row.symbol, row.timeframe), row.revision);
    this.advanceCursor(row.updatedAt);
  }

  private advanceCursor(at: Date): void {
    if (this.cursor === null || at.getTime() > this.cursor.getTime()) this.cursor = at;
  }

  private send(changed: MarketMatrixCell[], symbols?: string[]): void {
    for (const cell of changed) this.cells.set(cellKey(cell.symbol, cell.timeframe), cell);
    const output = this.output;
    if (output === null) return;
    if (changed.length === 0 && symbols === undefined) return;
    const chunks = changed.length === 0 ? [[]] : chunkCells(changed);
    chunks.forEach((cells, i) => {
      this.seq += 1;
      output.tick(
        i === 0 && symbols !== undefined ? { seq: this.seq, cells, symbols } : { seq: this.seq, cells },
      );
    });
  }
}
