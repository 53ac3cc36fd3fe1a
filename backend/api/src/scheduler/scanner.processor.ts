import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../health/metrics.service';
import { mapWithConcurrency } from '../market-data/map-with-concurrency';
import { MarketScanService } from '../market-data/market-scan.service';
import { ScanRunRecorder } from '../market-data/scan-run-recorder';
import { ScanRunError } from '../market-data/scan-run.entity';
import { BinanceRequestError } from '../market-data/market-data.errors';
import { UniverseService } from '../market-data/universe.service';
import { SignalScannerService } from '../signal-engine/signal-scanner.service';
import { JobQueue } from './job-queue';
import { JobContext, JobPayloads, PermanentJobError } from './jobs';
import { OverdueSignalsService } from './overdue-signals.service';
import { ScannerPauseService } from './scanner-pause.service';

/** Engines of one batch run side by side up to this many (each persists in its own transaction). */
const ENGINE_CONCURRENCY = 8;

/**
 * Scanner queue handlers. `scan-market` plans a scan and fans it out as `scan-batch` jobs (ids derived
 * from the tick, so a retried or duplicated tick never scans twice); `scan-batch` syncs its symbols;
 * `refresh-universe` re-picks the universe. The work lives in the market-data services.
 */
@Injectable()
export class ScannerProcessor implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(ScannerProcessor.name);

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly jobs: JobQueue,
    private readonly scans: MarketScanService,
    private readonly universe: UniverseService,
    private readonly signals: SignalScannerService,
    private readonly runs: ScanRunRecorder,
    private readonly pause: ScannerPauseService,
    private readonly metrics: MetricsService,
    private readonly overdue: OverdueSignalsService,
  ) {}

  onModuleInit(): void {
    if (!this.config.runsWorkers) return;
    this.jobs.register('scan-market', (data, context) => this.scanMarket(data, context));
    this.jobs.register('scan-batch', (data, context) => this.scanBatch(data, context));
    this.jobs.register('expire-signals', async ({ tick }) => {
      const sweep = await this.overdue.sweep();
      if (sweep.overdue > 0) this.logger.log(`expire-signals ${tick}: ${sweep.overdue} overdue, ${sweep.caughtUp} caught up, ${sweep.failed} failed`);
    });
    this.jobs.register('refresh-universe', async ({ tick }) => {
      await this.universe.refresh().catch(permanentIfRejected);
      this.logger.log(`universe refreshed (tick ${tick})`);
    });
  }

  /** The universe is picked once at startup when none is stored yet (then every 15 minutes). */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.runsApi) return;
    try {
      if (!(await this.universe.isEmpty())) return;
      const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
      await this.jobs.enqueue('refresh-universe', { tick: minute }, { jobId: `refresh-universe:startup:${minute}` });
    } catch (error) {
      this.logger.error(`could not schedule the startup universe refresh: ${(error as Error).message}`);
    }
  }

  private async scanMarket({ tick, trigger }: JobPayloads['scan-market'], context: JobContext): Promise<void> {
    // Paused by an operator: cron keeps ticking, the scan is skipped and recorded as such. A scan an
    // admin asks for explicitly still runs.
    if ((trigger ?? 'cron') !== 'admin' && (await this.pause.isPaused())) {
      await this.scans.skip(trigger ?? 'cron', new Date(tick), 'scanner paused by an operator');
      return;
    }
    // A scan still running when the next tick comes is not run twice in parallel for the same symbols.
    if (await this.jobs.hasPending('scan-batch')) {
      await this.scans.skip(trigger ?? 'cron', new Date(tick), 'the previous scan is still running');
      return;
    }
    const planned = await this.scans.plan(trigger ?? 'cron', new Date(tick)).catch(permanentIfRejected);
    if (planned === null) return;
    await Promise.all(
      planned.batches.map((symbols, batch) =>
        this.jobs.enqueue('scan-batch', { tick, runId: planned.runId, batch, symbols }, { jobId: `scan-batch:${tick}:${batch}` }),
      ),
    );
    this.logger.debug(`scan ${tick}: run ${planned.runId}, ${planned.batches.length} batch(es) (job ${context.id})`);
  }

  /** Candles for the batch, then the engine for every series that brought data; one symbol failing is reported, not fatal. */
  private async scanBatch({ runId, symbols }: JobPayloads['scan-batch'], context: JobContext): Promise<void> {
    const stopTimer = this.metrics.scanDuration.startTimer();
    let changes = 0;
    const outcome = await this.scans.runBatch(runId, symbols, async (results) => {
      const withData = results.filter((result) => result.newClosed.length > 0 || result.openCandle !== null);
      const failures: ScanRunError[] = [];
      await mapWithConcurrency(withData, ENGINE_CONCURRENCY, async (result) => {
        try {
          changes += (await this.signals.processSymbol(result.symbol, result.interval, result)).events.length;
        } catch (error) {
          const message = `signal engine: ${(error as Error).message}`;
          failures.push({ symbol: result.symbol, interval: result.interval, error: message });
          this.logger.error({ msg: 'signal engine failed', symbol: result.symbol, timeframe: result.interval, runId, error: message });
        }
      });
      await this.runs.addSignalsChanged(runId, changes);
      return failures;
    });
    stopTimer();
    this.metrics.symbolsScanned.inc(outcome.results.length);
    this.metrics.candlesFetched.inc(outcome.candlesFetched);
    this.logger.debug(
      `scan run ${runId}: batch done, ${outcome.candlesFetched} new candles, ${outcome.failed} failed, ${changes} signal change(s) (job ${context.id})`,
    );
  }
}

/** A 4xx from Binance will not change on retry: fail the job for good. Everything else is retried. */
function permanentIfRejected(error: unknown): never {
  if (error instanceof BinanceRequestError) throw new PermanentJobError(error.message);
  throw error;
}
