import { runBacktest, type BacktestResult, type Candle, type EngineConfig } from '@scanner/signal-core';
import { BacktestThreadPool, defaultThreads } from '@scanner/signal-core/node';

/** One chunk of a replay: series of one timeframe (by symbol), with the stored 1m candles of each. */
export interface ReplayChunk {
  readonly timeframe: string;
  readonly candles: Readonly<Record<string, readonly Candle[]>>;
  readonly fineCandles: Readonly<Record<string, readonly Candle[]>>;
}

/**
 * The replay's worker threads in this process (signal-core's BacktestThreadPool): started on the first
 * chunk, kept for the next ones, closed with the module. A chunk is loaded into the workers once and
 * replayed with each configuration (the A/B sides); chunks of concurrent replays take turns. With one
 * thread the chunk is replayed in the calling thread with runBacktest (the same result).
 */
export class ReplayThreads {
  readonly threads: number;
  private pool: BacktestThreadPool | null = null;
  private turn: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(threads: number | null) {
    this.threads = threads ?? defaultThreads();
    if (!Number.isInteger(this.threads) || this.threads < 1)
      throw new RangeError(`replay threads must be an integer >= 1, got ${threads}`);
  }

  /** The chunk's series replayed with each configuration, in order: runBacktest's results. */
  replay(chunk: ReplayChunk, configs: readonly EngineConfig[]): Promise<BacktestResult[]> {
    const run = this.turn.then(() => this.replayNow(chunk, configs));
    this.turn = run.catch(() => undefined);
    return run;
  }

  private async replayNow(chunk: ReplayChunk, configs: readonly EngineConfig[]): Promise<BacktestResult[]> {
    if (this.closed) throw new Error('the replay threads are closed');
    const options = { timeframe: chunk.timeframe, fineCandles: chunk.fineCandles };
    if (this.threads === 1) return configs.map((config) => runBacktest(chunk.candles, config, options));
    const pool = (this.pool ??= new BacktestThreadPool(this.threads));
    try {
      await pool.load(chunk.candles, chunk.fineCandles);
      const results: BacktestResult[] = [];
      for (const config of configs) results.push(await pool.replay(config, { timeframe: chunk.timeframe }));
      return results;
    } catch (error) {
      // A worker that failed may have left the pool unusable: the next chunk starts a new one.
      this.pool = null;
      await pool.close().catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.turn;
    const pool = this.pool;
    this.pool = null;
    await pool?.close();
  }
}
