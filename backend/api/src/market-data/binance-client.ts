import { parseBinanceKlines } from '@scanner/signal-core';
import { BinanceInterval } from '../config';
import { BinanceTransport, TransportStats } from './binance-transport';
import { ExchangeInfo, ExchangeSymbolInfo, KlinesQuery, Ticker24hr } from './binance.types';
import { MarketCandle } from './market-candle';
import { MarketDataError } from './market-data.errors';

/** Request weights of the spot endpoints we call (Binance docs, since 2023-08-25). */
export const BINANCE_WEIGHTS = { ping: 1, exchangeInfo: 20, klines: 2, ticker24hrAll: 80 } as const;

interface RawSymbol {
  symbol?: unknown;
  status?: unknown;
  baseAsset?: unknown;
  quoteAsset?: unknown;
  filters?: { filterType?: unknown; tickSize?: unknown }[];
}

interface RawRateLimit {
  rateLimitType?: unknown;
  interval?: unknown;
  intervalNum?: unknown;
  limit?: unknown;
}

/** Typed calls to the Binance spot market-data REST API; every answer is parsed and validated. */
export class BinanceClient {
  constructor(private readonly transport: BinanceTransport) {}

  stats(): TransportStats {
    return this.transport.stats();
  }

  async ping(): Promise<void> {
    await this.transport.get<unknown>({ path: '/api/v3/ping', weight: BINANCE_WEIGHTS.ping, label: 'ping' });
  }

  async exchangeInfo(): Promise<ExchangeInfo> {
    const body = await this.transport.get<{ serverTime?: unknown; symbols?: unknown; rateLimits?: unknown }>({
      path: '/api/v3/exchangeInfo',
      weight: BINANCE_WEIGHTS.exchangeInfo,
      label: 'exchangeInfo',
    });
    if (!Array.isArray(body.symbols)) throw new MarketDataError('exchangeInfo: answer has no symbols array');
    const weightLimit = (Array.isArray(body.rateLimits) ? (body.rateLimits as RawRateLimit[]) : []).find(
      (limit) =>
        limit.rateLimitType === 'REQUEST_WEIGHT' && limit.interval === 'MINUTE' && limit.intervalNum === 1,
    );
    return {
      serverTime: requireInteger(body.serverTime, 'exchangeInfo: serverTime'),
      requestWeightPerMinute: typeof weightLimit?.limit === 'number' ? weightLimit.limit : null,
      symbols: (body.symbols as RawSymbol[]).map(parseSymbol),
    };
  }

  /** 24 h rolling statistics of every symbol (weight 80). */
  async ticker24hr(): Promise<Ticker24hr[]> {
    const body = await this.transport.get<unknown>({
      path: '/api/v3/ticker/24hr',
      weight: BINANCE_WEIGHTS.ticker24hrAll,
      label: 'ticker/24hr',
    });
    if (!Array.isArray(body)) throw new MarketDataError('ticker/24hr: expected an array of tickers');
    return (body as Record<string, unknown>[]).map(parseTicker);
  }

  /**
   * Validated klines, oldest first; the newest may be the still-open candle. With `expectedFirstOpenTime`
   * the first row must open exactly then (continuity with what is already stored). `gaps: 'allow'` accepts
   * rows that skip whole intervals (trading was suspended: the caller records the hole); by default they
   * are refused.
   */
  async klines(
    symbol: string,
    interval: BinanceInterval,
    query: KlinesQuery = {},
    expectedFirstOpenTime: number | null = null,
    gaps: 'reject' | 'allow' = 'reject',
  ): Promise<MarketCandle[]> {
    const body = await this.transport.get<unknown>({
      path: '/api/v3/klines',
      params: { symbol, interval, limit: query.limit, startTime: query.startTime, endTime: query.endTime },
      weight: BINANCE_WEIGHTS.klines,
      label: `klines ${symbol} ${interval}`,
    });
    return parseBinanceKlines(body, { symbol, interval, expectedFirstOpenTime, gaps });
  }
}

function parseSymbol(raw: RawSymbol): ExchangeSymbolInfo {
  const symbol = requireString(raw.symbol, 'exchangeInfo: symbol');
  const priceFilter = (raw.filters ?? []).find((filter) => filter.filterType === 'PRICE_FILTER');
  const tickSize =
    priceFilter === undefined
      ? null
      : requireDecimal(priceFilter.tickSize, `exchangeInfo ${symbol}: tickSize`);
  return {
    symbol,
    status: requireString(raw.status, `exchangeInfo ${symbol}: status`),
    baseAsset: requireString(raw.baseAsset, `exchangeInfo ${symbol}: baseAsset`),
    quoteAsset: requireString(raw.quoteAsset, `exchangeInfo ${symbol}: quoteAsset`),
    tickSize: tickSize === 0 ? null : tickSize,
  };
}

function parseTicker(raw: Record<string, unknown>): Ticker24hr {
  const symbol = requireString(raw.symbol, 'ticker/24hr: symbol');
  const decimal = (field: string): number => requireDecimal(raw[field], `ticker/24hr ${symbol}: ${field}`);
  return {
    symbol,
    lastPrice: decimal('lastPrice'),
    priceChangePercent: decimal('priceChangePercent'),
    highPrice: decimal('highPrice'),
    lowPrice: decimal('lowPrice'),
    volume: decimal('volume'),
    quoteVolume: decimal('quoteVolume'),
  };
}

function requireString(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '')
    throw new MarketDataError(`${what} is missing or not a string`);
  return value;
}

function requireInteger(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    throw new MarketDataError(`${what} is not an integer: ${JSON.stringify(value)}`);
  return value;
}

function requireDecimal(value: unknown, what: string): number {
  const parsed = typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(parsed))
    throw new MarketDataError(`${what} is not a decimal string: ${JSON.stringify(value)}`);
  return parsed;
}
