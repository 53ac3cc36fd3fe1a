import type { ScoringConfigChange, ScoringVersion } from '@scanner/contracts';

/** The settings a reader compares first, e.g. "min confidence 70 · SL 1.5 ATR · TP 2.5 ATR · expiry 12". */
export function versionSummary(version: ScoringVersion): string {
  const c = version.config;
  return `min confidence ${c.minConfidence} · SL ${c.stopLossAtr} ATR · TP ${c.takeProfitAtr} ATR · expiry ${c.expiryCandles} candles`;
}

const show = (value: ScoringConfigChange['from']): string => (value === null ? '(unset)' : String(value));

/** One line per changed setting: "minConfidence: 70 → 65" (active → this version). */
export function changeLines(changes: readonly ScoringConfigChange[]): string[] {
  return changes.map((c) => `${c.path}: ${show(c.from)} → ${show(c.to)}`);
}

/** The question asked before activating a version. */
export function activateQuestion(version: ScoringVersion, active: ScoringVersion | undefined): string {
  const from = active ? ` (replacing version ${active.id})` : '';
  return `Activate scoring version ${version.id}${from}? Engines score with it from their next candle; new signals record version ${version.id}.`;
}
