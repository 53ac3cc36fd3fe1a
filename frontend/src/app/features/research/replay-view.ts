import type {
  CalibrationReport,
  OutcomeStats,
  Replay,
  ReplayCalibration,
  ReplayProgress,
  ReplaySide,
} from '@scanner/contracts';
import { formatR } from '@app/shared/format/percent-format';
import { formatInterval, formatRateValue } from '@app/shared/format/rate-format';

/** Whole percent of the series replayed (0 while the total is unknown). */
export function progressPercent(p: ReplayProgress): number {
  if (p.seriesTotal <= 0) return p.status === 'done' ? 100 : 0;
  return Math.min(100, Math.round((p.seriesDone / p.seriesTotal) * 100));
}

/** "Running: 3 of 8 series, 12,000 candles read", in words a reader can act on. */
export function progressText(p: ReplayProgress): string {
  const series = `${p.seriesDone} of ${p.seriesTotal} series`;
  const candles = `${p.candles.toLocaleString('en-US')} candles read`;
  switch (p.status) {
    case 'queued':
      return `Queued: waiting for the maintenance queue (${p.seriesTotal} series to replay).`;
    case 'running':
      return `Running: ${series}, ${candles}.`;
    case 'done':
      return `Done: ${series}, ${candles}.`;
    case 'cancelled':
      return `Cancelled after ${series} (${candles}); no result is kept.`;
    case 'failed':
      return `Failed after ${series}.`;
  }
}

export const isLive = (status: Replay['status']): boolean => status === 'queued' || status === 'running';

/** The replay with the newest socket progress applied (the status and counts only). */
export function withProgress(replay: Replay, progress: ReplayProgress | undefined): Replay {
  if (progress === undefined || progress.id !== replay.id) return replay;
  // A finished replay never goes back to running: an older event arriving late is ignored.
  if (!isLive(replay.status) && isLive(progress.status)) return replay;
  return { ...replay, status: progress.status, progress };
}

/** The history page's reliability chart reads a CalibrationReport: a replay side's, without filters or fits. */
export function calibrationReport(c: ReplayCalibration): CalibrationReport {
  return {
    timeframe: null,
    direction: null,
    since: null,
    origin: 'all',
    closed: c.closed,
    buckets: c.buckets,
    brierScore: c.brierScore,
    brierN: c.brierN,
    rankCorrelation: c.rankCorrelation,
    lowSample: c.lowSample,
    fits: [],
  };
}

export interface ComparisonRow {
  key: string;
  label: string;
  a: string;
  b: string;
  /** Small print under the figure (sample sizes, intervals). */
  aNote: string;
  bNote: string;
}

function ratio(value: number | null): string {
  return value === null ? '—' : value.toFixed(2);
}

/** The figures of both sides, row by row, each with what it rests on. */
export function comparisonRows(a: ReplaySide, b: ReplaySide): ComparisonRow[] {
  const row = (
    key: string,
    label: string,
    figure: (s: ReplaySide) => string,
    note: (s: ReplaySide) => string = () => '',
  ): ComparisonRow => ({ key, label, a: figure(a), b: figure(b), aNote: note(a), bNote: note(b) });
  const stats = (s: ReplaySide): OutcomeStats => s.stats;
  const live = (s: ReplaySide) =>
    s.live === null
      ? '—'
      : `${s.live.matching} of ${s.live.stored} stored ${s.live.reproduced ? '(reproduced)' : '(differ)'}`;
  return [
    row('signals', 'Signals created', (s) => s.signals.toLocaleString('en-US')),
    row(
      'closed',
      'Closed (outcomes)',
      (s) => stats(s).closed.toLocaleString('en-US'),
      (s) =>
        `TP ${stats(s).byOutcome.TP_HIT} · SL ${stats(s).byOutcome.SL_HIT} · invalidated ${stats(s).byOutcome.INVALIDATED} · expired ${stats(s).byOutcome.EXPIRED}`,
    ),
    row(
      'expectancy',
      'Net expectancy per signal',
      (s) => formatR(stats(s).expectancy),
      (s) => `n=${stats(s).closed}${stats(s).lowSample ? ' · fewer than 30: anecdotal' : ''}`,
    ),
    row(
      'win-rate',
      'Win rate TP / (TP + SL)',
      (s) => formatRateValue(stats(s).winRateInterval),
      (s) => `n=${stats(s).winRateInterval.n} · ${formatInterval(stats(s).winRateInterval) || 'no interval'}`,
    ),
    row(
      'hit-rate',
      'Hit rate TP / closed',
      (s) => formatRateValue(stats(s).hitRateInterval),
      (s) => `n=${stats(s).hitRateInterval.n} · ${formatInterval(stats(s).hitRateInterval) || 'no interval'}`,
    ),
    row('profit-factor', 'Profit factor', (s) => ratio(stats(s).profitFactor)),
    row('total', 'Total net R', (s) => formatR(stats(s).totalNetR)),
    row('drawdown', 'Max drawdown', (s) => formatR(-stats(s).maxDrawdownR)),
    row('live', 'Stored live signals replayed the same', live),
  ];
}

/** "+1.25R" for a band value. */
export const bandText = (r: number): string => formatR(r);
