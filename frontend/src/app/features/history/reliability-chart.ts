import type { CalibrationBucketDto } from '@scanner/contracts';

/** The plot area inside the SVG's viewBox (axis labels live in the margins). */
export interface PlotBox {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export const RELIABILITY_BOX: PlotBox = { width: 600, height: 300, left: 46, right: 14, top: 12, bottom: 46 };

export interface BucketMark {
  label: string;
  /** Centre of the bucket's confidence range. */
  x: number;
  /** P(TP before SL) and its Wilson interval; null when the bucket has no TP/SL close. */
  y: number | null;
  yLow: number | null;
  yHigh: number | null;
  count: number;
  bucket: CalibrationBucketDto;
}

export interface ReliabilityGeometry {
  marks: BucketMark[];
  /** Perfect calibration: P(TP before SL) = confidence / 100, across the plotted confidence range. */
  diagonal: { x1: number; y1: number; x2: number; y2: number };
  xTicks: { x: number; label: string }[];
  yTicks: { y: number; label: string }[];
  /** Plot edges, for axes and grid lines. */
  plot: { x0: number; x1: number; y0: number; y1: number };
}

/**
 * Where each confidence bucket's observed P(TP before SL) goes, against the diagonal a calibrated score
 * would follow. x: confidence at creation over the buckets' range; y: probability 0..1.
 */
export function reliabilityGeometry(
  buckets: readonly CalibrationBucketDto[],
  box: PlotBox = RELIABILITY_BOX,
): ReliabilityGeometry {
  const lo = buckets.length > 0 ? Math.min(...buckets.map((b) => b.min)) : 70;
  const hi = buckets.length > 0 ? Math.max(100, ...buckets.map((b) => b.max)) : 100;
  const x0 = box.left;
  const x1 = box.width - box.right;
  const y0 = box.height - box.bottom; // probability 0
  const y1 = box.top; // probability 1
  const x = (confidence: number) => x0 + ((confidence - lo) / (hi - lo || 1)) * (x1 - x0);
  const y = (p: number) => y0 - p * (y0 - y1);
  const marks = buckets.map((b) => {
    const rate = b.pTarget;
    const has = rate.n > 0 && rate.value !== null;
    return {
      label: b.label,
      x: x((b.min + Math.min(b.max, hi)) / 2),
      y: has ? y(rate.value as number) : null,
      yLow: has && rate.low !== null ? y(rate.low) : null,
      yHigh: has && rate.high !== null ? y(rate.high) : null,
      count: b.count,
      bucket: b,
    };
  });
  const edges = [...new Set([...buckets.map((b) => b.min), hi])].sort((a, b) => a - b);
  return {
    marks,
    diagonal: { x1: x(lo), y1: y(lo / 100), x2: x(hi), y2: y(hi / 100) },
    xTicks: edges.map((edge) => ({ x: x(edge), label: String(edge) })),
    yTicks: [0, 0.25, 0.5, 0.75, 1].map((p) => ({ y: y(p), label: `${p * 100}%` })),
    plot: { x0, x1, y0, y1 },
  };
}
