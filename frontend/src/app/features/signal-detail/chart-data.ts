import type {
  CandleDto,
  CandlesResponse,
  IndicatorSeriesKey,
  Signal,
  SignalHistoryEntry,
} from '@scanner/contracts';

/** Seconds since the epoch, as lightweight-charts wants its UTC timestamps. */
export type ChartTime = number;

export interface Bar {
  time: ChartTime;
  open: number;
  high: number;
  low: number;
  close: number;
}
export interface LinePoint {
  time: ChartTime;
  value?: number;
}
export interface ChartMarker {
  time: ChartTime;
  kind: 'created' | 'updated' | 'closed';
  text: string;
}

export const toChartTime = (iso: string): ChartTime => Math.floor(Date.parse(iso) / 1000);

export function toBars(candles: readonly CandleDto[]): Bar[] {
  return candles.map((c) => ({
    time: toChartTime(c.openTime),
    open: c.open,
    high: c.high,
    low: c.low,
    close: c.close,
  }));
}

/** An indicator series aligned with the candles; warm-up nulls become whitespace points (no line). */
export function toLine(response: CandlesResponse, key: IndicatorSeriesKey): LinePoint[] {
  // A response without indicator series draws candles only.
  const values = response.indicators?.[key] ?? [];
  return response.candles.map((c, i) => {
    const value = values[i];
    return value === null || value === undefined
      ? { time: toChartTime(c.openTime) }
      : { time: toChartTime(c.openTime), value };
  });
}

/** The open time of the candle containing `time` (the last bar at or before it), null when outside the data. */
export function barAt(bars: readonly Bar[], time: ChartTime): ChartTime | null {
  if (bars.length === 0 || time < bars[0].time) return null;
  let lo = 0;
  let hi = bars.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (bars[mid].time <= time) lo = mid;
    else hi = mid - 1;
  }
  return bars[lo].time;
}

/** Markers for creation, each update and the close, placed on the candles they happened in. */
export function toMarkers(
  bars: readonly Bar[],
  signal: Signal,
  events: readonly SignalHistoryEntry[],
): ChartMarker[] {
  const markers: ChartMarker[] = [];
  const push = (iso: string | null, kind: ChartMarker['kind'], text: string) => {
    const time = iso ? barAt(bars, toChartTime(iso)) : null;
    if (time !== null) markers.push({ time, kind, text });
  };
  push(signal.candleOpenTime, 'created', `Created ${signal.confidence}`);
  for (const event of events) {
    if (event.type === 'updated') push(event.signal.updatedAt, 'updated', `${event.signal.confidence}`);
  }
  if (signal.status !== 'ACTIVE') push(signal.closedAt, 'closed', signal.status.replace('_', ' '));
  // lightweight-charts wants markers in time order.
  return markers.sort((a, b) => a.time - b.time);
}

export interface PriceLevel {
  price: number;
  title: string;
  role: 'entry' | 'stop' | 'target';
}

export function priceLevels(signal: Signal): PriceLevel[] {
  return [
    { price: signal.entryPrice, title: 'Entry', role: 'entry' },
    { price: signal.stopLoss, title: 'SL', role: 'stop' },
    { price: signal.takeProfit, title: 'TP', role: 'target' },
  ];
}
