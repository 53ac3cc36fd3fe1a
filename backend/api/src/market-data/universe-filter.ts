import { ExchangeSymbolInfo, Ticker24hr } from './binance.types';

/** Bases whose price is pegged (stablecoins, fiat): no signal to find against USDT. */
export const STABLE_BASES: ReadonlySet<string> = new Set([
  'USDT',
  'USDC',
  'FDUSD',
  'TUSD',
  'USDP',
  'PAX',
  'DAI',
  'BUSD',
  'USDE',
  'PYUSD',
  'USD1',
  'USDS',
  'BFUSD',
  'XUSD',
  'RLUSD',
  'UST',
  'SUSD',
  'GUSD',
  'EURI',
  'AEUR',
  'EUR',
  'GBP',
  'AUD',
  'BRL',
  'TRY',
  'JPY',
  'RUB',
  'UAH',
  'ZAR',
  'BIDR',
  'IDRT',
  'NGN',
]);

const LEVERAGED_SUFFIX = /^([A-Z0-9]{2,})(UP|DOWN|BULL|BEAR)$/;

export interface UniverseFilterOptions {
  topN: number;
  /** When not empty, only these symbols can be picked (they skip the stablecoin/leveraged heuristics). */
  allow: readonly string[];
  deny: readonly string[];
  quoteAsset?: string;
}

export interface UniverseMember {
  rank: number;
  info: ExchangeSymbolInfo;
  ticker: Ticker24hr;
}

/**
 * Picks the scan universe: the top `topN` pairs quoted in USDT by 24 h quote volume that are TRADING,
 * whose base is neither pegged nor a leveraged token (BTCUP, ETHBEAR…), minus the deny list and, when
 * an allow list is set, restricted to it. Ties rank by symbol name, so the choice is deterministic.
 */
export function selectUniverse(
  symbols: readonly ExchangeSymbolInfo[],
  tickers: readonly Ticker24hr[],
  options: UniverseFilterOptions,
): UniverseMember[] {
  const quote = options.quoteAsset ?? 'USDT';
  const tickerBySymbol = new Map(tickers.map((ticker) => [ticker.symbol, ticker]));
  const bases = new Set(symbols.map((info) => info.baseAsset));
  const allow = new Set(options.allow);
  const deny = new Set(options.deny);
  const candidates: { info: ExchangeSymbolInfo; ticker: Ticker24hr }[] = [];
  for (const info of symbols) {
    const ticker = tickerBySymbol.get(info.symbol);
    if (
      ticker === undefined ||
      info.quoteAsset !== quote ||
      info.status !== 'TRADING' ||
      deny.has(info.symbol)
    )
      continue;
    if (allow.size > 0) {
      if (allow.has(info.symbol)) candidates.push({ info, ticker });
      continue;
    }
    if (STABLE_BASES.has(info.baseAsset) || isLeveragedToken(info.baseAsset, bases)) continue;
    candidates.push({ info, ticker });
  }
  candidates.sort(
    (a, b) => b.ticker.quoteVolume - a.ticker.quoteVolume || a.info.symbol.localeCompare(b.info.symbol),
  );
  return candidates.slice(0, options.topN).map((candidate, index) => ({ rank: index + 1, ...candidate }));
}

/** BTCUP, BTCDOWN, ETHBULL, ETHBEAR: a known base followed by a leverage suffix (JUP or SUPER are not). */
export function isLeveragedToken(base: string, knownBases: ReadonlySet<string>): boolean {
  const match = LEVERAGED_SUFFIX.exec(base);
  return match !== null && knownBases.has(match[1]);
}
