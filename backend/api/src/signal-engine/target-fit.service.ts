import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { SignalOrigin, TargetProbabilityFit } from '@scanner/contracts';
import {
  fitTargetProbability,
  ISOTONIC_MIN_SAMPLE,
  IsotonicModel,
  TIMEFRAME_MS,
  type Signal as DomainSignal,
} from '@scanner/signal-core';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config';
import type { ClosedSignalRow } from './closed-signals';
import { TargetFitEntity } from './entities/target-fit.entity';
import type { FitStamp } from './signal.mapper';
import { creationOrigin } from './signal-origin';

/** Another process may have refitted: the cache is re-read from target_fits at most this often. */
const RELOAD_MS = 60_000;

/** A stored fit with its model rebuilt (null while there are too few closes). */
export interface CachedFit {
  timeframe: string;
  samples: number;
  minSamples: number;
  fittedAt: Date;
  note: string | null;
  model: IsotonicModel | null;
}

/** Why a timeframe has no pTarget yet, e.g. "120 of 200 TP/SL closes on 5m so far". */
export function shortfallNote(samples: number, minSamples: number, timeframe: string): string {
  return `${samples} of ${minSamples} TP/SL closes on ${timeframe} so far`;
}

/** The fit of one timeframe over its closed signals (live and replay both count; the split is kept). */
export function fitTimeframe(
  timeframe: string,
  closed: readonly Pick<ClosedSignalRow, 'status' | 'origin' | 'initialConfidence'>[],
  fittedAt: Date,
  minSamples = ISOTONIC_MIN_SAMPLE,
): TargetFitEntity {
  const decided = closed.filter((s) => s.status === 'TP_HIT' || s.status === 'SL_HIT');
  // The fit reads the outcome and the confidence at creation only.
  const fit = fitTargetProbability(
    decided.map((s) => ({ status: s.status, initialConfidence: s.initialConfidence, netR: null })),
    { minSample: minSamples },
  );
  const entity = new TargetFitEntity();
  entity.timeframe = timeframe;
  entity.samples = decided.length;
  entity.liveSamples = decided.filter((s) => s.origin === 'live').length;
  entity.replaySamples = entity.samples - entity.liveSamples;
  entity.minSamples = minSamples;
  entity.blocks = fit.model === null ? [] : [...fit.model.blocks];
  entity.note = fit.model === null ? shortfallNote(decided.length, minSamples, timeframe) : null;
  entity.fittedAt = fittedAt;
  return entity;
}

/** The stamp of a signal created now: its origin, and pTarget from `fit` (or null with the reason). */
export function stampFromFit(
  signal: Pick<DomainSignal, 'timeframe' | 'createdAt' | 'initialConfidence'>,
  stepMarketTime: number | undefined,
  fit: CachedFit | undefined,
): FitStamp {
  const origin = creationOrigin(signal, stepMarketTime);
  if (fit === undefined)
    return {
      origin,
      pTarget: null,
      pTargetSamples: 0,
      pTargetNote: `no pTarget fit for ${signal.timeframe} yet`,
    };
  if (fit.model === null)
    return {
      origin,
      pTarget: null,
      pTargetSamples: fit.samples,
      pTargetNote: fit.note ?? shortfallNote(fit.samples, fit.minSamples, signal.timeframe),
    };
  return {
    origin,
    pTarget: fit.model.predict(signal.initialConfidence),
    pTargetSamples: fit.samples,
    pTargetNote: null,
  };
}

export function toFitDto(fit: CachedFit): TargetProbabilityFit {
  return {
    timeframe: fit.timeframe,
    samples: fit.samples,
    minSamples: fit.minSamples,
    fittedAt: fit.fittedAt.toISOString(),
    steps: fit.model === null ? [] : fit.model.blocks.map((b) => ({ min: b.xMin, p: b.value })),
    note: fit.model === null ? fit.note : null,
  };
}

const byInterval = (a: string, b: string) =>
  (TIMEFRAME_MS[a] ?? Number.MAX_SAFE_INTEGER) - (TIMEFRAME_MS[b] ?? Number.MAX_SAFE_INTEGER) ||
  (a < b ? -1 : 1);

