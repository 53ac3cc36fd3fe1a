import { KlineInterval } from './intervals';
import { KlineSeries } from './kline-series';
import { SeriesFaultView } from './rolling-window';
import { SymbolStatus } from './symbol-catalog';

/**
 * The real market's rough edges, all in exchange time (virtual clock + clockOffsetMs) and all
 * permanent: what they remove was never generated, so no later request brings it back.
 */

/** No candles were generated for [from, to): one series, one symbol, or every symbol. */
export interface HoleFault {
  /** Default: every symbol. */
  symbol?: string;
  /** Default: every interval of the symbol. */
  interval?: KlineInterval;
  from: number;
  to: number;
}

/** The whole exchange stops trading for [from, to): no candles, every symbol's status is `status`. */
export interface ExchangeHaltFault {
  from: number;
  to: number;
  /** Default BREAK (what Binance shows during maintenance). */
  status?: Extract<SymbolStatus, 'HALT' | 'BREAK'>;
}

/**
 * From `at` (until `until`, default forever) the symbol stops trading: HALT/BREAK keep it in
 * exchangeInfo with that status, DELISTED removes it; klines and ticker answer -1121 either way.
 * Candles of the period were never generated; after `until` it trades again.
 */
export interface SymbolStatusFault {
  symbol: string;
  at: number;
  until?: number;
  status: 'HALT' | 'BREAK' | 'DELISTED';
}

export interface MarketFaultSettings {
  holes: HoleFault[];
  halts: ExchangeHaltFault[];
  symbolEvents: SymbolStatusFault[];
  /** The exchange's clock runs this many ms ahead (+) or behind (−) the virtual clock. */
  clockOffsetMs: number;
}

export type SymbolState =
  { kind: 'trading' } | { kind: 'halted'; status: 'HALT' | 'BREAK' } | { kind: 'delisted' };

/** Answers "what exists at exchange time t" from the current fault settings. */
export class MarketSchedule {
  constructor(
    private readonly settings: () => Readonly<MarketFaultSettings>,
    private readonly virtualNow: () => number,
  ) {}

  /** The exchange's clock: serverTime, kline times and candle closes follow it. */
  now(): number {
    return this.virtualNow() + this.settings().clockOffsetMs;
  }

  /** True when any hole, halt or symbol event is configured (the fast paths skip all checks otherwise). */
  active(): boolean {
    const s = this.settings();
    return s.holes.length > 0 || s.halts.length > 0 || s.symbolEvents.length > 0;
  }

  /** A candle was never generated when the whole of it lies inside a suspension of its series. */
  candleMissing(symbol: string, interval: KlineInterval, openTime: number, intervalMs: number): boolean {
    const end = openTime + intervalMs;
    return this.suspensions(symbol, interval).some((p) => p.from <= openTime && end <= p.to);
  }

  /** Start of the suspension of this series that covers `t`, if any (trading stands still from there). */
  suspendedSince(symbol: string, interval: KlineInterval, t: number): number | undefined {
    let since: number | undefined;
    for (const p of this.suspensions(symbol, interval)) {
      if (p.from <= t && t < p.to) since = since === undefined ? p.from : Math.min(since, p.from);
    }
    return since;
  }

  symbolState(symbol: string, t: number): SymbolState {
    for (const e of this.settings().symbolEvents) {
      if (e.symbol !== symbol || t < e.at || (e.until !== undefined && t >= e.until)) continue;
      return e.status === 'DELISTED' ? { kind: 'delisted' } : { kind: 'halted', status: e.status };
    }
    return { kind: 'trading' };
  }

  /** Status every symbol shows while the whole exchange is halted. */
  exchangeHaltStatus(t: number): 'HALT' | 'BREAK' | undefined {
    const halt = this.settings().halts.find((h) => h.from <= t && t < h.to);
    return halt ? (halt.status ?? 'BREAK') : undefined;
  }

  private suspensions(symbol: string, interval: KlineInterval): { from: number; to: number }[] {
    const s = this.settings();
    const periods: { from: number; to: number }[] = [];
    for (const h of s.holes) {
      if (
        (h.symbol === undefined || h.symbol === symbol) &&
        (h.interval === undefined || h.interval === interval)
      ) {
        periods.push(h);
      }
    }
    for (const h of s.halts) periods.push(h);
    for (const e of s.symbolEvents) {
      if (e.symbol === symbol) periods.push({ from: e.at, to: e.until ?? Infinity });
    }
    return periods;
  }
}

export function validateMarketFaults(changes: Partial<MarketFaultSettings>): void {
  for (const h of [...(changes.holes ?? []), ...(changes.halts ?? [])]) {
    if (!Number.isFinite(h.from) || !Number.isFinite(h.to) || h.to <= h.from) {
      throw new Error(`a hole or halt needs finite from < to, got from=${h.from} to=${h.to}`);
    }
  }
  for (const e of changes.symbolEvents ?? []) {
    if (!Number.isFinite(e.at) || (e.until !== undefined && !(e.until > e.at))) {
      throw new Error(
        `symbol event of ${e.symbol}: needs a finite 'at' and 'until' after it, got at=${e.at} until=${e.until}`,
      );
    }
  }
  if (changes.clockOffsetMs !== undefined && !Number.isFinite(changes.clockOffsetMs)) {
    throw new Error(`clockOffsetMs must be a finite number of ms, got ${changes.clockOffsetMs}`);
  }
}

/**
 * Market faults as one symbol's series see them at `now`: candles inside a suspension never existed,
 * and while a suspension covers `now` the candle open at its start stays as it was then (a candle that
 * opened inside it, and outlasts it, is not shown until trading resumes).
 */
export function seriesFaultView(market: MarketSchedule, symbol: string, now: number): SeriesFaultView {
  // One request asks about hundreds of candles of the same series: look the suspensions up once.
  const since = new Map<KlineInterval, number | undefined>();
  const suspendedSince = (interval: KlineInterval) => {
    if (!since.has(interval)) since.set(interval, market.suspendedSince(symbol, interval, now));
    return since.get(interval);
  };
  return {
    missing(series: KlineSeries, openTime: number) {
      const stoppedAt = suspendedSince(series.interval);
      if (stoppedAt !== undefined && openTime >= stoppedAt) return true;
      return market.candleMissing(symbol, series.interval, openTime, series.intervalMs);
    },
    tradingTime: (series: KlineSeries) => suspendedSince(series.interval) ?? now,
  };
}
