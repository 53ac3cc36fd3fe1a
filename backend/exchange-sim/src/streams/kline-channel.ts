import { klineRowJson } from '../kline-bar';
import { KlineSeries } from '../kline-series';
import { MarketSchedule } from '../market-faults';
import { candleAsOf } from '../partial-candle';
import { SymbolCatalog } from '../symbol-catalog';
import { SymbolSeries } from '../symbol-series';
import { klineEventJson } from './kline-event';
import { StreamFaultSettings, isSkippedFinal, isStalled } from './stream-faults';
import { KlineStreamName } from './stream-names';

export interface ChannelContext {
  market: MarketSchedule;
  catalog: SymbolCatalog;
  faults: () => Readonly<StreamFaultSettings>;
  /** A clock jump closes many candles at once: only the newest this many finals are sent. */
  maxFinalsPerTick: number;
}

export interface Subscriber {
  deliver(stream: string, dataJson: string, final: boolean): void;
}

/** Binance: 1000 ms for `1s`, 2000 ms for every other interval. */
export function pushPeriodMs(interval: string): number {
  return interval === '1s' ? 1000 : 2000;
}

/**
 * One kline stream, shared by every connection subscribed to it. Driven by the exchange clock: each
 * candle that closed since the last advance gets its final update (x:true, equal to the REST row), and
 * each push period boundary crossed gets one update of the open candle (the REST open-candle model).
 * Nothing is sent while the series is suspended (hole, halt, symbol halted or delisted), while the
 * symbol is not TRADING or unknown, or while the stream is stalled.
 */
export class KlineChannel {
  readonly subscribers = new Set<Subscriber>();
  private last: number;

  constructor(
    readonly stream: KlineStreamName,
    private readonly ctx: ChannelContext,
    startAt: number,
  ) {
    this.last = startAt;
  }

  advance(now: number): void {
    const last = this.last;
    this.last = now;
    if (now <= last) return; // standing still, or the clock was set back: start over from here
    const source = this.source();
    if (!source) return;
    const { set, series } = source;
    const faults = this.ctx.faults();
    this.sendFinals(series, last, now, faults);
    const period = pushPeriodMs(this.stream.interval);
    if (Math.floor(now / period) > Math.floor(last / period)) this.sendUpdate(set, series, now, faults);
  }

  private sendFinals(
    series: KlineSeries,
    last: number,
    now: number,
    faults: Readonly<StreamFaultSettings>,
  ): void {
    const ms = series.intervalMs;
    // Candles whose close instant (openTime + interval) lies in (last, now].
    const from = series.lowerBound(last - ms + 1);
    const to = series.lowerBound(now - ms + 1);
    for (let i = Math.max(from, to - this.ctx.maxFinalsPerTick); i < to; i++) {
      const openTime = series.openTimeAt(i);
      const closeAt = openTime + ms;
      if (this.ctx.market.candleMissing(this.stream.symbol, this.stream.interval, openTime, ms)) continue;
      if (this.silentAt(closeAt - 1) || isStalled(faults.streamStalls, this.stream.name, closeAt)) continue;
      if (isSkippedFinal(faults.skippedFinals, this.stream.name, openTime)) continue;
      this.publish(
        klineEventJson(this.stream.symbol, this.stream.interval, series.rowJson(i), true, now, i),
        true,
      );
    }
  }

  private sendUpdate(
    set: SymbolSeries,
    series: KlineSeries,
    now: number,
    faults: Readonly<StreamFaultSettings>,
  ): void {
    if (this.silentAt(now) || isStalled(faults.streamStalls, this.stream.name, now)) return;
    const index = series.lowerBound(now + 1) - 1;
    if (index < 0) return;
    const openTime = series.openTimeAt(index);
    if (openTime + series.intervalMs <= now) return; // the data ended: nothing trades
    if (this.ctx.market.candleMissing(this.stream.symbol, this.stream.interval, openTime, series.intervalMs))
      return;
    const row = klineRowJson(candleAsOf(set, series, index, now));
    this.publish(klineEventJson(this.stream.symbol, this.stream.interval, row, false, now, index), false);
  }

  /** Suspended, not listed as TRADING, or unknown at exchange time t. */
  private silentAt(t: number): boolean {
    const { symbol, interval } = this.stream;
    const entry = this.ctx.catalog.get(symbol);
    if (!entry || entry.status !== 'TRADING') return true;
    if (this.ctx.market.symbolState(symbol, t).kind !== 'trading') return true;
    return this.ctx.market.suspendedSince(symbol, interval, t) !== undefined;
  }

  private source(): { set: SymbolSeries; series: KlineSeries } | undefined {
    const set = this.ctx.catalog.get(this.stream.symbol)?.series;
    const series = set?.get(this.stream.interval);
    return set && series ? { set, series } : undefined;
  }

  private publish(dataJson: string, final: boolean): void {
    for (const subscriber of this.subscribers) subscriber.deliver(this.stream.name, dataJson, final);
  }
}
