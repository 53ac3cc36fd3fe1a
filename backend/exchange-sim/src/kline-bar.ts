import { format8 } from './decimal';

/** One candle in numbers; the wire row is produced by klineRowJson(). */
export interface KlineBar {
  openTime: number;
  closeTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  quoteVolume: number;
  trades: number;
  takerBuyBase: number;
  takerBuyQuote: number;
}

/** `[openTime,"o","h","l","c","v",closeTime,"q",n,"V","Q","0"]` exactly as GET /api/v3/klines prints it. */
export function klineRowJson(bar: KlineBar): string {
  return (
    `[${bar.openTime},"${format8(bar.open)}","${format8(bar.high)}","${format8(bar.low)}","${format8(bar.close)}",` +
    `"${format8(bar.volume)}",${bar.closeTime},"${format8(bar.quoteVolume)}",${bar.trades},` +
    `"${format8(bar.takerBuyBase)}","${format8(bar.takerBuyQuote)}","0"]`
  );
}
