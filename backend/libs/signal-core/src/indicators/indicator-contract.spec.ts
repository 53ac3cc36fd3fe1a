import type { OhlcPrices } from '../candles/candle.types';
import { loadTalibFixtures } from '../testing/talib-fixtures';
import { AdxIndicator } from './adx.indicator';
import { AtrIndicator } from './atr.indicator';
import { BollingerBandsIndicator } from './bollinger-bands.indicator';
import { computeIndicatorSeries } from './compute-indicator-series';
import { EmaIndicator } from './ema.indicator';
import { HeikinAshiIndicator } from './heikin-ashi.indicator';
import { IndicatorSet } from './indicator-set';
import { INDICATOR_SERIES_KEYS } from './indicator-values.types';
import { MacdIndicator } from './macd.indicator';
import { RsiIndicator } from './rsi.indicator';
import type { StreamingIndicator } from './streaming-indicator';

const [fixture] = loadTalibFixtures().filter((f) => f.name === 'DOGEUSDT-15m');
const candles = fixture.candles;

/** A still-open version of a candle: part of its range, a different last price. */
function openVersion(c: OhlcPrices, k: number): OhlcPrices {
  const mid = (c.high + c.low) / 2;
  return { open: c.open, high: Math.max(c.open, mid + k), low: Math.min(c.open, mid - k), close: mid };
}

type AnyIndicator = StreamingIndicator<never, unknown, unknown>;
interface Case {
  name: string;
  make: () => AnyIndicator;
  input: (c: OhlcPrices) => unknown;
  firstIndex: number;
}

const CASES: Case[] = [
  { name: 'EMA(9)', make: () => new EmaIndicator(9) as never, input: (c) => c.close, firstIndex: 8 },
  { name: 'EMA(200)', make: () => new EmaIndicator(200) as never, input: (c) => c.close, firstIndex: 199 },
  { name: 'RSI(14)', make: () => new RsiIndicator(14) as never, input: (c) => c.close, firstIndex: 14 },
  { name: 'MACD(12,26,9)', make: () => new MacdIndicator() as never, input: (c) => c.close, firstIndex: 33 },
  { name: 'ATR(14)', make: () => new AtrIndicator(14) as never, input: (c) => c, firstIndex: 14 },
  { name: 'ADX(14)', make: () => new AdxIndicator(14) as never, input: (c) => c, firstIndex: 14 },
  {
    name: 'BB(20,2)',
    make: () => new BollingerBandsIndicator(20, 2) as never,
    input: (c) => c.close,
    firstIndex: 19,
  },
  { name: 'HeikinAshi', make: () => new HeikinAshiIndicator() as never, input: (c) => c, firstIndex: 0 },
];

describe.each(CASES.map((c) => [c.name, c] as const))('%s streaming contract', (_n, tc) => {
  const feed = (ind: AnyIndicator, i: number) =>
    (ind as unknown as { add(x: unknown): unknown }).add(tc.input(candles[i]));

  it('is null during warm-up and has a value from its first index on', () => {
    const ind = tc.make();
    candles.slice(0, 250).forEach((_c, i) => {
      const result = feed(ind, i);
      expect(result === null).toBe(i < tc.firstIndex);
    });
    expect(ind.isStable).toBe(true);
    expect(ind.getRequiredInputs()).toBeGreaterThanOrEqual(tc.firstIndex + 1);
  });

  it('replace() of the open candle then add() of the closed one equals add() of the closed one', () => {
    const plain = tc.make();
    const live = tc.make();
    const anyLive = live as unknown as { add(x: unknown): unknown; replace(x: unknown): unknown };
    candles.slice(0, 260).forEach((c, i) => {
      const expected = feed(plain, i);
      anyLive.replace(tc.input(openVersion(c, 0.0001)));
      const provisional = anyLive.replace(tc.input(openVersion(c, 0.0002)));
      if (i >= tc.firstIndex) expect(provisional).not.toBeNull();
      expect(anyLive.add(tc.input(c))).toEqual(expected);
    });
    expect(live.getState()).toEqual(plain.getState());
  });

  it('replace() returns exactly what add() of the same candle would return', () => {
    const a = tc.make() as unknown as { add(x: unknown): unknown; replace(x: unknown): unknown };
    const b = tc.make() as unknown as { add(x: unknown): unknown };
    candles.slice(0, 240).forEach((c) => {
      expect(a.replace(tc.input(c))).toEqual(b.add(tc.input(c)));
      a.add(tc.input(c));
    });
  });

  it('getState() -> JSON -> setState() continues bit-identically; reset() starts over', () => {
    const a = tc.make();
    const b = tc.make();
    candles.slice(0, 120).forEach((_c, i) => feed(a, i));
    b.setState(JSON.parse(JSON.stringify(a.getState())) as never);
    expect(b.getResult()).toEqual(a.getResult());
    for (let i = 120; i < 300; i++) expect(feed(b, i)).toEqual(feed(a, i));
    a.reset();
    expect(a.getResult()).toBeNull();
    expect(feed(a, 0) === null).toBe(tc.firstIndex > 0);
  });
});

