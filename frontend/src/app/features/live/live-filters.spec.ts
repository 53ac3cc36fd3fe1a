import { makeSignal } from '@app/testing/make-signal';
import { DEFAULT_FILTERS, filterAndSort, filtersToQuery, parseFilters } from './live-filters';

describe('live filters', () => {
  const signals = [
    makeSignal({
      id: '1',
      symbol: 'ETHUSDT',
      direction: 'SHORT',
      confidence: 80,
      timeframe: '1h',
      createdAt: '2024-08-05T10:00:00Z',
    }),
    makeSignal({
      id: '2',
      symbol: 'BTCUSDT',
      direction: 'LONG',
      confidence: 90,
      timeframe: '5m',
      createdAt: '2024-08-05T09:00:00Z',
    }),
    makeSignal({
      id: '3',
      symbol: 'SOLUSDT',
      direction: 'LONG',
      confidence: 72,
      timeframe: '5m',
      createdAt: '2024-08-05T11:00:00Z',
    }),
    makeSignal({
      id: '4',
      symbol: 'BNBUSDT',
      direction: 'LONG',
      confidence: 80,
      timeframe: '5m',
      createdAt: '2024-08-05T12:00:00Z',
    }),
  ];
  const ids = (f: Partial<typeof DEFAULT_FILTERS>) =>
    filterAndSort(signals, { ...DEFAULT_FILTERS, ...f }).map((s) => s.id);

  it('sorts by confidence (ties: newest first), latest, or symbol', () => {
    expect(ids({ sort: 'confidence' })).toEqual(['2', '4', '1', '3']);
    expect(ids({ sort: 'latest' })).toEqual(['4', '3', '1', '2']);
    expect(ids({ sort: 'symbol' })).toEqual(['4', '2', '1', '3']);
  });

  it('filters by direction, timeframe, minimum confidence and symbol substring', () => {
    expect(ids({ direction: 'SHORT' })).toEqual(['1']);
    expect(ids({ direction: 'LONG', timeframe: '5m', minConfidence: 75 })).toEqual(['2', '4']);
    expect(ids({ symbol: 'SOL' })).toEqual(['3']);
    expect(ids({ symbol: 'USDT', minConfidence: 100 })).toEqual([]);
  });

  it('reads the URL query, falling back to defaults on anything invalid', () => {
    expect(parseFilters({})).toEqual(DEFAULT_FILTERS);
    expect(
      parseFilters({
        direction: 'LONG',
        timeframe: '15m',
        minConfidence: '80',
        status: 'CLOSED',
        symbol: ' btc ',
        sort: 'symbol',
      }),
    ).toEqual({
      direction: 'LONG',
      timeframe: '15m',
      minConfidence: 80,
      status: 'CLOSED',
      symbol: 'BTC',
      sort: 'symbol',
    });
    expect(
      parseFilters({
        direction: 'UP',
        timeframe: 'x; drop',
        minConfidence: '250',
        status: 'NOPE',
        sort: 'random',
      }),
    ).toEqual({
      ...DEFAULT_FILTERS,
      minConfidence: 100,
    });
    expect(parseFilters({ minConfidence: 'abc' }).minConfidence).toBe(0);
  });

  it('writes only non-default filters to the URL, and round-trips', () => {
    expect(filtersToQuery(DEFAULT_FILTERS)).toEqual({
      direction: null,
      timeframe: null,
      minConfidence: null,
      status: null,
      symbol: null,
      sort: null,
    });
    const custom = {
      direction: 'SHORT',
      timeframe: '1h',
      minConfidence: 70,
      status: 'TP_HIT',
      symbol: 'ETH',
      sort: 'latest',
    } as const;
    const query = filtersToQuery(custom);
    expect(query).toEqual({
      direction: 'SHORT',
      timeframe: '1h',
      minConfidence: '70',
      status: 'TP_HIT',
      symbol: 'ETH',
      sort: 'latest',
    });
    expect(parseFilters(query as Record<string, string>)).toEqual(custom);
  });
});
