import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import {
  MARKET_TICK_MAX_CELLS,
  type MarketMatrixCell,
  type MarketMatrixSnapshot,
  type MarketMatrixTick,
} from '@scanner/contracts';
import {
  cellKey,
  EngineStateListener,
  layout,
  MarketMatrixService,
  matrixCell,
  sameCell,
  type MatrixStateRow,
} from '../signal-engine';

/**
 * Steps (a check of the stored engine states) are woken by `LISTEN engine_states`, at most once per
 * this interval: a close instant that saves hundreds of states costs one or two steps, not hundreds.
 */
export const MATRIX_MIN_STEP_MS = 1_000;
/**
 * The slow safety refresh while someone watches: bounds the delay of a lost notification, of an engine
 * config activated (its cache: 3 s) and of a universe change (re-read every UNIVERSE_CHECK_MS).
 */
export const MATRIX_SAFETY_REFRESH_MS = 5_000;
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
 * engine states (written by whichever process evaluated a candle) by a check of their revisions when
 * `engine_states` notifies a write (any process's, at most one check per MATRIX_MIN_STEP_MS) and every
 * MATRIX_SAFETY_REFRESH_MS, while at least one socket is subscribed; a change of a state, of the engine
 * config or of the universe becomes `market.tick` events carrying only the cells that changed (at most
 * MARKET_TICK_MAX_CELLS each). Steps never overlap, and a subscription's snapshot is taken between two
 * steps, so a subscriber gets every tick after its snapshot exactly once.
 */
@Injectable()
export class MarketMatrixFeed implements OnApplicationBootstrap, OnModuleDestroy {
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
  private wakeTimer: NodeJS.Timeout | null = null;
  private lastPollAt = Number.NEGATIVE_INFINITY;
  private stopped = false;
  private output: FeedOutput | null = null;

  constructor(
    private readonly matrix: MarketMatrixService,
    private readonly listener: EngineStateListener,
  ) {}

  /** Starts the safety refresh, sending ticks to `output`. */
  bind(output: FeedOutput, safetyRefreshMs = MATRIX_SAFETY_REFRESH_MS): void {
    this.output = output;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = setInterval(() => void this.poll().catch(() => undefined), safetyRefreshMs);
    this.timer.unref();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listener.start(() => this.wake());
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    if (this.wakeTimer !== null) clearTimeout(this.wakeTimer);
    this.timer = null;
    this.wakeTimer = null;
    await this.listener.stop();
  }

  /**
   * Engine states were written somewhere: a check as soon as the last one is MATRIX_MIN_STEP_MS old
   * (wake-ups until then are the same check). Nothing is read while nobody is subscribed.
   */
  wake(): void {
    if (this.stopped || this.wakeTimer !== null || (this.output?.subscribers() ?? 0) === 0) return;
    const delay = Math.max(0, this.lastPollAt + MATRIX_MIN_STEP_MS - Date.now());
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = null;
      void this.poll().catch(() => undefined);
    }, delay);
    this.wakeTimer.unref();
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

  /** One check (a wake-up's or the safety refresh's): nothing while nobody is subscribed. */
  poll(): Promise<void> {
    return this.serialized(async () => {
      if ((this.output?.subscribers() ?? 0) === 0) {
        // Nobody watches: the next subscriber starts from a full read.
        this.loaded = false;
        return;
      }
      // Taken as the step starts: a write notified after this is read by the next step.
      this.lastPollAt = Date.now();
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
