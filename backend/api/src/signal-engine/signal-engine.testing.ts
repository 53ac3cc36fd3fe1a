import type { Signal as DomainSignal } from '@scanner/signal-core';
import { CONDITION_KEYS } from '@scanner/signal-core';
import type { CreationStamp } from './signal.mapper';

/** A domain signal for tests: LONG BTCUSDT 5m, created at the close of the 2024-08-05 00:00 candle. */
export function domainSignal(overrides: Partial<DomainSignal> = {}): DomainSignal {
  const candleOpenTime = overrides.candleOpenTime ?? Date.UTC(2024, 7, 5, 0, 0);
  const symbol = overrides.symbol ?? 'BTCUSDT';
  const timeframe = overrides.timeframe ?? '5m';
  const direction = overrides.direction ?? 'LONG';
  return {
    id: `${symbol}-${timeframe}-${candleOpenTime}-${direction}`,
    symbol,
    timeframe,
    direction,
    status: 'ACTIVE',
    confidence: 75,
    initialConfidence: overrides.confidence ?? 75,
    // The first five conditions (met below).
    initialConditionMask: 0b11111,
    entryPrice: 100,
    stopLoss: 97,
    initialStopLoss: 97,
    takeProfit: 105,
    riskReward: 2.5 / 1.5,
    conditions: CONDITION_KEYS.map((key, i) => ({ key, met: i < 5, weight: 10, detail: `${key} detail` })),
    indicators: {
      rsi: 55,
      macd: 1,
      macdSignal: 0.5,
      macdHistogram: 0.5,
      ema9: 101,
      ema21: 100,
      ema50: 99,
      ema200: null,
      atr: 2,
      adx: 25,
      plusDi: 30,
      minusDi: 15,
      bbUpper: 104,
      bbMiddle: 100,
      bbLower: 96,
    },
    candleOpenTime,
    createdAt: candleOpenTime + 299_999,
    updatedAt: candleOpenTime + 299_999,
    closedAt: null,
    exitPrice: null,
    outcomeR: null,
    grossR: null,
    netR: null,
    resolution: null,
    closeReason: null,
    mfe: 0,
    mae: 0,
    mfeR: 0,
    maeR: 0,
    durationMs: null,
    durationCandles: null,
    version: 1,
    ...overrides,
  };
}

/** `signal` closed with `status` at `exitPrice` at market time `at`. */
export function closedSignal(
  signal: DomainSignal,
  status: DomainSignal['status'],
  exitPrice: number,
  at: number,
): DomainSignal {
  const risk = Math.abs(signal.entryPrice - signal.initialStopLoss);
  const outcomeR =
    (signal.direction === 'LONG' ? exitPrice - signal.entryPrice : signal.entryPrice - exitPrice) / risk;
  return {
    ...signal,
    status,
    exitPrice,
    outcomeR,
    grossR: outcomeR,
    netR: outcomeR,
    closedAt: at,
    updatedAt: at,
    durationMs: at - signal.createdAt,
    version: signal.version + 1,
  };
}

/** The creation stamp of test fixtures and of backtest signals compared with stored ones. */
export const TEST_STAMP: CreationStamp = {
  origin: 'replay',
  pTarget: null,
  pTargetSamples: 0,
  pTargetNote: 'test fixture',
  confluence: null,
  scoringVersion: 1,
};

/**
 * A signal without its creation stamp (origin and pTarget depend on when the live engine ran and on
 * the fit of the moment, which a backtest does not have): what live and backtest are compared on.
 */
export function withoutStamp<T extends object>(signal: T): Omit<T, keyof CreationStamp> {
  const {
    origin: _o,
    pTarget: _p,
    pTargetSamples: _n,
    pTargetNote: _t,
    confluence: _c,
    scoringVersion: _v,
    ...rest
  } = signal as T & Partial<CreationStamp>;
  return rest;
}
