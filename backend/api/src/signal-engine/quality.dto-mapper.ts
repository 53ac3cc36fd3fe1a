import type { CalibrationBucketDto, ConditionSplitDto, OutcomeStats, RateDto } from '@scanner/contracts';
import type {
  CalibrationBucket,
  ConditionSplit,
  Rate,
  SignalStats as CoreSignalStats,
} from '@scanner/signal-core';

/** signal-core's figures on the wire: copies, nothing recomputed. */
export function toRateDto(rate: Rate): RateDto {
  return {
    definition: rate.definition,
    successes: rate.successes,
    n: rate.n,
    value: rate.value,
    low: rate.low,
    high: rate.high,
    lowSample: rate.lowSample,
  };
}

export function toOutcomeStats(stats: CoreSignalStats): OutcomeStats {
  return {
    closed: stats.closed,
    byOutcome: { ...stats.byOutcome },
    shares: {
      TP_HIT: toRateDto(stats.shares.TP_HIT),
      SL_HIT: toRateDto(stats.shares.SL_HIT),
      INVALIDATED: toRateDto(stats.shares.INVALIDATED),
      EXPIRED: toRateDto(stats.shares.EXPIRED),
      CANCELLED: toRateDto(stats.shares.CANCELLED),
    },
    winRate: stats.winRate.value,
    hitRate: stats.hitRate.value,
    winRateInterval: toRateDto(stats.winRate),
    hitRateInterval: toRateDto(stats.hitRate),
    averageR: stats.expectancyGrossR,
    expectancy: stats.expectancyR,
    expectancyGross: stats.expectancyGrossR,
    profitFactor: stats.profitFactor,
    totalNetR: stats.totalR,
    totalGrossR: stats.totalGrossR,
    maxDrawdownR: stats.maxDrawdownR,
    lowSample: stats.lowSample,
  };
}

export function toBucketDto(bucket: CalibrationBucket): CalibrationBucketDto {
  return {
    label: bucket.label,
    min: bucket.min,
    max: bucket.max,
    count: bucket.count,
    pTarget: toRateDto(bucket.pTarget),
    meanNetR: bucket.meanNetR,
  };
}

export function toSplitDto(split: ConditionSplit): ConditionSplitDto {
  return { count: split.count, hitRate: toRateDto(split.hitRate), meanNetR: split.meanNetR };
}
