import { errors } from './binance-errors';
import { exchangeInfoBody } from './exchange-info';
import { FaultInjector } from './fault-injector';
import { applyRowFaults, klineRows, klineRowsAt, selectKlineIndices, selectKlines } from './klines-query';
import { MarketSchedule, seriesFaultView } from './market-faults';
import { QueryParams } from './query-params';
import { SimStats } from './sim-stats';
import { SymbolCatalog, SymbolEntry, SymbolStatus, isSymbolStatus } from './symbol-catalog';
import { TickerType, ticker24hr } from './ticker-24hr';

export interface EndpointContext {
  params: QueryParams;
  /** Exchange now: the virtual clock plus the clock-offset fault. */
  now: number;
  market: MarketSchedule;
  catalog: SymbolCatalog;
  faults: FaultInjector;
  stats: SimStats;
  weightLimit: number;
}

export interface Endpoint {
  /** REQUEST_WEIGHT of a call, from its parameters (charged even when the call is then rejected). */
  weight(params: QueryParams): number;
  /** Response body (JSON text); throws BinanceApiError for a 4xx. */
  handle(ctx: EndpointContext): string;
}

const KLINES_DEFAULT_LIMIT = 500;
const KLINES_MAX_LIMIT = 1000;
const UTC_TIME_ZONES = new Set(['0', '+0', '-0', '00:00', '+00:00', '-00:00', '0:00', '+0:00']);

const ping: Endpoint = { weight: () => 1, handle: () => '{}' };

const time: Endpoint = { weight: () => 1, handle: (ctx) => `{"serverTime":${ctx.now}}` };

const exchangeInfo: Endpoint = {
  weight: () => 20,
  handle(ctx) {
    const entries = selectSymbols(ctx, 'listing');
    const show = ctx.params.raw('showPermissionSets') !== 'false';
    return exchangeInfoBody(entries, ctx.now, ctx.weightLimit, show);
  },
};

const klines: Endpoint = {
  weight: () => 2,
  handle(ctx) {
    const p = ctx.params;
    if (!p.has('symbol')) throw errors.mandatory('symbol');
    const interval = p.interval();
    const symbol = p.symbol();
    const startTime = p.optionalLong('startTime');
    const endTime = p.optionalLong('endTime');
    const limit = p.limit(KLINES_DEFAULT_LIMIT, KLINES_MAX_LIMIT);
    const timeZone = p.raw('timeZone');
    if (timeZone !== undefined && !UTC_TIME_ZONES.has(timeZone)) throw errors.invalidParameter('timeZone');
    if (startTime !== undefined && endTime !== undefined && startTime > endTime) throw errors.startAfterEnd();
    const entry = ctx.catalog.get(symbol);
    if (!entry || ctx.market.symbolState(symbol, ctx.now).kind !== 'trading') throw errors.badSymbol();
    const series = entry.series?.get(interval);
    if (!entry.series || !series) return '[]';
    let rows: string[];
    let to: number;
    let from: number;
    if (ctx.market.active()) {
      const view = seriesFaultView(ctx.market, symbol, ctx.now);
      const indices = selectKlineIndices(series, { startTime, endTime, limit }, ctx.now, (t) =>
        view.missing(series, t),
      );
      rows = klineRowsAt(entry.series, series, indices, ctx.now, view.tradingTime(series));
      from = indices[0] ?? 0;
      to = (indices[indices.length - 1] ?? -1) + 1;
    } else {
      ({ from, to } = selectKlines(series, { startTime, endTime, limit }, ctx.now));
      rows = klineRows(entry.series, series, from, to, ctx.now);
    }
    const gaps = ctx.faults.gapsFor(symbol, interval);
    const badRows = ctx.faults.badRowsFor(symbol, interval);
    if (gaps.length > 0 || badRows.length > 0) {
      const lastOpen = to > from && series.openTimeAt(to - 1) + series.intervalMs - 1 > ctx.now;
      const touched = applyRowFaults(rows, lastOpen, gaps, badRows);
      for (let i = 0; i < touched.gaps; i++) ctx.stats.countFault('gaps');
      for (let i = 0; i < touched.badRows; i++) ctx.stats.countFault('badRows');
    }
    return `[${rows.join(',')}]`;
  },
};

