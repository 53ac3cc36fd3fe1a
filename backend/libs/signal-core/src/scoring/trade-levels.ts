import type { Direction } from './condition-key';
import type { EngineConfig } from './engine-config';

export interface TradeLevels {
  readonly entryPrice: number;
  readonly stopLoss: number;
  readonly takeProfit: number;
  /** |entry - stop|: 1R. */
  readonly risk: number;
  /** Reward over risk: takeProfitAtr / stopLossAtr. */
  readonly riskReward: number;
}

/** LONG: SL = entry − stopLossAtr×ATR, TP = entry + takeProfitAtr×ATR; SHORT mirrored. Null if ATR is not positive. */
export function computeTradeLevels(
  direction: Direction,
  entryPrice: number,
  atr: number | null,
  config: Pick<EngineConfig, 'stopLossAtr' | 'takeProfitAtr'>,
): TradeLevels | null {
  if (atr === null || !(atr > 0) || !Number.isFinite(entryPrice)) return null;
  const sign = direction === 'LONG' ? 1 : -1;
  const risk = config.stopLossAtr * atr;
  return {
    entryPrice,
    stopLoss: entryPrice - sign * risk,
    takeProfit: entryPrice + sign * config.takeProfitAtr * atr,
    risk,
    riskReward: config.takeProfitAtr / config.stopLossAtr,
  };
}
