import { format8, stepString } from './decimal';
import { SymbolEntry } from './symbol-catalog';

export interface RateLimitEntry {
  rateLimitType: 'REQUEST_WEIGHT' | 'ORDERS' | 'RAW_REQUESTS';
  interval: 'SECOND' | 'MINUTE' | 'DAY';
  intervalNum: number;
  limit: number;
}

export function rateLimits(weightLimit: number): RateLimitEntry[] {
  return [
    { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: weightLimit },
    { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
    { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200000 },
    { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 300000 },
  ];
}

const ORDER_TYPES = [
  'LIMIT',
  'LIMIT_MAKER',
  'MARKET',
  'STOP_LOSS',
  'STOP_LOSS_LIMIT',
  'TAKE_PROFIT',
  'TAKE_PROFIT_LIMIT',
];
const STP_MODES = ['NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH', 'DECREMENT'];

/**
 * One `symbols[]` element shaped like the live API's: the tick size comes from the most decimals the
 * data's prices use, the step size from its volumes. Like the live API since 2024, `permissions` is
 * empty and the permissions are carried by `permissionSets`.
 */
export function symbolInfo(entry: SymbolEntry, showPermissionSets = true): Record<string, unknown> {
  const tick = stepString(entry.priceDecimals);
  const step = stepString(entry.quantityDecimals);
  return {
    symbol: entry.symbol,
    status: entry.status,
    baseAsset: entry.baseAsset,
    baseAssetPrecision: 8,
    quoteAsset: entry.quoteAsset,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: ORDER_TYPES,
    icebergAllowed: true,
    ocoAllowed: true,
    otoAllowed: true,
    opoAllowed: true,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: true,
    cancelReplaceAllowed: true,
    amendAllowed: true,
    pegInstructionsAllowed: true,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: entry.quoteAsset === 'USDT',
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: tick, maxPrice: format8(1_000_000), tickSize: tick },
      { filterType: 'LOT_SIZE', minQty: step, maxQty: format8(9_000_000_000), stepSize: step },
      { filterType: 'ICEBERG_PARTS', limit: 10 },
      {
        filterType: 'MARKET_LOT_SIZE',
        minQty: format8(0),
        maxQty: format8(100_000_000),
        stepSize: format8(0),
      },
      {
        filterType: 'TRAILING_DELTA',
        minTrailingAboveDelta: 10,
        maxTrailingAboveDelta: 2000,
        minTrailingBelowDelta: 10,
        maxTrailingBelowDelta: 2000,
      },
      {
        filterType: 'PERCENT_PRICE_BY_SIDE',
        bidMultiplierUp: '5',
        bidMultiplierDown: '0.2',
        askMultiplierUp: '5',
        askMultiplierDown: '0.2',
        avgPriceMins: 5,
      },
      {
        filterType: 'NOTIONAL',
        minNotional: format8(5),
        applyMinToMarket: true,
        maxNotional: format8(9_000_000),
        applyMaxToMarket: false,
        avgPriceMins: 5,
      },
      { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
      { filterType: 'MAX_NUM_ALGO_ORDERS', maxNumAlgoOrders: 5 },
    ],
    permissions: [],
    permissionSets: showPermissionSets ? [entry.quoteAsset === 'USDT' ? ['SPOT', 'MARGIN'] : ['SPOT']] : [],
    defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
    allowedSelfTradePreventionModes: STP_MODES,
  };
}

export function exchangeInfoBody(
  entries: readonly SymbolEntry[],
  serverTime: number,
  weightLimit: number,
  showPermissionSets: boolean,
): string {
  return JSON.stringify({
    timezone: 'UTC',
    serverTime,
    rateLimits: rateLimits(weightLimit),
    exchangeFilters: [],
    symbols: entries.map((e) => symbolInfo(e, showPermissionSets)),
  });
}
