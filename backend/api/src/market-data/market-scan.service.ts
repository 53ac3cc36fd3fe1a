import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { BinanceClient } from './binance-client';
import { CandleSyncService } from './candle-sync.service';
import { SeriesSyncResult } from './market-candle';
import { RequestWeightBudget } from './request-weight-budget';
import { ScanRunError } from './scan-run.entity';
import { ScanRunRecorder } from './scan-run-recorder';
import { UniverseService } from './universe.service';

/** A scan still `running` after this long lost its process (or its batch jobs failed for good). */
export const SCAN_ABANDONED_AFTER_MS = 10 * 60_000;

export interface PlannedScan {
  runId: number;
  batches: string[][];
}

export interface BatchScanResult {
  results: SeriesSyncResult[];
  candlesFetched: number;
  weightUsed: number;
  failed: number;
}

/**
 * The work of a market scan, in the steps the jobs call: plan (universe → batches, a scan_runs row),
 * then each batch (sync candles for its symbols × SCAN_TIMEFRAMES, record the outcome). `scanNow`
 * runs a whole scan inline (admin "scan now", tests, benchmarks).
 */
@Injectable()
export class MarketScanService {
  private readonly logger = new Logger(MarketScanService.name);

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly universe: UniverseService,
    private readonly candles: CandleSyncService,
    private readonly runs: ScanRunRecorder,
    private readonly budget: RequestWeightBudget,
    private readonly client: BinanceClient,
  ) {}

  /** Records a tick that is not scanned, and why. */
  async skip(trigger: string, tick: Date | null, reason: string): Promise<void> {
    await this.runs.skipped(trigger, tick, reason);
    this.logger.warn(`scan ${tick?.toISOString() ?? trigger} skipped: ${reason}`);
  }

  /**
   * Null (and a `skipped` run) while Binance requests are paused after a 429/418. Batches have
   * SCAN_BATCH_SIZE symbols: each is a `scan-batch` job, so several workers share a scan.
   */
  async plan(trigger: string, tick: Date | null, batchSize = this.config.scanBatchSize): Promise<PlannedScan | null> {
    const pausedUntil = await this.budget.pausedUntil();
    if (pausedUntil !== null) {
      const reason = `Binance requests paused after a 429/418 until ${new Date(pausedUntil).toISOString()}`;
      await this.runs.skipped(trigger, tick, reason);
      this.logger.warn(`scan ${tick?.toISOString() ?? trigger} skipped: ${reason}`);
      return null;
    }
    await this.runs.closeAbandoned(SCAN_ABANDONED_AFTER_MS);
    if (await this.universe.isEmpty()) await this.universe.refresh();
    const symbols = await this.universe.symbols();
    const batches: string[][] = [];
    for (let start = 0; start < symbols.length; start += batchSize) batches.push(symbols.slice(start, start + batchSize));
    const runId = await this.runs.start(trigger, tick, symbols.length, symbols.length * this.config.scanTimeframes.length, batches.length);
    return { runId, batches };
  }

  /**
   * Syncs one batch, then runs `afterSync` (the signal engine) on its results, and only then records the
   * batch as done: a run is `running` until its last batch was fully processed. A failing series is
   * reported in the result and the run, never thrown.
   */
  async runBatch(runId: number, symbols: readonly string[], afterSync?: (results: SeriesSyncResult[]) => Promise<ScanRunError[]>): Promise<BatchScanResult> {
    const weightBefore = this.client.stats().weight;
    const results = await this.candles.sync(symbols, this.config.scanTimeframes);
    const errors: ScanRunError[] = results
      .filter((result) => result.error !== undefined)
      .map((result) => ({ symbol: result.symbol, interval: result.interval, error: result.error as string }));
    if (afterSync !== undefined) errors.push(...(await afterSync(results)));
    const outcome = {
      candlesFetched: results.reduce((sum, result) => sum + result.newClosed.length, 0),
      weightUsed: this.client.stats().weight - weightBefore,
      series: results.length,
      errors,
    };
    await this.runs.batchDone(runId, outcome);
    if (errors.length > 0) this.logger.warn(`scan run ${runId}: ${errors.length}/${results.length} series failed, first: ${errors[0].error}`);
    return { results, candlesFetched: outcome.candlesFetched, weightUsed: outcome.weightUsed, failed: errors.length };
  }

  /** A whole scan in this process (batches one after the other). */
  async scanNow(trigger: string): Promise<{ runId: number | null; results: SeriesSyncResult[] }> {
    const planned = await this.plan(trigger, null);
    if (planned === null) return { runId: null, results: [] };
    const results: SeriesSyncResult[] = [];
    for (const batch of planned.batches) results.push(...(await this.runBatch(planned.runId, batch)).results);
    return { runId: planned.runId, results };
  }
}
