/** Binance prints prices and quantities as decimal strings with 8 decimals. */
export function format8(value: number): string {
  const text = value.toFixed(8);
  return text === '-0.00000000' ? '0.00000000' : text;
}

export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** Number of significant decimals in a plain decimal string ("12.34000000" -> 2). */
export function significantDecimals(text: string): number {
  const dot = text.indexOf('.');
  if (dot < 0) return 0;
  let end = text.length;
  while (end > dot + 1 && text.charCodeAt(end - 1) === 48 /* '0' */) end--;
  return end - dot - 1;
}

/** "0.01000000" for 2 decimals: the step a value with that many decimals moves in. */
export function stepString(decimals: number): string {
  return format8(10 ** -Math.min(8, Math.max(0, decimals)));
}
