const MAX_DECIMALS = 8;

/** Decimals implied by a tick size (0.01 → 2, 0.00001 → 5, 1 → 0). */
export function decimalsFromTickSize(tickSize: number): number {
  if (!(tickSize > 0)) return 2;
  const text = tickSize.toExponential();
  const [mantissa, exponentText] = text.split('e');
  const exponent = Number(exponentText);
  const mantissaDecimals = (mantissa.split('.')[1] ?? '').length;
  return Math.min(MAX_DECIMALS, Math.max(0, mantissaDecimals - exponent));
}

/** Decimals for a price without a known tick: about five significant digits, at least two. */
export function decimalsFromMagnitude(price: number): number {
  const abs = Math.abs(price);
  if (!Number.isFinite(abs) || abs === 0) return 2;
  const magnitude = Math.floor(Math.log10(abs));
  return Math.min(MAX_DECIMALS, Math.max(2, 4 - magnitude));
}

export function decimalsFor(tickSize: number | null, samplePrice: number): number {
  return tickSize !== null && tickSize > 0
    ? decimalsFromTickSize(tickSize)
    : decimalsFromMagnitude(samplePrice);
}

const formatters = new Map<number, Intl.NumberFormat>();

/** Price with a fixed number of decimals and thousands separators ("61,234.50"). */
export function formatPrice(price: number | null | undefined, decimals: number): string {
  if (price === null || price === undefined || !Number.isFinite(price)) return '—';
  let formatter = formatters.get(decimals);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en-US', {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    });
    formatters.set(decimals, formatter);
  }
  return formatter.format(price);
}
