import type { Signal } from '@scanner/contracts';

export interface RPoint {
  time: number;
  r: number;
}

/** Running sum of net R (after costs) over closed signals, in closing order. Signals without one are skipped. */
export function cumulativeR(signals: readonly Signal[]): RPoint[] {
  const closed = signals
    .filter((s) => s.closedAt !== null && s.netR !== null && s.netR !== undefined)
    .map((s) => ({ time: Date.parse(s.closedAt as string), r: s.netR as number }))
    .sort((a, b) => a.time - b.time);
  let sum = 0;
  return closed.map((p) => ({ time: p.time, r: (sum += p.r) }));
}

/** SVG path for the curve in a width × height box, with the zero line's y. */
export function curvePath(
  points: readonly RPoint[],
  width: number,
  height: number,
): { d: string; zeroY: number } {
  if (points.length === 0) return { d: '', zeroY: height / 2 };
  const minR = Math.min(0, ...points.map((p) => p.r));
  const maxR = Math.max(0, ...points.map((p) => p.r));
  const spanR = maxR - minR || 1;
  const t0 = points[0].time;
  const spanT = points[points.length - 1].time - t0 || 1;
  const y = (r: number) => height - ((r - minR) / spanR) * height;
  const x = (t: number) => (points.length === 1 ? width : ((t - t0) / spanT) * width);
  const d = points
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.time).toFixed(1)},${y(p.r).toFixed(1)}`)
    .join(' ');
  return { d: `M0,${y(0).toFixed(1)} ${d.replace(/^M/, 'L')}`, zeroY: y(0) };
}
