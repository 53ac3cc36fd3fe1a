import type { Signal } from '@scanner/contracts';
import { SignalEntity } from './entities/signal.entity';

const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());

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
    version: entity.version,
  };
}
