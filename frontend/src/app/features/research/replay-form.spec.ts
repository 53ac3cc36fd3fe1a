import type { ScoringVersion } from '@scanner/contracts';
import {
  defaultDraft,
  newestCandleTime,
  parseSymbols,
  replayRequestOf,
  type ReplayDraft,
} from './replay-form';

const version = (id: number, active: boolean) => ({ id, active }) as ScoringVersion;
const NOW = Date.UTC(2024, 7, 8, 12, 0);

describe('replay form', () => {
  const draft = (change: Partial<ReplayDraft> = {}): ReplayDraft => ({
    ...defaultDraft(['BTCUSDT', 'ETHUSDT'], [version(1, false), version(2, true), version(3, false)], NOW),
    ...change,
  });

  it('defaults to the universe, 5m, the 7 days before the newest candle, active version vs the newest other', () => {
    expect(draft()).toMatchObject({
      symbols: 'BTCUSDT, ETHUSDT',
      timeframes: ['5m'],
      from: '2024-08-01T12:00',
      to: '2024-08-08T12:00',
      versionA: 2,
      versionB: 3,
      walkForward: false,
      monteCarlo: false,
    });
  });

  it('takes the newest stored candle over every symbol and timeframe', () => {
    expect(
      newestCandleTime([
        { freshness: { '5m': { lastClosedOpenTime: '2024-08-04T12:00:00Z' } } },
        {
          freshness: {
            '5m': { lastClosedOpenTime: null },
            '1h': { lastClosedOpenTime: '2024-08-05T00:00:00Z' },
          },
        },
      ] as never),
    ).toBe(Date.UTC(2024, 7, 5));
    expect(newestCandleTime([])).toBeNull();
  });

  it('reads symbols separated by commas, spaces or lines, upper-cased and unique', () => {
    expect(parseSymbols(' btcusdt,ETHUSDT\nBTCUSDT ;solusdt ')).toEqual(['BTCUSDT', 'ETHUSDT', 'SOLUSDT']);
  });

  it('builds the request with times in UTC, and the walk-forward and Monte Carlo only when ticked', () => {
    expect(replayRequestOf(draft()).request).toEqual({
      symbols: ['BTCUSDT', 'ETHUSDT'],
      timeframes: ['5m'],
      from: '2024-08-01T12:00:00.000Z',
      to: '2024-08-08T12:00:00.000Z',
      versionA: 2,
      versionB: 3,
    });
    expect(replayRequestOf(draft({ walkForward: true, monteCarlo: true, seed: 9 })).request).toMatchObject({
      walkForward: { inSampleHours: 48, outOfSampleHours: 24, gapHours: 1 },
      monteCarlo: { runs: 1000, seed: 9 },
    });
  });

  it('names every problem that stops a request', () => {
    expect(
      replayRequestOf(
        draft({
          symbols: 'btc-usd',
          timeframes: [],
          from: '2024-08-09T00:00',
          versionB: 2,
          monteCarlo: true,
          runs: 0,
          walkForward: true,
          inSampleHours: null,
        }),
      ).problems,
    ).toEqual([
      'Symbols: BTC-USD — 2 to 20 letters or digits each.',
      'Timeframes: choose at least one.',
      'From must be before To.',
      'Versions: A and B must be two different versions.',
      'Walk-forward: in-sample hours must be > 0.',
      'Monte Carlo: runs must be a whole number from 1 to 100,000.',
    ]);
    expect(replayRequestOf(draft({ symbols: ' ', versionA: null })).problems).toEqual([
      'Symbols: enter at least one, e.g. BTCUSDT.',
      'Versions: choose a scoring version for A and for B.',
    ]);
  });
});
