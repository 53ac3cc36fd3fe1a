import type { Signal, SignalConfluence, SignalOrigin } from '@scanner/contracts';
import type { Signal as DomainSignal } from '@scanner/signal-core';
import { SignalEntity } from './entities/signal.entity';
import { creationOrigin } from './signal-origin';

/**
 * What the write path decides once, when a signal is created, and carries unchanged through every
 * later change of it (the domain signal does not know these): its origin, its pTarget and its
 * confluence (the same symbol on the other scanned timeframes at creation; null when not computed).
 */
export interface CreationStamp {
  origin: SignalOrigin;
  pTarget: number | null;
  pTargetSamples: number;
  pTargetNote: string | null;
  confluence: SignalConfluence | null;
  /** The scoring version (engine configuration) in force when the signal was created. */
  scoringVersion: number;
}

/** The part of a creation stamp that the pTarget fit decides (TargetFitService). */
export type FitStamp = Omit<CreationStamp, 'confluence' | 'scoringVersion'>;

const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());
const dateOrNull = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

/** The stamp of a signal created without a pTarget fit at hand: its origin from the step's market time. */
export function defaultStamp(signal: DomainSignal, stepMarketTime: number | undefined): CreationStamp {
  return {
    origin: creationOrigin(signal, stepMarketTime),
    pTarget: null,
    pTargetSamples: 0,
    pTargetNote: 'no pTarget fit was consulted',
    confluence: null,
    scoringVersion: 1,
  };
}

/** The one place a stored signal becomes its wire form (DESIGN §8). */
export function toWireSignal(entity: SignalEntity): Signal {
  return {
    id: entity.id,
    symbol: entity.symbol,
    timeframe: entity.timeframe,
    direction: entity.direction,
    status: entity.status,
    confidence: entity.confidence,
    entryPrice: entity.entryPrice,
    stopLoss: entity.stopLoss,
    takeProfit: entity.takeProfit,
    riskReward: entity.riskReward,
    conditions: entity.conditions,
    indicators: entity.indicators,
    candleOpenTime: entity.candleOpenTime.toISOString(),
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
    closedAt: iso(entity.closedAt),
    exitPrice: entity.exitPrice,
    outcomeR: entity.outcomeR,
    netR: entity.netR,
    resolution: entity.resolution,
    initialConfidence: entity.initialConfidence,
    origin: entity.origin,
    pTarget: entity.pTarget,
    pTargetSamples: entity.pTargetSamples,
    pTargetNote: entity.pTargetNote,
    closeReason: entity.closeReason ?? null,
    confluence: entity.confluence ?? null,
    scoringVersion: entity.scoringVersion,
    version: entity.version,
  };
}

/**
 * The one place a domain signal (signal-core, market times in epoch ms) becomes a stored row, with the
 * stamp of its creation (see CreationStamp). Event payloads are
 * `toWireSignal(toSignalEntity(signal, stamp))`, so the row and its events agree.
 */
export function toSignalEntity(signal: DomainSignal, stamp: CreationStamp): SignalEntity {
  const entity = new SignalEntity();
  entity.id = signal.id;
  entity.symbol = signal.symbol;
  entity.timeframe = signal.timeframe;
  entity.direction = signal.direction;
  entity.status = signal.status;
  entity.confidence = signal.confidence;
  entity.entryPrice = signal.entryPrice;
  entity.stopLoss = signal.stopLoss;
  entity.takeProfit = signal.takeProfit;
  entity.riskReward = signal.riskReward;
  entity.conditions = signal.conditions.map((c) => ({
    key: c.key,
    met: c.met,
    weight: c.weight,
    detail: c.detail,
  }));
  entity.indicators = { ...signal.indicators };
  entity.candleOpenTime = new Date(signal.candleOpenTime);
  entity.createdAt = new Date(signal.createdAt);
  entity.updatedAt = new Date(signal.updatedAt);
  entity.closedAt = dateOrNull(signal.closedAt);
  entity.exitPrice = signal.exitPrice;
  entity.outcomeR = signal.outcomeR;
  entity.netR = signal.netR;
  entity.resolution = signal.resolution;
  entity.initialConfidence = signal.initialConfidence;
  entity.initialConditionMask = signal.initialConditionMask;
  entity.origin = stamp.origin;
  entity.pTarget = stamp.pTarget;
  entity.pTargetSamples = stamp.pTargetSamples;
  entity.pTargetNote = stamp.pTargetNote;
  entity.confluence = stamp.confluence;
  entity.scoringVersion = stamp.scoringVersion;
  entity.maxFavorableR = finiteOrNull(signal.mfeR);
  entity.maxAdverseR = finiteOrNull(signal.maeR);
  entity.closeReason = signal.closeReason ?? null;
  entity.version = signal.version;
  return entity;
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