/**
 * pTarget's model (issue 14): an isotonic fit of [TP before SL] on confidence at creation per
 * timeframe over the closed signals, refitted by the `fit-target-probability` job and stored in
 * target_fits; every process reads the table into a cache (re-read after its own fit and at most a
 * minute after another process's) and stamps each signal it creates from it.
 */
@Injectable()
export class TargetFitService {
  private readonly logger = new Logger(TargetFitService.name);
  private cache: Map<string, CachedFit> | null = null;
  private loadedAt = 0;
  /** The read of target_fits in flight: the steps of a close instant that find the cache due share one. */
  private reloading: Promise<void> | null = null;
  /** The host's clock (replaceable in tests). */
  hostNow: () => number = Date.now;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** Refits every scanned timeframe (and any other with closed signals), stores and caches the fits. */
  async refit(): Promise<TargetProbabilityFit[]> {
    // TP/SL closes only (what the fit reads), and only the columns it reads.
    const rows: {
      timeframe: string;
      status: 'TP_HIT' | 'SL_HIT';
      origin: SignalOrigin;
      confidence: number;
    }[] = await this.dataSource.query(
      `SELECT timeframe, status, origin, initial_confidence AS confidence FROM signals
         WHERE status IN ('TP_HIT', 'SL_HIT') AND net_r IS NOT NULL`,
    );
    const closed = rows.map((r) => ({
      timeframe: r.timeframe,
      status: r.status,
      origin: r.origin,
      initialConfidence: Number(r.confidence),
    }));
    const timeframes = [...new Set([...this.config.scanTimeframes, ...closed.map((s) => s.timeframe)])].sort(
      byInterval,
    );
    const fittedAt = new Date(this.hostNow());
    const entities = timeframes.map((tf) =>
      fitTimeframe(
        tf,
        closed.filter((s) => s.timeframe === tf),
        fittedAt,
      ),
    );
    await this.dataSource.getRepository(TargetFitEntity).upsert(entities, { conflictPaths: ['timeframe'] });
    for (const e of entities)
      this.logger.log({
        msg: e.note === null ? 'pTarget refitted' : 'no pTarget fit yet',
        timeframe: e.timeframe,
        samples: e.samples,
        live: e.liveSamples,
        replay: e.replaySamples,
        note: e.note,
      });
    // A shared read already in flight began before these fits were stored: read them again after it.
    await this.reloading?.catch(() => undefined);
    await this.read();
    return this.fits();
  }

  /** The fits in use, by interval (one timeframe's only when asked). */
  async fits(timeframe?: string): Promise<TargetProbabilityFit[]> {
    const cache = await this.current();
    return [...cache.values()]
      .filter((fit) => timeframe === undefined || fit.timeframe === timeframe)
      .sort((a, b) => byInterval(a.timeframe, b.timeframe))
      .map(toFitDto);
  }

  /** The stamp of a signal created by an engine step at `stepMarketTime`. */
  async stampFor(signal: DomainSignal, stepMarketTime: number | undefined): Promise<FitStamp> {
    const cache = await this.current();
    return stampFromFit(signal, stepMarketTime, cache.get(signal.timeframe));
  }

  private async current(): Promise<Map<string, CachedFit>> {
    if (this.cache === null || this.hostNow() - this.loadedAt >= RELOAD_MS) await this.reload();
    return this.cache!;
  }

  private reload(): Promise<void> {
    this.reloading ??= this.read().finally(() => (this.reloading = null));
    return this.reloading;
  }

  private async read(): Promise<void> {
    const rows = await this.dataSource.getRepository(TargetFitEntity).find();
    this.cache = new Map(
      rows.map((row) => [
        row.timeframe,
        {
          timeframe: row.timeframe,
          samples: row.samples,
          minSamples: row.minSamples,
          fittedAt: row.fittedAt,
          note: row.note,
          model: row.blocks.length === 0 ? null : IsotonicModel.fromBlocks(row.blocks, row.samples),
        },
      ]),
    );
    this.loadedAt = this.hostNow();
  }
}
