import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config';
import {
  BinanceClient,
  CandleSyncService,
  mapWithConcurrency,
  RequestWeightBudget,
  type SeriesSyncResult,
  UniverseService,
} from '../market-data';
import { MetricsService } from '../metrics';
import { ScanRunRecorder } from './scan-runs/scan-run-recorder';
import { ScanRunError } from './scan-runs/scan-run.entity';
import { SignalScannerService } from './signal-scanner.service';
import { SymbolDeparturesService } from './symbol-departures.service';

/** A scan still `running` after this long lost its process (or its batch jobs failed for good). */
export const SCAN_ABANDONED_AFTER_MS = 10 * 60_000;
/** Engines of one batch run side by side up to this many (each persists in its own transaction). */
const ENGINE_CONCURRENCY = 8;

export interface PlannedScan {
  runId: number;
  batches: string[][];
}

export interface BatchScanResult {
  results: SeriesSyncResult[];
  candlesFetched: number;
  weightUsed: number;
  /** Series that failed, in the candle sync or in the engine. */
  failed: number;
  signalsChanged: number;
}

/**
 * A market scan from start to record, in the steps the jobs call: plan (universe → batches, a
 * scan_runs row), then each batch: sync its symbols × SCAN_TIMEFRAMES (market-data), run the engine on
 * every series that brought data, record the batch in the run. `scanNow` runs a whole scan inline
 * (tests, benchmarks).
 */
@Injectable()
export class ScanBatchService {
  private readonly logger = new Logger(ScanBatchService.name);

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly universe: UniverseService,
    private readonly candles: CandleSyncService,
    private readonly budget: RequestWeightBudget,
    private readonly client: BinanceClient,
    private readonly signals: SignalScannerService,
    private readonly runs: ScanRunRecorder,
    private readonly metrics: MetricsService,
    private readonly departures: SymbolDeparturesService,
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
  async plan(
    trigger: string,
    tick: Date | null,
    batchSize = this.config.scanBatchSize,
  ): Promise<PlannedScan | null> {
    const pausedUntil = await this.budget.pausedUntil();
    if (pausedUntil !== null) {
      await this.skip(
        trigger,
        tick,
        `Binance requests paused after a 429/418 until ${new Date(pausedUntil).toISOString()}`,
      );
      return null;
    }
    await this.runs.closeAbandoned(SCAN_ABANDONED_AFTER_MS);
    if (await this.universe.isEmpty()) await this.universe.refresh();
    // Symbols halted, delisted or gone from the universe past the grace: their signals close first
    // (a failure here is logged and retried by the next scan, never a reason not to scan).
    await this.departures.cancelDeparted().then(
      (departed) => {
        if (departed.events.length > 0)
          this.logger.warn(
            `scan ${tick?.toISOString() ?? trigger}: ${departed.events.length} signal(s) cancelled, their symbols left`,
          );
      },
      (error: unknown) =>
        this.logger.error(`cancelling the signals of departed symbols failed: ${(error as Error).message}`),
    );
    const symbols = await this.universe.symbols();
    const batches: string[][] = [];
    for (let start = 0; start < symbols.length; start += batchSize)
      batches.push(symbols.slice(start, start + batchSize));
    const series = symbols.length * this.config.scanTimeframes.length;
    const runId = await this.runs.start(trigger, tick, symbols.length, series, batches.length);
    return { runId, batches };
  }

  /**
   * Syncs one batch, runs the engine on its results, and only then records the batch as done: a run is
   * `running` until its last batch was fully processed. A failing series (candles or engine) is
   * reported in the result and the run, never thrown.
   */
  async runBatch(runId: number, symbols: readonly string[]): Promise<BatchScanResult> {
    const stopTimer = this.metrics.scanDuration.startTimer();
    const weightBefore = this.client.stats().weight;
    const results = await this.candles.sync(symbols, this.config.scanTimeframes);
    const errors: ScanRunError[] = results
      .filter((result) => result.error !== undefined)
      .map((result) => ({ symbol: result.symbol, interval: result.interval, error: result.error as string }));
    const engine = await this.runEngines(runId, results);
    errors.push(...engine.failures);
    // -1121: the exchange no longer knows the symbol; its signals close within this scan.
    const cancelled = await this.departures.cancelUnknown(results);
    errors.push(...cancelled.failures);
    engine.changes += cancelled.events.length;
    const outcome = {
      candlesFetched: results.reduce((sum, result) => sum + result.newClosed.length, 0),
      weightUsed: this.client.stats().weight - weightBefore,
      series: results.length,
      signalsChanged: engine.changes,
      errors,
    };
    await this.runs.batchDone(runId, outcome);
    stopTimer();
    this.metrics.symbolsScanned.inc(results.length);
    this.metrics.candlesFetched.inc(outcome.candlesFetched);
    if (errors.length > 0)
      this.logger.warn(
        `scan run ${runId}: ${errors.length}/${results.length} series failed, first: ${errors[0].error}`,
      );
    return {
      results,
      candlesFetched: outcome.candlesFetched,
      weightUsed: outcome.weightUsed,
      failed: errors.length,
      signalsChanged: engine.changes,
    };
  }

  /** A whole scan in this process (batches one after the other). */
  async scanNow(trigger: string): Promise<{ runId: number | null; results: SeriesSyncResult[] }> {
    const planned = await this.plan(trigger, null);
    if (planned === null) return { runId: null, results: [] };
    const results: SeriesSyncResult[] = [];
    for (const batch of planned.batches) results.push(...(await this.runBatch(planned.runId, batch)).results);
    return { runId: planned.runId, results };
  }

  /** The engine for every series that brought data; one series failing is reported, not fatal. */
  private async runEngines(
    runId: number,
    results: SeriesSyncResult[],
  ): Promise<{ changes: number; failures: ScanRunError[] }> {
    const withData = results.filter((result) => result.newClosed.length > 0 || result.openCandle !== null);
    const failures: ScanRunError[] = [];
    let changes = 0;
    await mapWithConcurrency(withData, ENGINE_CONCURRENCY, async (result) => {
      try {
        changes += (await this.signals.processSymbol(result.symbol, result.interval, result)).events.length;
      } catch (error) {
        const message = `signal engine: ${(error as Error).message}`;
        failures.push({ symbol: result.symbol, interval: result.interval, error: message });
        this.logger.error({
          msg: 'signal engine failed',
          symbol: result.symbol,
          timeframe: result.interval,
          runId,
          error: message,
        });
      }
    });
    return { changes, failures };
  }
}
