export interface SparkPoint {
  x: number;
  y: number;
}

/** SVG polyline points for values in [0, 100] over a width × height box (oldest left). */
export function sparklinePoints(values: readonly number[], width: number, height: number): string {
  if (values.length === 0) return '';
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  return values
    .map(
      (v, i) =>
        `${(i * step).toFixed(1)},${(height - (Math.min(100, Math.max(0, v)) / 100) * height).toFixed(1)}`,
    )
    .join(' ');
}
