import { BadRequestException, Body, Controller, Get, HttpCode, Inject, Post, Put, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AdminStatus, ScanRunSummary } from '@scanner/contracts';
import { InvalidEngineConfigError, type EngineConfig, type EngineConfigOverrides } from '@scanner/signal-core';
import { DataSource } from 'typeorm';
import { AdminKeyGuard } from '../common/admin-key.guard';
import { AppConfig } from '../config/app-config';
import { RequestWeightBudget } from '../market-data/request-weight-budget';
import { EngineConfigService } from '../signal-engine/engine-config.service';
import { JobQueue } from './job-queue';
import { ScannerPauseService } from './scanner-pause.service';

interface ScanRunRow {
  id: string;
  trigger: string;
  status: string;
  started_at: Date;
  finished_at: Date | null;
  duration_ms: number | null;
  symbols: number;
  candles_fetched: number;
  signals_changed: number;
  errors: unknown[];
}

/** Operator control of the scanner (DESIGN §8): status, scan now, pause and resume. */
@ApiTags('admin')
@ApiSecurity('admin')
@UseGuards(AdminKeyGuard)
@Controller('admin')
export class AdminController {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobQueue,
    private readonly pause: ScannerPauseService,
    private readonly budget: RequestWeightBudget,
    private readonly engineConfig: EngineConfigService,
  ) {}

  @Get('status')
  @ApiOperation({ summary: 'Queue counts, last scans, request weight used this minute, pause state.' })
  async status(): Promise<AdminStatus> {
    const [queues, pause, weight, rows] = await Promise.all([
      this.jobs.counts(),
      this.pause.state(),
      this.budget.status(),
      this.dataSource.query(`SELECT * FROM scan_runs ORDER BY started_at DESC LIMIT 20`) as Promise<ScanRunRow[]>,
    ]);
    return {
      role: this.config.role,
      jobDriver: this.jobs.driver,
      paused: pause.paused,
      pausedSince: pause.since,
      queues,
      lastScans: rows.map(toScanSummary),
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
  @ApiOperation({ summary: 'The engine thresholds in force (weights, minConfidence, ATR multiples, expiry, …).' })
  engineSettings(): Promise<EngineConfig> {
    return this.engineConfig.get();
  }

  @Put('config')
  @ApiOperation({ summary: 'Replace the engine thresholds: the body overrides the defaults; validated (400 naming each bad field).' })
  @ApiBody({ schema: { type: 'object', example: { minConfidence: 75, expiryCandles: 12 } } })
  async updateConfig(@Body() body: unknown): Promise<EngineConfig> {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new BadRequestException('The body must be a JSON object of engine settings, e.g. {"minConfidence": 75}');
    }
    try {
      return await this.engineConfig.set(body as EngineConfigOverrides);
    } catch (error) {
      if (error instanceof InvalidEngineConfigError) {
        throw new BadRequestException(error.issues.map((issue) => `${issue.field}: ${issue.message}`));
      }
      throw error;
    }
  }

  @Post('scan')
  @HttpCode(202)
  @ApiOperation({ summary: 'Enqueue a market scan now (runs even while paused).' })
  async scanNow(): Promise<{ enqueued: boolean; tick: string }> {
    const tick = new Date().toISOString();
    const enqueued = await this.jobs.enqueue('scan-market', { tick, trigger: 'admin' }, { jobId: `scan-market:admin:${tick}` });
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
}

function toScanSummary(row: ScanRunRow): ScanRunSummary {
  return {
    id: Number(row.id),
    trigger: row.trigger,
    status: row.status,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    durationMs: row.duration_ms,
    symbols: row.symbols,
    candlesFetched: row.candles_fetched,
    signalsChanged: row.signals_changed,
    errors: row.errors,
  };
}
