import { loadTalibFixtures, type ReferenceSeries } from '../testing/talib-fixtures';
import { computeIndicatorSeries } from './compute-indicator-series';
import { INDICATOR_SNAPSHOT_KEYS } from './indicator-values.types';

const REL_TOLERANCE = 1e-9;
/** Below this magnitude a reference value counts as ~0 and is compared absolutely. */
const ZERO_SCALE: Record<string, number> = { macd: 1e-9, macdSignal: 1e-9, macdHistogram: 1e-9 };

/** Index of the first mismatch (or -1), comparing every index, including the warm-up nulls. */
function firstMismatch(
  actual: readonly (number | null)[],
  ref: ReferenceSeries,
  absFloor: number,
): string | null {
  for (let i = 0; i < actual.length; i++) {
    const j = i - ref.begIndex;
    const expected = j >= 0 ? ref.values[j] : null;
    const value = actual[i];
    if (expected === null || value === null) {
      if (expected !== value) return `index ${i}: expected ${expected}, got ${value}`;
      continue;
    }
    const diff = Math.abs(value - expected);
    if (diff > REL_TOLERANCE * Math.max(Math.abs(expected), absFloor)) {
      return `index ${i}: expected ${expected}, got ${value} (diff ${diff})`;
    }
  }
  return null;
}

const fixtures = loadTalibFixtures();

describe('TA-Lib parity on real Binance candles', () => {
  it('has fixtures for BTC, DOGE, TRX and PEPE on several intervals, 600+ candles each', () => {
    const names = fixtures.map((f) => f.name);
    for (const symbol of ['BTCUSDT', 'DOGEUSDT', 'TRXUSDT', 'PEPEUSDT']) {
      expect(names.filter((n) => n.startsWith(`${symbol}-`)).length).toBeGreaterThanOrEqual(2);
    }
    for (const f of fixtures) expect(f.candles.length).toBeGreaterThanOrEqual(600);
  });

  describe.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
    const series = computeIndicatorSeries(fixture.candles);
    const closes = fixture.candles.map((c) => c.close);
    const scale = closes.reduce((a, b) => a + Math.abs(b), 0) / closes.length;

    it.each(INDICATOR_SNAPSHOT_KEYS.filter((k) => !k.startsWith('bb')))(
      '%s equals TA-Lib at every index',
      (key) => {
        // MACD values live on the price scale and cross zero; near zero compare against the price scale.
        const floor = key in ZERO_SCALE ? scale * 1e-6 : 1e-12;
        expect(firstMismatch(series[key], fixture.talib[key], floor)).toBeNull();
      },
    );

    it.each(['bbUpper', 'bbMiddle', 'bbLower'] as const)(
      '%s equals the exact (BigInt) two-pass reference',
      (key) => {
        expect(firstMismatch(series[key], fixture.exactBollinger[key], 1e-12)).toBeNull();
      },
    );

    it.each(['bbUpper', 'bbMiddle', 'bbLower'] as const)(
      '%s equals TA-Lib wherever TA-Lib does not zero a variance below 1e-14',
      (key) => {
        const talib = fixture.talib[key];
        const upper = fixture.talib.bbUpper;
        const middle = fixture.talib.bbMiddle;
        const comparable: (number | null)[] = series[key].map((v, i) => {
          const j = i - talib.begIndex;
          if (j < 0) return v;
          const zeroed = upper.values[j] === middle.values[j];
          return zeroed ? talib.values[j] : v;
        });
        expect(firstMismatch(comparable, talib, 1e-12)).toBeNull();
      },
    );
  });

  it('shows why PEPE needs the exact reference: TA-Lib zero-width bands where ours are not', () => {
    const pepe = fixtures.find((f) => f.name === 'PEPEUSDT-5m');
    expect(pepe).toBeDefined();
    const talib = pepe!.talib;
    const zeroWidth = talib.bbUpper.values.filter((v, j) => v === talib.bbMiddle.values[j]).length;
    expect(zeroWidth).toBeGreaterThan(0);
    const ours = computeIndicatorSeries(pepe!.candles);
    const flat = ours.bbUpper.filter((v, i) => v !== null && v === ours.bbMiddle[i]).length;
    expect(flat).toBeLessThan(zeroWidth);
  });
});
