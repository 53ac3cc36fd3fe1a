import { formatAge, formatDuration } from './age-format';
import { formatR, formatRatio, formatSignedPercent, percentDistance } from './percent-format';
import { decimalsFor, decimalsFromMagnitude, decimalsFromTickSize, formatPrice } from './price-format';
import { AgePipe, PricePipe, SignedPercentPipe } from './format.pipes';

describe('price precision', () => {
  it('derives decimals from the tick size', () => {
    expect(decimalsFromTickSize(0.01)).toBe(2);
    expect(decimalsFromTickSize(0.00001)).toBe(5);
    expect(decimalsFromTickSize(1e-8)).toBe(8);
    expect(decimalsFromTickSize(0.0005)).toBe(4);
    expect(decimalsFromTickSize(1)).toBe(0);
    expect(decimalsFromTickSize(10)).toBe(0);
  });

  it('falls back to the price magnitude without a tick size', () => {
    expect(decimalsFromMagnitude(61_234.5)).toBe(2);
    expect(decimalsFromMagnitude(2_650.12)).toBe(2);
    expect(decimalsFromMagnitude(142.3)).toBe(2);
    expect(decimalsFromMagnitude(0.5321)).toBe(5);
    expect(decimalsFromMagnitude(0.00001234)).toBe(8);
    expect(decimalsFor(null, 0.5321)).toBe(5);
    expect(decimalsFor(0.001, 0.5321)).toBe(3);
  });

  it('formats with exactly that many decimals and thousands separators', () => {
    expect(formatPrice(61234.5, 2)).toBe('61,234.50');
    expect(formatPrice(0.000012345, 8)).toBe('0.00001235');
    expect(formatPrice(null, 2)).toBe('—');
    expect(new PricePipe().transform(1.5, 3)).toBe('1.500');
  });
});

describe('percent and R', () => {
  it('signs percents and shows a dash when unknown', () => {
    expect(formatSignedPercent(1.234)).toBe('+1.23%');
    expect(formatSignedPercent(-0.8)).toBe('−0.80%');
    expect(formatSignedPercent(0.001)).toBe('0.00%');
    expect(formatSignedPercent(null)).toBe('—');
    expect(new SignedPercentPipe().transform(2)).toBe('+2.00%');
  });

  it('measures the distance from the live price', () => {
    expect(percentDistance(100, 98.5)).toBeCloseTo(-1.5);
    expect(percentDistance(100, 102.5)).toBeCloseTo(2.5);
    expect(percentDistance(null, 1)).toBeNull();
    expect(percentDistance(0, 1)).toBeNull();
  });

  it('formats ratios and R-multiples', () => {
    expect(formatRatio(0.625)).toBe('62.5%');
    expect(formatRatio(null)).toBe('—');
    expect(formatR(1.6667)).toBe('+1.67R');
    expect(formatR(-1)).toBe('−1.00R');
    expect(formatR(0)).toBe('0.00R');
  });
});

describe('age', () => {
  const now = Date.parse('2024-08-05T12:00:00Z');
  it('formats durations compactly', () => {
    expect(formatDuration(400)).toBe('just now');
    expect(formatDuration(12_000)).toBe('12 s');
    expect(formatDuration(5 * 60_000)).toBe('5 min');
    expect(formatDuration(200 * 60_000)).toBe('3 h 20 min');
    expect(formatDuration(2 * 3600_000)).toBe('2 h');
    expect(formatDuration(52 * 3600_000)).toBe('2 d 4 h');
  });
  it('says how long ago a time was', () => {
    expect(formatAge('2024-08-05T11:59:48Z', now)).toBe('12 s ago');
    expect(formatAge('2024-08-05T12:00:00Z', now)).toBe('just now');
    expect(formatAge(null, now)).toBe('—');
    expect(formatAge('garbage', now)).toBe('—');
    expect(new AgePipe().transform('2024-08-05T11:00:00Z', now)).toBe('1 h ago');
  });
});
