import type { MarketMatrixCell } from '@scanner/contracts';
import {
  cellText,
  colourLevel,
  DEFAULT_FILTER,
  DEFAULT_SORT,
  increasingRun,
  readsValues,
  visibleSymbols,
  type CellLookup,
} from './matrix-view';

const cell = (symbol: string, timeframe: string, over: Partial<MarketMatrixCell> = {}): MarketMatrixCell => ({
  symbol,
  timeframe,
  long: 50,
  short: 20,
  active: null,
  trend: 'above',
  rsi: 55.04,
  close: 1,
  asOf: '2024-08-05T11:59:59.999Z',
  ...over,
});

const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT'];
const TFS = ['5m', '1h'];
const cells = new Map<string, MarketMatrixCell>([
  ['BTCUSDT|5m', cell('BTCUSDT', '5m', { long: 30, short: 70, active: 'SHORT', rsi: 35 })],
  ['ETHUSDT|5m', cell('ETHUSDT', '5m', { long: 90, short: 10, rsi: 68 })],
  ['SOLUSDT|5m', cell('SOLUSDT', '5m', { long: null, short: null, rsi: null, asOf: null })],
  ['XRPUSDT|5m', cell('XRPUSDT', '5m', { long: 60, short: 60 })],
  ['ETHUSDT|1h', cell('ETHUSDT', '1h', { long: 40, short: 45 })],
]);
const lookup: CellLookup = (s, tf) => cells.get(`${s}|${tf}`);

describe('visibleSymbols', () => {
  it('keeps the universe order by default and filters by symbol text, case-insensitively', () => {
    expect(visibleSymbols(SYMBOLS, TFS, lookup, DEFAULT_SORT, DEFAULT_FILTER)).toEqual(SYMBOLS);
    expect(visibleSymbols(SYMBOLS, TFS, lookup, DEFAULT_SORT, { ...DEFAULT_FILTER, text: ' eth' })).toEqual([
      'ETHUSDT',
    ]);
  });

  it('sorts by a timeframe value, high first, missing values last, ties in universe order', () => {
    const sort = { field: 'long' as const, timeframe: '5m', descending: true };
    expect(visibleSymbols(SYMBOLS, TFS, lookup, sort, DEFAULT_FILTER)).toEqual([
      'ETHUSDT',
      'XRPUSDT',
      'BTCUSDT',
      'SOLUSDT',
    ]);
    expect(visibleSymbols(SYMBOLS, TFS, lookup, { ...sort, descending: false }, DEFAULT_FILTER)).toEqual([
      'BTCUSDT',
      'XRPUSDT',
      'ETHUSDT',
      'SOLUSDT',
    ]);
    expect(
      visibleSymbols(
        SYMBOLS,
        TFS,
        lookup,
        { field: 'net', timeframe: '5m', descending: false },
        DEFAULT_FILTER,
      ),
    ).toEqual(['BTCUSDT', 'XRPUSDT', 'ETHUSDT', 'SOLUSDT']);
    expect(
      visibleSymbols(
        SYMBOLS,
        TFS,
        lookup,
        { field: 'symbol', timeframe: null, descending: true },
        DEFAULT_FILTER,
      ),
    ).toEqual(['XRPUSDT', 'SOLUSDT', 'ETHUSDT', 'BTCUSDT']);
  });

  it('filters on active signals, best confidence and leaning side over every timeframe', () => {
    const f = DEFAULT_FILTER;
    expect(visibleSymbols(SYMBOLS, TFS, lookup, DEFAULT_SORT, { ...f, activeOnly: true })).toEqual([
      'BTCUSDT',
    ]);
    expect(visibleSymbols(SYMBOLS, TFS, lookup, DEFAULT_SORT, { ...f, minConfidence: 70 })).toEqual([
      'BTCUSDT',
      'ETHUSDT',
    ]);
    expect(visibleSymbols(SYMBOLS, TFS, lookup, DEFAULT_SORT, { ...f, side: 'short' })).toEqual([
      'BTCUSDT',
      'ETHUSDT',
    ]);
    expect(visibleSymbols(SYMBOLS, TFS, lookup, DEFAULT_SORT, { ...f, side: 'long' })).toEqual(['ETHUSDT']);
  });

  it('says when the order depends on live values', () => {
    expect(readsValues(DEFAULT_SORT, DEFAULT_FILTER)).toBe(false);
    expect(readsValues(DEFAULT_SORT, { ...DEFAULT_FILTER, text: 'x' })).toBe(false);
    expect(readsValues({ field: 'rsi', timeframe: '5m', descending: true }, DEFAULT_FILTER)).toBe(true);
    expect(readsValues(DEFAULT_SORT, { ...DEFAULT_FILTER, activeOnly: true })).toBe(true);
  });
});

describe('cell display', () => {
  it('colour steps of 20 points of long − short, blue side positive, none without data', () => {
    expect(colourLevel(cell('A', '5m', { long: 100, short: 0 }))).toBe(5);
    expect(colourLevel(cell('A', '5m', { long: 0, short: 100 }))).toBe(-5);
    expect(colourLevel(cell('A', '5m', { long: 45, short: 40 }))).toBe(0);
    expect(colourLevel(cell('A', '5m', { long: 70, short: 20 }))).toBe(3);
    expect(colourLevel(cell('A', '5m', { long: null, short: null }))).toBeNull();
    expect(colourLevel(undefined)).toBeNull();
  });

  it('shows the numbers and says everything in words', () => {
    const text = cellText('BTCUSDT', '1h', cell('BTCUSDT', '1h', { active: 'LONG', trend: 'below' }));
    expect(text).toEqual({
      long: '50',
      short: '20',
      active: 'LONG',
      detail: '↓ 55.0',
      label:
        'BTCUSDT 1h: long 50, short 20, active LONG signal, close below EMA200, RSI 55.0, candle closed 2024-08-05 11:59 UTC',
    });
    expect(cellText('BTCUSDT', '1h', undefined).label).toBe('BTCUSDT 1h: not evaluated yet');
  });
});

describe('increasingRun', () => {
  const values = (seq: number[]) => [...increasingRun(seq)].sort((a, b) => a - b).map((i) => seq[i]);

  it('keeps the longest run already in order, skipping new rows (negative)', () => {
    expect(values([0, 1, 2, 3])).toEqual([0, 1, 2, 3]);
    expect(values([2, 3, 4, -1, -1])).toEqual([2, 3, 4]);
    expect(values([3, 0, 1, 2])).toEqual([0, 1, 2]);
    expect(values([-1, 4, 1, 2, 0, 3])).toEqual([1, 2, 3]);
    expect(increasingRun([])).toEqual(new Set());
  });
});
