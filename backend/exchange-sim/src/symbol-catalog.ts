import { SymbolSeries } from './symbol-series';

export const SYMBOL_STATUSES = [
  'TRADING',
  'HALT',
  'BREAK',
  'CANCEL_ONLY',
  'END_OF_DAY',
  'PRE_TRADING',
  'POST_TRADING',
  'AUCTION_MATCH',
] as const;
export type SymbolStatus = (typeof SYMBOL_STATUSES)[number];

export function isSymbolStatus(value: string): value is SymbolStatus {
  return (SYMBOL_STATUSES as readonly string[]).includes(value);
}

/** Fixed 24h figures for a symbol that has no candles (crafted ticker lists, universe-filter tests). */
export interface StaticTicker {
  lastPrice: number;
  volume: number;
  openPrice?: number;
  highPrice?: number;
  lowPrice?: number;
  /** Default lastPrice × volume. */
  quoteVolume?: number;
  count?: number;
}

/** A symbol that exists only in exchangeInfo and the ticker (its klines are an empty list). */
export interface SymbolSpec {
  symbol: string;
  /** Default: split at a known quote asset suffix (USDT, FDUSD, USDC, BTC, ETH, BNB, …). */
  baseAsset?: string;
  quoteAsset?: string;
  status?: SymbolStatus;
  priceDecimals?: number;
  quantityDecimals?: number;
  ticker?: StaticTicker;
}

export interface SymbolEntry {
  symbol: string;
  baseAsset: string;
  quoteAsset: string;
  status: SymbolStatus;
  priceDecimals: number;
  quantityDecimals: number;
  /** Candles, for symbols loaded from the data folder or cloned from it. */
  series?: SymbolSeries;
  ticker?: StaticTicker;
}

const QUOTE_ASSETS = [
  'FDUSD',
  'USDT',
  'USDC',
  'TUSD',
  'BUSD',
  'BTC',
  'ETH',
  'BNB',
  'TRY',
  'EUR',
  'BRL',
  'JPY',
  'DAI',
];

export function splitSymbol(symbol: string): { baseAsset: string; quoteAsset: string } {
  for (const quote of QUOTE_ASSETS) {
    if (symbol.length > quote.length && symbol.endsWith(quote)) {
      return { baseAsset: symbol.slice(0, -quote.length), quoteAsset: quote };
    }
  }
  return { baseAsset: symbol.slice(0, -4), quoteAsset: symbol.slice(-4) };
}

/**
 * The symbols the exchange lists: data symbols (with candles) plus extra symbols (exchangeInfo and
 * ticker only). Tests can add extras, change a status, or replace the whole list with a crafted one.
 */
export class SymbolCatalog {
  private readonly dataEntries = new Map<string, SymbolEntry>();
  private extraEntries = new Map<string, SymbolEntry>();
  private dataHidden = false;
  private readonly statusOverrides = new Map<string, SymbolStatus>();

  constructor(data: readonly SymbolSeries[], extras: readonly SymbolSpec[] = []) {
    for (const series of data) this.addDataSeries(series);
    this.setExtraSymbols(extras);
  }

  get(symbol: string): SymbolEntry | undefined {
    const entry =
      this.extraEntries.get(symbol) ?? (this.dataHidden ? undefined : this.dataEntries.get(symbol));
    if (!entry) return undefined;
    const status = this.statusOverrides.get(symbol);
    return status ? { ...entry, status } : entry;
  }

  list(): SymbolEntry[] {
    const names = [...(this.dataHidden ? [] : this.dataEntries.keys()), ...this.extraEntries.keys()];
    return [...new Set(names)].map((name) => this.get(name)!);
  }

  /** Candle-backed symbols, even while hidden (clones are built from these). */
  dataSeries(): SymbolSeries[] {
    return [...this.dataEntries.values()].map((e) => e.series!);
  }

  addDataSeries(series: SymbolSeries): void {
    this.dataEntries.set(series.symbol, {
      symbol: series.symbol,
      ...splitSymbol(series.symbol),
      status: 'TRADING',
      priceDecimals: series.priceDecimals,
      quantityDecimals: series.quantityDecimals,
      series,
    });
  }

  /** Replaces the extra symbols (an extra with the name of a data symbol shadows it). */
  setExtraSymbols(specs: readonly SymbolSpec[]): void {
    this.extraEntries = new Map(specs.map((spec) => [spec.symbol, entryFromSpec(spec)]));
  }

  /** Serve only `specs` (a crafted ticker list): data symbols disappear until restoreDataSymbols(). */
  replaceSymbols(specs: readonly SymbolSpec[]): void {
    this.dataHidden = true;
    this.setExtraSymbols(specs);
  }

  restoreDataSymbols(): void {
    this.dataHidden = false;
  }

  setStatus(symbol: string, status: SymbolStatus | undefined): void {
    if (status === undefined) this.statusOverrides.delete(symbol);
    else this.statusOverrides.set(symbol, status);
  }
}

function entryFromSpec(spec: SymbolSpec): SymbolEntry {
  const split = splitSymbol(spec.symbol);
  return {
    symbol: spec.symbol,
    baseAsset: spec.baseAsset ?? split.baseAsset,
    quoteAsset: spec.quoteAsset ?? split.quoteAsset,
    status: spec.status ?? 'TRADING',
    priceDecimals: spec.priceDecimals ?? 4,
    quantityDecimals: spec.quantityDecimals ?? 2,
    ticker: spec.ticker ?? { lastPrice: 1, volume: 0 },
  };
}

/**
 * Extra symbols that exercise a universe filter: stablecoin and fiat bases, leveraged tokens, non-USDT
 * quotes and a symbol in BREAK, several with a 24h quote volume larger than any real pair's.
 */
export const UNIVERSE_TEST_SYMBOLS: readonly SymbolSpec[] = [
  { symbol: 'USDCUSDT', ticker: { lastPrice: 1.0001, volume: 2_500_000_000 } },
  { symbol: 'FDUSDUSDT', ticker: { lastPrice: 0.9998, volume: 1_800_000_000 } },
  { symbol: 'TUSDUSDT', ticker: { lastPrice: 0.9985, volume: 30_000_000 } },
  { symbol: 'EURUSDT', ticker: { lastPrice: 1.0932, volume: 60_000_000 } },
  { symbol: 'BTCUPUSDT', ticker: { lastPrice: 12.345, volume: 4_000_000 } },
  { symbol: 'BTCDOWNUSDT', ticker: { lastPrice: 0.00321, volume: 9_000_000_000 }, priceDecimals: 6 },
  { symbol: 'ETHBULLUSDT', ticker: { lastPrice: 7.5, volume: 2_000_000 } },
  { symbol: 'ETHBEARUSDT', ticker: { lastPrice: 0.012, volume: 900_000_000 } },
  { symbol: 'ETHBTC', priceDecimals: 5, quantityDecimals: 4, ticker: { lastPrice: 0.04321, volume: 40_000 } },
  { symbol: 'SOLFDUSD', ticker: { lastPrice: 150.12, volume: 3_000_000 } },
  { symbol: 'BNBBTC', priceDecimals: 6, quantityDecimals: 3, ticker: { lastPrice: 0.00912, volume: 90_000 } },
  { symbol: 'LUNAUSDT', status: 'BREAK', ticker: { lastPrice: 0.5, volume: 3_000_000_000 } },
  { symbol: 'OLDHALTUSDT', status: 'HALT', ticker: { lastPrice: 2.5, volume: 500_000_000 } },
];
