import { ExchangeSymbolInfo, Ticker24hr } from './binance.types';
import { isLeveragedToken, selectUniverse } from './universe-filter';

function pair(
  symbol: string,
  base: string,
  quote: string,
  quoteVolume: number,
  status = 'TRADING',
): { info: ExchangeSymbolInfo; ticker: Ticker24hr } {
  return {
    info: { symbol, baseAsset: base, quoteAsset: quote, status, tickSize: 0.01 },
    ticker: {
      symbol,
      lastPrice: 1,
      priceChangePercent: 0,
      highPrice: 1,
      lowPrice: 1,
      volume: 1,
      quoteVolume,
    },
  };
}

const CRAFTED = [
  pair('BTCUSDT', 'BTC', 'USDT', 900),
  pair('ETHUSDT', 'ETH', 'USDT', 800),
  pair('SOLUSDT', 'SOL', 'USDT', 700),
  pair('JUPUSDT', 'JUP', 'USDT', 650),
  pair('XRPUSDT', 'XRP', 'USDT', 600),
  pair('DOGEUSDT', 'DOGE', 'USDT', 500),
  pair('USDCUSDT', 'USDC', 'USDT', 5000),
  pair('FDUSDUSDT', 'FDUSD', 'USDT', 4000),
  pair('TUSDUSDT', 'TUSD', 'USDT', 3000),
  pair('EURUSDT', 'EUR', 'USDT', 2500),
  pair('DAIUSDT', 'DAI', 'USDT', 2400),
  pair('USDEUSDT', 'USDE', 'USDT', 2300),
  pair('BTCUPUSDT', 'BTCUP', 'USDT', 2000),
  pair('BTCDOWNUSDT', 'BTCDOWN', 'USDT', 1900),
  pair('ETHBULLUSDT', 'ETHBULL', 'USDT', 1800),
  pair('ETHBEARUSDT', 'ETHBEAR', 'USDT', 1700),
  pair('ETHBTC', 'ETH', 'BTC', 1600),
  pair('SOLFDUSD', 'SOL', 'FDUSD', 1500),
  pair('LUNAUSDT', 'LUNA', 'USDT', 1400, 'BREAK'),
  pair('OLDUSDT', 'OLD', 'USDT', 1300, 'HALT'),
  pair('ADAUSDT', 'ADA', 'USDT', 500),
];
const infos = CRAFTED.map((item) => item.info);
const tickers = CRAFTED.map((item) => item.ticker);

const pick = (options: Partial<Parameters<typeof selectUniverse>[2]>): string[] =>
  selectUniverse(infos, tickers, { topN: 50, allow: [], deny: [], ...options }).map(
    (member) => member.info.symbol,
  );

describe('selectUniverse', () => {
  it('keeps TRADING USDT pairs only, without stablecoin bases or leveraged tokens, by quote volume', () => {
    expect(pick({})).toEqual(['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'JUPUSDT', 'XRPUSDT', 'ADAUSDT', 'DOGEUSDT']);
  });

  it('ranks from 1 and cuts at SCAN_TOP_N', () => {
    const members = selectUniverse(infos, tickers, { topN: 3, allow: [], deny: [] });
    expect(members.map((member) => [member.rank, member.info.symbol])).toEqual([
      [1, 'BTCUSDT'],
      [2, 'ETHUSDT'],
      [3, 'SOLUSDT'],
    ]);
  });

  it('breaks quote-volume ties by symbol name', () => {
    expect(pick({}).slice(-2)).toEqual(['ADAUSDT', 'DOGEUSDT']);
  });

  it('drops SCAN_SYMBOLS_DENY', () => {
    expect(pick({ deny: ['ETHUSDT', 'XRPUSDT'] })).toEqual([
      'BTCUSDT',
      'SOLUSDT',
      'JUPUSDT',
      'ADAUSDT',
      'DOGEUSDT',
    ]);
  });

  it('restricts to SCAN_SYMBOLS_ALLOW, still TRADING USDT pairs only', () => {
    expect(pick({ allow: ['DOGEUSDT', 'BTCUSDT', 'LUNAUSDT', 'ETHBTC', 'NOPEUSDT'] })).toEqual([
      'BTCUSDT',
      'DOGEUSDT',
    ]);
    expect(pick({ allow: ['DOGEUSDT', 'BTCUSDT'], deny: ['BTCUSDT'] })).toEqual(['DOGEUSDT']);
  });

  it('ignores symbols without a 24 h ticker', () => {
    expect(
      selectUniverse(
        infos,
        tickers.filter((ticker) => ticker.symbol !== 'BTCUSDT'),
        { topN: 2, allow: [], deny: [] },
      ).map((m) => m.info.symbol),
    ).toEqual(['ETHUSDT', 'SOLUSDT']);
  });

  it('tells leveraged tokens from coins that happen to end in UP', () => {
    const bases = new Set(['BTC', 'ETH', 'JUP', 'SUPER']);
    expect(isLeveragedToken('BTCUP', bases)).toBe(true);
    expect(isLeveragedToken('ETHBEAR', bases)).toBe(true);
    expect(isLeveragedToken('JUP', bases)).toBe(false);
    expect(isLeveragedToken('SUPER', bases)).toBe(false);
  });
});
