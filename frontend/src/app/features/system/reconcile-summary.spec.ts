import type { ReconcileRun } from '@scanner/contracts';
import { reconcileSummary } from './reconcile-summary';

const base: ReconcileRun = {
  id: 2,
  trigger: 'admin',
  status: 'ok',
  startedAt: '2024-08-04T02:10:00.000Z',
  finishedAt: '2024-08-04T02:10:04.000Z',
  series: 12,
  candles: 12288,
  signalsCompared: 40,
  signalsLevelsOnly: 1,
  signalsPurged: 0,
  mismatchCount: 0,
  mismatchedSeries: [],
  mismatches: [],
  skipped: [],
  error: null,
};

describe('reconcileSummary', () => {
  it('has nothing to show before the first run', () => {
    expect(reconcileSummary(null)).toBeNull();
  });

  it('says a clean run is ok, with what it compared', () => {
    expect(reconcileSummary(base)).toMatchObject({
      verdict: 'ok: no mismatch',
      tone: 'ok',
      at: '2024-08-04T02:10:04.000Z',
      series: 12,
      signalsCompared: 40,
      seriesLines: [],
      mismatchLines: [],
    });
  });

  it('names the differing series with its first differing candle, and the first few differences in UTC', () => {
    const mismatches = Array.from({ length: 7 }, (_, i) => ({
      symbol: 'NEARUSDT',
      timeframe: '5m',
      signalId: `NEARUSDT-5m-${1722736500000 + i * 300000}-LONG`,
      field: 'entryPrice' as const,
      stored: 4.382,
      replayed: 4.42582,
      candleOpenTime: new Date(1722736500000 + i * 300000).toISOString(),
    }));
    mismatches[1] = {
      ...mismatches[1],
      field: 'presence' as never,
      stored: 'TP_HIT' as never,
      replayed: null,
    };
    const summary = reconcileSummary({
      ...base,
      status: 'mismatches',
      mismatchCount: 7,
      mismatchedSeries: [
        {
          symbol: 'NEARUSDT',
          timeframe: '5m',
          firstDifferingCandle: '2024-08-04T01:55:00.000Z',
          mismatches: 7,
        },
      ],
      mismatches,
    });
    expect(summary).toMatchObject({ verdict: '7 mismatches', tone: 'warn' });
    expect(summary?.seriesLines).toEqual([
      'NEARUSDT 5m · from the candle of 2024-08-04 01:55 UTC · 7 differences',
    ]);
    expect(summary?.mismatchLines).toHaveLength(5);
    expect(summary?.mismatchLines[0]).toBe(
      'NEARUSDT-5m-1722736500000-LONG entryPrice: stored 4.382, replayed 4.42582 (candle 2024-08-04 01:55 UTC)',
    );
    expect(summary?.mismatchLines[1]).toBe(
      'NEARUSDT-5m-1722736800000-LONG: stored (TP_HIT) but not replayed (candle 2024-08-04 02:00 UTC)',
    );
  });

  it('shows a failed run with its reason, and a single mismatch in the singular', () => {
    expect(reconcileSummary({ ...base, status: 'failed', error: 'database gone' })).toMatchObject({
      verdict: 'failed: database gone',
      tone: 'error',
    });
    expect(reconcileSummary({ ...base, status: 'mismatches', mismatchCount: 1 })?.verdict).toBe('1 mismatch');
  });
});
