import type { ReconcileMismatch, ReconcileRun } from '@scanner/contracts';

/** How many differences the system page lists (the API keeps up to 50). */
export const MISMATCHES_SHOWN = 5;

/** The last reconciliation as the system page shows it. */
export interface ReconcileSummary {
  /** "ok", "3 mismatches", "running", "failed: …" */
  verdict: string;
  tone: 'ok' | 'warn' | 'error' | 'muted';
  /** When it finished (or started, while running). */
  at: string;
  series: number;
  signalsCompared: number;
  mismatchCount: number;
  /** "NEARUSDT 5m · from the candle of 2024-08-04 01:55 UTC · 3 differences" */
  seriesLines: string[];
  /** "NEARUSDT-5m-…-LONG entryPrice: stored 4.382, replayed 4.42582 (candle 01:55 UTC)" */
  mismatchLines: string[];
  /** Series that could not be replayed, with the reason. */
  skippedLines: string[];
}

const utc = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
const value = (v: string | number | null): string => (v === null ? 'none' : String(v));

function mismatchLine(m: ReconcileMismatch): string {
  return m.field === 'presence'
    ? `${m.signalId}: ${m.stored === null ? `replayed (${value(m.replayed)}) but not stored` : `stored (${value(m.stored)}) but not replayed`} (candle ${utc(m.candleOpenTime)})`
    : `${m.signalId} ${m.field}: stored ${value(m.stored)}, replayed ${value(m.replayed)} (candle ${utc(m.candleOpenTime)})`;
}

/** Null before the first run. */
export function reconcileSummary(run: ReconcileRun | null | undefined): ReconcileSummary | null {
  if (!run) return null;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const verdict =
    run.status === 'running'
      ? 'running'
      : run.status === 'failed'
        ? `failed: ${run.error ?? 'no reason recorded'}`
        : run.mismatchCount === 0
          ? 'ok: no mismatch'
          : run.mismatchCount === 1
            ? '1 mismatch'
            : `${run.mismatchCount} mismatches`;
  const tone =
    run.status === 'running'
      ? 'muted'
      : run.status === 'failed'
        ? 'error'
        : run.mismatchCount === 0
          ? 'ok'
          : 'warn';
  return {
    verdict,
    tone,
    at: run.finishedAt ?? run.startedAt,
    series: run.series,
    signalsCompared: run.signalsCompared,
    mismatchCount: run.mismatchCount,
    seriesLines: (run.mismatchedSeries ?? []).map(
      (s) =>
        `${s.symbol} ${s.timeframe} · from the candle of ${utc(s.firstDifferingCandle)} · ${plural(s.mismatches, 'difference')}`,
    ),
    mismatchLines: (run.mismatches ?? []).slice(0, MISMATCHES_SHOWN).map(mismatchLine),
    skippedLines: (run.skipped ?? []).map((s) => `${s.symbol} ${s.timeframe}: ${s.reason}`),
  };
}