const ticker24hrEndpoint: Endpoint = {
  weight(params) {
    if (params.has('symbol')) return 2;
    const count = params.symbolCountForWeight();
    if (count === undefined) return 80;
    return count <= 20 ? 2 : count <= 100 ? 40 : 80;
  },
  handle(ctx) {
    const typeParam = ctx.params.raw('type') ?? 'FULL';
    if (typeParam !== 'FULL' && typeParam !== 'MINI') throw errors.badTickerType();
    const type: TickerType = typeParam;
    const entries = selectSymbols(ctx, 'trading');
    const view = (e: SymbolEntry) =>
      ctx.market.active() ? seriesFaultView(ctx.market, e.symbol, ctx.now) : undefined;
    if (ctx.params.has('symbol'))
      return JSON.stringify(ticker24hr(entries[0]!, ctx.now, type, view(entries[0]!)));
    return JSON.stringify(entries.map((e) => ticker24hr(e, ctx.now, type, view(e))));
  },
};

/**
 * The catalog entry as the exchange shows it at `now`, or undefined when it is not there: a delisted
 * symbol is gone everywhere; a halted one is listed with its status ('listing') but unknown to the
 * market-data endpoints ('trading'), which answer -1121 for it. An exchange-wide halt overrides every status.
 */
function effectiveEntry(
  ctx: EndpointContext,
  entry: SymbolEntry | undefined,
  purpose: 'listing' | 'trading',
): SymbolEntry | undefined {
  if (!entry || !ctx.market.active()) return entry;
  const state = ctx.market.symbolState(entry.symbol, ctx.now);
  if (state.kind === 'delisted' || (state.kind === 'halted' && purpose === 'trading')) return undefined;
  const status =
    ctx.market.exchangeHaltStatus(ctx.now) ?? (state.kind === 'halted' ? state.status : undefined);
  return status ? { ...entry, status } : entry;
}

/** symbol | symbols | all, filtered by symbolStatus, validated like Binance does. */
function selectSymbols(ctx: EndpointContext, purpose: 'listing' | 'trading'): SymbolEntry[] {
  const p = ctx.params;
  if (p.raw('symbol') !== undefined && p.raw('symbols') !== undefined) throw errors.symbolAndSymbols();
  const statusParam = p.raw('symbolStatus');
  let status: SymbolStatus | undefined;
  if (statusParam !== undefined) {
    if (!isSymbolStatus(statusParam)) throw errors.badSymbolStatus();
    status = statusParam;
  }
  if (p.raw('symbol') !== undefined) {
    const entry = effectiveEntry(ctx, ctx.catalog.get(p.symbol()), purpose);
    if (!entry) throw errors.badSymbol();
    if (status && entry.status !== status) throw errors.statusMismatch();
    return [entry];
  }
  const names = p.symbolList();
  if (names) {
    const entries = names.map((name) => {
      const entry = effectiveEntry(ctx, ctx.catalog.get(name), purpose);
      if (!entry) throw errors.badSymbol();
      return entry;
    });
    return entries.filter((e) => !status || e.status === status);
  }
  return ctx.catalog
    .list()
    .map((e) => effectiveEntry(ctx, e, purpose))
    .filter((e): e is SymbolEntry => e !== undefined && (!status || e.status === status));
}

/** Routes by path; anything else is a 404. */
export const ENDPOINTS: Readonly<Record<string, Endpoint>> = {
  '/api/v3/ping': ping,
  '/api/v3/time': time,
  '/api/v3/exchangeInfo': exchangeInfo,
  '/api/v3/klines': klines,
  '/api/v3/uiKlines': klines,
  '/api/v3/ticker/24hr': ticker24hrEndpoint,
};
