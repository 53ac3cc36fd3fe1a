/** Signed percent with two decimals ("+1.25%", "−0.80%"); a dash when unknown. */
export function formatSignedPercent(value: number | null | undefined, decimals = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const rounded = Number(value.toFixed(decimals));
  if (rounded === 0) return `${(0).toFixed(decimals)}%`;
  return `${rounded > 0 ? '+' : '−'}${Math.abs(rounded).toFixed(decimals)}%`;
}

/** Percent distance from `from` to `to`, relative to `from`. */
export function percentDistance(from: number | null | undefined, to: number): number | null {
  if (from === null || from === undefined || !Number.isFinite(from) || from === 0) return null;
  return ((to - from) / from) * 100;
}

/** Ratio 0..1 as a percent ("62.5%"). */
export function formatRatio(ratio: number | null | undefined, decimals = 1): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  return `${(ratio * 100).toFixed(decimals)}%`;
}

/** R-multiple ("+2.50R"). */
export function formatR(r: number | null | undefined): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return '—';
  return `${r > 0 ? '+' : r < 0 ? '−' : ''}${Math.abs(r).toFixed(2)}R`;
}
