import type { Signal } from '@scanner/contracts';
import type { Signal as DomainSignal } from '@scanner/signal-core';
import { SignalEntity } from './entities/signal.entity';

const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());
const dateOrNull = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

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
    closeReason: entity.closeReason ?? null,
    version: entity.version,
  };
}

/**
 * The one place a domain signal (signal-core, market times in epoch ms) becomes a stored row.
 * Event payloads are `toWireSignal(toSignalEntity(signal))`, so the row and its events agree.
 */
export function toSignalEntity(signal: DomainSignal): SignalEntity {
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
  entity.maxFavorableR = finiteOrNull(signal.mfeR);
  entity.maxAdverseR = finiteOrNull(signal.maeR);
  entity.closeReason = signal.closeReason ?? null;
  entity.version = signal.version;
  return entity;
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
