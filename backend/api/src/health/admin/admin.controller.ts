import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Post,
  Put,
  UseGuards,
} from '@nestjs/common';
import { ApiBody, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { AdminStatus, ReconcileStarted, ReconcileStatus } from '@scanner/contracts';
import type { EngineConfig, EngineConfigOverrides } from '@scanner/signal-core';
import { AdminKeyGuard } from '../../common';
import { AppConfig } from '../../config';
import { RequestWeightBudget } from '../../market-data';
import { JobQueue } from '../../scheduler';
import {
  EngineConfigService,
  ReconcileService,
  ScannerPauseService,
  ScanRunRecorder,
} from '../../signal-engine';

/** Operator control of the scanner (DESIGN §8): status, scan now, pause and resume. */
@ApiTags('admin')
@ApiSecurity('admin')
@UseGuards(AdminKeyGuard)
@Controller('admin')
export class AdminController {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly runs: ScanRunRecorder,
    private readonly jobs: JobQueue,
    private readonly pause: ScannerPauseService,
    private readonly budget: RequestWeightBudget,
    private readonly engineConfig: EngineConfigService,
    private readonly reconciliation: ReconcileService,
  ) {}

  @Get('status')
  @ApiOperation({ summary: 'Queue counts, last scans, request weight used this minute, pause state.' })
  async status(): Promise<AdminStatus> {
    const [queues, pause, weight, lastScans] = await Promise.all([
      this.jobs.counts(),
      this.pause.state(),
      this.budget.status(),
      this.runs.latest(20),
    ]);
    return {
      role: this.config.role,
      jobDriver: this.jobs.driver,
      paused: pause.paused,
      pausedSince: pause.since,
      queues,
      lastScans,
      weight: {
        usedThisMinute: weight.usedThisMinute,
        limit: weight.limit,
        exchangeLimit: weight.exchangeLimit,
        pausedUntil: weight.pausedUntil,
        rejections: weight.rejections,
      },
      serverTime: new Date().toISOString(),
    };
  }

  @Get('config')
  @ApiOperation({
    summary: 'The engine thresholds in force (weights, minConfidence, ATR multiples, expiry, …).',
  })
  engineSettings(): Promise<EngineConfig> {
    return this.engineConfig.get();
  }

  @Put('config')
  @ApiOperation({
    summary:
      'Replace the engine thresholds: the body overrides the defaults; validated (400 naming each bad field).',
  })
  @ApiBody({ schema: { type: 'object', example: { minConfidence: 75, expiryCandles: 12 } } })
  updateConfig(@Body() body: unknown): Promise<EngineConfig> {
    // The shape of the request only; the settings themselves are validated by the engine config
    // (InvalidEngineConfigError, a 400 naming each bad field through the exception filter).
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new BadRequestException(
        'The body must be a JSON object of engine settings, e.g. {"minConfidence": 75}',
      );
    }
    return this.engineConfig.set(body as EngineConfigOverrides);
  }

  @Post('scan')
  @HttpCode(202)
  @ApiOperation({ summary: 'Enqueue a market scan now (runs even while paused).' })
  async scanNow(): Promise<{ enqueued: boolean; tick: string }> {
    const tick = new Date().toISOString();
    const enqueued = await this.jobs.enqueue(
      'scan-market',
      { tick, trigger: 'admin' },
      { jobId: `scan-market:admin:${tick}` },
    );
    return { enqueued, tick };
  }

  @Post('scanner/pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pause scanning: cron keeps ticking, scheduled scans are skipped and say so.' })
  async pauseScanner(): Promise<{ paused: boolean; since: string | null }> {
    return this.pause.set(true, new Date());
  }

  @Post('scanner/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume scheduled scans.' })
  async resumeScanner(): Promise<{ paused: boolean; since: string | null }> {
    return this.pause.set(false, new Date());
  }

  @Post('reconcile')
  @HttpCode(202)
  @ApiOperation({
    summary:
      "Start a reconciliation now: replay every series' stored candles through the engine and compare with the stored signals.",
  })
  async reconcileNow(): Promise<ReconcileStarted> {
    const tick = new Date().toISOString();
    const enqueued = await this.jobs.enqueue(
      'reconcile',
      { tick, trigger: 'admin' },
      { jobId: `reconcile:admin:${tick}` },
    );
    return { enqueued, tick };
  }

  @Get('reconcile')
  @ApiOperation({ summary: 'The last reconciliation (running or finished), null before the first.' })
  async reconcileStatus(): Promise<ReconcileStatus> {
    return { last: await this.reconciliation.last() };
  }
}
