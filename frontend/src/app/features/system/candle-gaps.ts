import type { CandleGap, MarketSymbol } from '@scanner/contracts';

/** One hole in a symbol's candles as the symbols table shows it. */
export interface GapLine {
  /** "5m 2024-08-05 02:00 → 03:00 UTC" */
  text: string;
  /** "12 candles missing (trading suspended)" */
  title: string;
}

const pad = (n: number): string => String(n).padStart(2, '0');
const day = (d: Date): string => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const clock = (d: Date): string => `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;

/**
 * The holes the exchange left in a symbol's candles (Binance generates no kline while trading is
 * suspended), newest first, in UTC whatever the browser's zone: the end is the first candle after the
 * hole, and its date is repeated only when it differs.
 */
export function gapLines(symbol: Pick<MarketSymbol, 'gaps'>): GapLine[] {
  const gaps: CandleGap[] = Array.isArray(symbol.gaps) ? symbol.gaps : [];
  return gaps.map((gap) => {
    const from = new Date(gap.from);
    const to = new Date(gap.to);
    const end = day(from) === day(to) ? clock(to) : `${day(to)} ${clock(to)}`;
    const count = gap.missingCandles === 1 ? '1 candle' : `${gap.missingCandles} candles`;
    return {
      text: `${gap.interval} ${day(from)} ${clock(from)} → ${end} UTC`,
      title: `${count} missing (trading suspended), detected ${gap.detectedAt}`,
    };
  });
}
