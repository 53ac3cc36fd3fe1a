import { makeSignal } from '@app/testing/make-signal';
import { cumulativeR, curvePath } from './cumulative-r';
import { historyFiltersToQuery, parseHistoryFilters, toListQuery, toQualityQuery } from './history-query';

describe('cumulative R', () => {
  it('sums net R in closing order and skips signals without one', () => {
    const points = cumulativeR([
      makeSignal({ id: 'b', closedAt: '2024-08-05T12:00:00Z', outcomeR: -0.9, netR: -1 }),
      makeSignal({ id: 'a', closedAt: '2024-08-05T11:00:00Z', outcomeR: 1.8, netR: 1.67 }),
      makeSignal({ id: 'c', closedAt: '2024-08-05T13:00:00Z', outcomeR: 0.2, netR: null }),
      makeSignal({ id: 'd', closedAt: '2024-08-05T14:00:00Z', outcomeR: 0.6, netR: 0.5 }),
    ]);
    expect(points.map((p) => Number(p.r.toFixed(2)))).toEqual([1.67, 0.67, 1.17]);
  });

  it('draws a path starting on the zero line', () => {
    const { d, zeroY } = curvePath(
      [
        { time: 0, r: 1 },
        { time: 10, r: -1 },
      ],
      100,
      100,
    );
    expect(zeroY).toBe(50);
    expect(d).toBe('M0,50.0 L0.0,0.0 L100.0,100.0');
  });
});

describe('history query', () => {
  it('defaults to any closed outcome, newest first, and builds the REST query with the cursor', () => {
    const f = parseHistoryFilters({ direction: 'SHORT', symbol: 'eth' });
    expect(f).toEqual({
      origin: 'live',
      direction: 'SHORT',
      timeframe: null,
      status: 'CLOSED',
      symbol: 'ETH',
      sort: 'latest',
    });
    expect(toListQuery(f, 50, 'abc')).toEqual({
      status: 'CLOSED',
      sort: 'latest',
      limit: 50,
      direction: 'SHORT',
      symbol: 'ETH',
      origin: 'live',
      cursor: 'abc',
    });
    expect(toQualityQuery(f)).toEqual({ origin: 'live', direction: 'SHORT' });
  });

  it('reads the origin toggle: replay or all on request, live otherwise; all leaves the list unfiltered', () => {
    expect(parseHistoryFilters({ origin: 'replay' }).origin).toBe('replay');
    expect(parseHistoryFilters({ origin: 'bogus' }).origin).toBe('live');
    const all = parseHistoryFilters({ origin: 'all', timeframe: '1h' });
    expect(toListQuery(all, 10, null)).toEqual({
      status: 'CLOSED',
      sort: 'latest',
      limit: 10,
      timeframe: '1h',
    });
    expect(toQualityQuery(all)).toEqual({ origin: 'all', timeframe: '1h' });
    expect(historyFiltersToQuery(parseHistoryFilters({})).origin).toBeNull();
    expect(historyFiltersToQuery(all).origin).toBe('all');
  });
});
