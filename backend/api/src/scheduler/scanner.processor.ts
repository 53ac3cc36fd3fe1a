import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config';
import { BinanceRequestError, ExchangeClock, MarketStreamService, UniverseService } from '../market-data';
import { OverdueSignalsService, ScanBatchService, ScannerPauseService } from '../signal-engine';
import { delayUntilExchangeClose } from './exchange-close-delay';
import { JobQueue } from './job-queue';
import { JobContext, JobPayloads, PermanentJobError } from './jobs';

/**
 * Scanner queue handlers. `scan-market` plans a scan and fans it out as `scan-batch` jobs (ids derived
 * from the tick, so a retried or duplicated tick never scans twice); `scan-batch` runs one batch (candles, engine, run record: ScanBatchService);
 * `expire-signals` sweeps overdue signals; `refresh-universe` re-picks the universe. The work lives in
 * the signal-engine and market-data services.
 */
@Injectable()
export class ScannerProcessor implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(ScannerProcessor.name);

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly jobs: JobQueue,
    private readonly scans: ScanBatchService,
    private readonly universe: UniverseService,
    private readonly pause: ScannerPauseService,
    private readonly overdue: OverdueSignalsService,
    private readonly stream: MarketStreamService,
    private readonly clock: ExchangeClock,
  ) {}

  onModuleInit(): void {
    if (!this.config.runsWorkers) return;
    this.jobs.register('scan-market', (data, context) => this.scanMarket(data, context));
    this.jobs.register('scan-batch', (data, context) => this.scanBatch(data, context));
    this.jobs.register('expire-signals', async ({ tick }) => {
      const sweep = await this.overdue.sweep();
      if (sweep.overdue > 0)
        this.logger.log(
          `expire-signals ${tick}: ${sweep.overdue} overdue, ${sweep.caughtUp} caught up, ${sweep.failed} failed`,
        );
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
      await this.jobs.enqueue(
        'refresh-universe',
        { tick: minute },
        { jobId: `refresh-universe:startup:${minute}` },
      );
    } catch (error) {
      this.logger.error(`could not schedule the startup universe refresh: ${(error as Error).message}`);
    }
  }

  private async scanMarket(
    { tick, trigger }: JobPayloads['scan-market'],
    context: JobContext,
  ): Promise<void> {
    // Paused by an operator: cron keeps ticking, the scan is skipped and recorded as such. A scan an
    // admin asks for explicitly still runs.
    if ((trigger ?? 'cron') !== 'admin' && (await this.pause.isPaused())) {
      await this.scans.skip(trigger ?? 'cron', new Date(tick), 'scanner paused by an operator');
      return;
    }
    // With MARKET_DATA_SOURCE=stream the streams deliver every close; the REST scan runs only while
    // they are not all up (down, degraded, or no holder), which is the polling fallback.
    if (
      (trigger ?? 'cron') === 'cron' &&
      this.stream.enabled &&
      (await this.stream.status())?.state === 'streaming'
    ) {
      this.logger.debug(`scan ${tick}: not needed, the streams are up`);
      return;
    }
    // A scan still running when the next tick comes is not run twice in parallel for the same symbols.
    if (await this.jobs.hasPending('scan-batch')) {
      await this.scans.skip(trigger ?? 'cron', new Date(tick), 'the previous scan is still running');
      return;
    }
    if ((trigger ?? 'cron') === 'cron') {
      // Timed on the exchange's clock: start after ITS close of the tick's minute, not the host's.
      const delay = delayUntilExchangeClose(Date.parse(tick), await this.clock.shared(), Date.now());
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    }
    const planned = await this.scans.plan(trigger ?? 'cron', new Date(tick)).catch(permanentIfRejected);
    if (planned === null) return;
    await Promise.all(
      planned.batches.map((symbols, batch) =>
        this.jobs.enqueue(
          'scan-batch',
          { tick, runId: planned.runId, batch, symbols },
          { jobId: `scan-batch:${tick}:${batch}` },
        ),
      ),
    );
    this.logger.debug(
      `scan ${tick}: run ${planned.runId}, ${planned.batches.length} batch(es) (job ${context.id})`,
    );
  }

  private async scanBatch({ runId, symbols }: JobPayloads['scan-batch'], context: JobContext): Promise<void> {
    const outcome = await this.scans.runBatch(runId, symbols);
    this.logger.debug(
      `scan run ${runId}: batch done, ${outcome.candlesFetched} new candles, ${outcome.failed} failed, ${outcome.signalsChanged} signal change(s) (job ${context.id})`,
    );
  }
}

/** A 4xx from Binance will not change on retry: fail the job for good. Everything else is retried. */
function permanentIfRejected(error: unknown): never {
  if (error instanceof BinanceRequestError) throw new PermanentJobError(error.message);
  throw error;
}