describe('IndicatorSet and computeIndicatorSeries', () => {
  it('batch equals streaming bit-identically for every series', () => {
    const batch = computeIndicatorSeries(candles);
    const set = new IndicatorSet();
    candles.forEach((c, i) => {
      set.add(c);
      for (const key of INDICATOR_SERIES_KEYS) {
        const v = set[key];
        expect(Object.is(batch[key][i], v === v ? v : null)).toBe(true);
      }
    });
    expect(set.isStable).toBe(true);
  });

  it('replace() then add() leaves the same state as add() alone, including MACD cross tracking', () => {
    const plain = new IndicatorSet();
    const live = new IndicatorSet();
    for (const c of candles) {
      plain.add(c);
      live.replace(openVersion(c, 0.0003));
      live.add(c);
      expect(live.candlesSinceBullishCross).toBe(plain.candlesSinceBullishCross);
    }
    expect(live.getState()).toEqual(plain.getState());
  });

  it('restores from a JSON snapshot and continues bit-identically', () => {
    const a = new IndicatorSet();
    candles.slice(0, 300).forEach((c) => a.add(c));
    const b = new IndicatorSet();
    b.setState(JSON.parse(JSON.stringify(a.getState())));
    expect(b.snapshot()).toEqual(a.snapshot());
    expect(b.close).toBe(a.close);
    for (const c of candles.slice(300)) {
      a.add(c);
      b.add(c);
      expect(b.snapshot()).toEqual(a.snapshot());
      expect(b.candlesSinceBearishCross).toBe(a.candlesSinceBearishCross);
    }
  });

  it('counts candles since the last MACD cross: 0 on the crossing candle', () => {
    const set = new IndicatorSet();
    let previous = Number.NaN;
    let crosses = 0;
    for (const c of candles) {
      set.add(c);
      if (previous <= 0 && set.macdHistogram > 0) {
        expect(set.candlesSinceBullishCross).toBe(0);
        crosses++;
      }
      previous = set.macdHistogram;
    }
    expect(crosses).toBeGreaterThan(3);
  });

  it('computes Heikin Ashi by its definition', () => {
    const s = computeIndicatorSeries(candles.slice(0, 50));
    const c0 = candles[0];
    expect(s.haOpen[0]).toBe((c0.open + c0.close) / 2);
    for (let i = 1; i < 50; i++) {
      const c = candles[i];
      const close = (c.open + c.high + c.low + c.close) / 4;
      const open = (s.haOpen[i - 1]! + s.haClose[i - 1]!) / 2;
      expect(s.haClose[i]).toBe(close);
      expect(s.haOpen[i]).toBe(open);
      expect(s.haHigh[i]).toBe(Math.max(c.high, open, close));
      expect(s.haLow[i]).toBe(Math.min(c.low, open, close));
    }
  });
});

describe('ADX directional movement', () => {
  const bar = (high: number, low: number, close: number): OhlcPrices => ({ open: close, high, low, close });

  it('counts a bar whose up-move equals its down-move as neither +DM nor -DM', () => {
    const tie = new AdxIndicator(2);
    tie.add(bar(10, 8, 9));
    tie.add(bar(11, 7, 9)); // up 1, down 1: a tie
    tie.add(bar(11, 7, 9));
    // TR sum is positive, both DM sums are 0 -> both DI are 0.
    expect(tie.getResult()).toEqual({ adx: null, plusDi: 0, minusDi: 0 });
  });

  it('gives +DI > -DI on a clean up-move and the reverse on a down-move', () => {
    const up = new AdxIndicator(2);
    [bar(10, 8, 9), bar(11, 9, 10), bar(12, 10, 11), bar(13, 11, 12)].forEach((b) => up.add(b));
    expect(up.plusDi).toBeGreaterThan(up.minusDi);
    expect(up.adx).toBeCloseTo(100, 9);
    const down = new AdxIndicator(2);
    [bar(13, 11, 12), bar(12, 10, 11), bar(11, 9, 10), bar(10, 8, 9)].forEach((b) => down.add(b));
    expect(down.minusDi).toBeGreaterThan(down.plusDi);
  });
});
