import { CONDITION_KEYS, INDICATOR_KEYS, type Signal } from '@scanner/contracts';

/** A valid wire signal for specs; override what the test is about. */
export function makeSignal(overrides: Partial<Signal> = {}): Signal {
  const weights = [20, 15, 15, 10, 15, 10, 10, 5];
  return {
    id: 'sig-1',
    symbol: 'BTCUSDT',
    timeframe: '5m',
    direction: 'LONG',
    status: 'ACTIVE',
    confidence: 75,
    entryPrice: 60_000,
    stopLoss: 59_000,
    takeProfit: 61_666.67,
    riskReward: 2.5 / 1.5,
    conditions: CONDITION_KEYS.map((key, i) => ({
      key,
      met: i < 6,
      weight: weights[i],
      detail: `${key} detail`,
    })),
    indicators: Object.fromEntries(INDICATOR_KEYS.map((k) => [k, 1])) as Signal['indicators'],
    candleOpenTime: '2024-08-05T10:00:00.000Z',
    createdAt: '2024-08-05T10:04:59.999Z',
    updatedAt: '2024-08-05T10:04:59.999Z',
    closedAt: null,
    exitPrice: null,
    outcomeR: null,
    netR: null,
    resolution: null,
    initialConfidence: 75,
    origin: 'live',
    pTarget: null,
    pTargetSamples: 0,
    pTargetNote: 'no fit yet',
    scoringVersion: 1,
    version: 1,
    ...overrides,
  };
}
