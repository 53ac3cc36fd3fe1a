import type { Replay, ReplayProgress } from '@scanner/contracts';
import { makeSide } from '@app/testing/make-replay';
import {
  calibrationReport,
  comparisonRows,
  progressPercent,
  progressText,
  withProgress,
} from './replay-view';

const progress = (change: Partial<ReplayProgress> = {}): ReplayProgress => ({
  id: 4,
  status: 'running',
  seriesDone: 3,
  seriesTotal: 8,
  candles: 12_000,
  ...change,
});

describe('replay view', () => {
  it('says where a replay stands, in percent and in words', () => {
    expect(progressPercent(progress())).toBe(38);
    expect(progressPercent(progress({ seriesTotal: 0, seriesDone: 0 }))).toBe(0);
    expect(progressText(progress())).toBe('Running: 3 of 8 series, 12,000 candles read.');
    expect(progressText(progress({ status: 'queued', seriesDone: 0 }))).toBe(
      'Queued: waiting for the maintenance queue (8 series to replay).',
    );
    expect(progressText(progress({ status: 'cancelled' }))).toBe(
      'Cancelled after 3 of 8 series (12,000 candles read); no result is kept.',
    );
  });

  it('applies socket progress to a replay, never taking a finished one back to running', () => {
    const replay = { id: 4, status: 'running', progress: progress({ seriesDone: 1 }) } as Replay;
    expect(withProgress(replay, progress())).toMatchObject({
      status: 'running',
      progress: { seriesDone: 3 },
    });
    expect(withProgress(replay, progress({ id: 5 }))).toBe(replay);
    const done = { ...replay, status: 'done' } as Replay;
    expect(withProgress(done, progress())).toBe(done);
  });

  it('hands a side calibration to the reliability chart as a report without filters or fits', () => {
    const report = calibrationReport(makeSide(1).calibration);
    expect(report).toMatchObject({ timeframe: null, origin: 'all', closed: 10, brierScore: 0.24, fits: [] });
  });

  it('compares both sides row by row with sample sizes and intervals', () => {
    const rows = comparisonRows(
      makeSide(1),
      makeSide(2, { live: { stored: 5, matching: 5, reproduced: true } }),
    );
    const row = (key: string) => rows.find((r) => r.key === key)!;
    expect(row('expectancy')).toMatchObject({ a: '+0.05R', aNote: 'n=10 · fewer than 30: anecdotal' });
    expect(row('win-rate').a).toBe('40.0%');
    expect(row('win-rate').aNote).toMatch(/^n=10 · 95% CI \d+\.\d–\d+\.\d%$/);
    expect(row('drawdown').a).toBe('−2.00R');
    expect(row('live')).toMatchObject({ a: '—', b: '5 of 5 stored (reproduced)' });
  });
});
