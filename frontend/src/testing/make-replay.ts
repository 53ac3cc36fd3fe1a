import type { Replay, ReplayResult, ReplaySide } from '@scanner/contracts';
import { makeBucket, makeOutcomeStats } from './make-quality';

/** One side of a finished replay: 12 signals, 10 closed (4 TP, 6 SL), +0.5R net, 2R drawdown. */
export function makeSide(version: number, change: Partial<ReplaySide> = {}): ReplaySide {
  return {
    scoringVersion: version,
    signals: 12,
    stats: { ...makeOutcomeStats({ TP_HIT: 4, SL_HIT: 6 }, { net: 0.5, gross: 1.5 }), maxDrawdownR: 2 },
    equityR: [1.5, 0.5, -0.5, 0.5],
    live: null,
    calibration: {
      closed: 10,
      buckets: [makeBucket(70, 4, 6)],
      brierScore: 0.24,
      brierN: 10,
      rankCorrelation: 0.1,
      lowSample: true,
    },
    walkForward: null,
    monteCarlo: null,
    monteCarloNote: null,
    ...change,
  };
}

export function makeReplayResult(change: Partial<ReplayResult> = {}): ReplayResult {
  return {
    a: makeSide(1),
    b: makeSide(2),
    differing: [
      {
        id: 'BTCUSDT-5m-1722816000000-LONG',
        symbol: 'BTCUSDT',
        timeframe: '5m',
        direction: 'LONG',
        candleOpenTime: '2024-08-05T00:00:00.000Z',
        a: null,
        b: { status: 'TP_HIT', netR: 1.6 },
      },
    ],
    differingTotal: 1,
    ...change,
  };
}

export function makeReplay(change: Partial<Replay> = {}): Replay {
  const id = change.id ?? 1;
  return {
    id,
    status: 'done',
    request: {
      symbols: ['BTCUSDT', 'ETHUSDT'],
      timeframes: ['5m'],
      from: '2024-08-01T00:00:00.000Z',
      to: '2024-08-08T00:00:00.000Z',
      versionA: 1,
      versionB: 2,
    },
    progress: { id, status: change.status ?? 'done', seriesDone: 2, seriesTotal: 2, candles: 4000 },
    result: makeReplayResult(),
    error: null,
    createdAt: '2024-08-08T00:00:00.000Z',
    startedAt: '2024-08-08T00:00:01.000Z',
    finishedAt: '2024-08-08T00:00:02.000Z',
    ...change,
  };
}
