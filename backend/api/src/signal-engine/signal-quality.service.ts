import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CalibrationReport, ConditionAblationReport, ScoringVersionScope } from '@scanner/contracts';
import { computeCalibration, splitByCondition } from '@scanner/signal-core';
import { DataSource } from 'typeorm';
import { loadClosedSignals, type ClosedSignalFilter } from './closed-signals';
import { EngineConfigService } from './engine-config.service';
import { toBucketDto, toSplitDto } from './quality.dto-mapper';
import { QualityFiguresCache } from './quality-figures-cache';
import { TargetFitService } from './target-fit.service';

/**
 * Calibration and the live condition ablation over the stored closed signals: signal-core's
 * computeCalibration and splitByCondition (the backtest's own), nothing recomputed here. The figures
 * over the closed signals are cached per filter until a signal closes (QualityFiguresCache); the fits
 * and weights in use are read per request (both cached where they live).
 */
@Injectable()
export class SignalQualityService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly fits: TargetFitService,
    private readonly engineConfig: EngineConfigService,
    private readonly cache: QualityFiguresCache,
  ) {}

  /** `GET /api/signals/calibration`: reliability buckets of confidence at creation, Brier score, rank correlation, and the pTarget fits in use. */
  async calibration(filter: ClosedSignalFilter): Promise<CalibrationReport & ScoringVersionScope> {
    const calibration = await this.cache.get('calibration', filter, async () =>
      computeCalibration(await loadClosedSignals(this.dataSource.manager, filter)),
    );
    return {
      ...this.scope(filter),
      closed: calibration.closed,
      buckets: calibration.buckets.map(toBucketDto),
      brierScore: calibration.brierScore,
      brierN: calibration.brierN,
      rankCorrelation: calibration.rankCorrelation,
      lowSample: calibration.lowSample,
      fits: await this.fits.fits(filter.timeframe),
    };
  }

  /** `GET /api/signals/ablation`: for each condition, the closed signals where it held at creation vs not. */
  async ablation(filter: ClosedSignalFilter): Promise<ConditionAblationReport> {
    const { closed, split } = await this.cache.get('ablation', filter, async () => {
      const rows = await loadClosedSignals(this.dataSource.manager, filter);
      return { closed: rows.length, split: splitByCondition(rows) };
    });
    const { weights } = await this.engineConfig.get();
    return {
      ...this.scope(filter),
      closed,
      conditions: split.map((row) => ({
        key: row.key,
        weight: weights[row.key],
        held: toSplitDto(row.held),
        notHeld: toSplitDto(row.notHeld),
      })),
    };
  }

  private scope(filter: ClosedSignalFilter) {
    return {
      timeframe: filter.timeframe ?? null,
      direction: filter.direction ?? null,
      since: filter.since?.toISOString() ?? null,
      origin: filter.origin ?? 'all',
      scoringVersion: filter.scoringVersion ?? null,
    };
  }
}
