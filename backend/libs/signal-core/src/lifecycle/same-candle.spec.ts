import type { CandleSpan } from './same-candle';
import { needsFineCandles } from './same-candle';
import { withLongSignal, withShortSignal } from '../testing/signal-fixtures';
import { candleAt } from '../testing/synthetic-candles';

describe('needsFineCandles: the engine asks for finer candles exactly when it says so', () => {
  it('hand-made LONG cases (stop 98, target 104)', () => {
    const c = (open: number, high: number, low: number) => ({ open, high, low });
    expect(needsFineCandles('LONG', 98, 104, c(100, 105, 97))).toBe(true); // both inside the candle
    expect(needsFineCandles('LONG', 98, 104, c(100, 104, 98))).toBe(true); // both exactly touched
    expect(needsFineCandles('LONG', 98, 104, c(100, 105, 99))).toBe(false); // target only
    expect(needsFineCandles('LONG', 98, 104, c(100, 103, 97))).toBe(false); // stop only
    expect(needsFineCandles('LONG', 98, 104, c(98, 105, 97))).toBe(false); // opens at the stop
    expect(needsFineCandles('LONG', 98, 104, c(97, 105, 96))).toBe(false); // jumps through the stop
    expect(needsFineCandles('LONG', 98, 104, c(105, 106, 97))).toBe(false); // jumps through the target
  });

  it('hand-made SHORT cases (stop 102, target 96)', () => {
    const c = (open: number, high: number, low: number) => ({ open, high, low });
    expect(needsFineCandles('SHORT', 102, 96, c(100, 103, 95))).toBe(true);
    expect(needsFineCandles('SHORT', 102, 96, c(100, 101, 95))).toBe(false);
    expect(needsFineCandles('SHORT', 102, 96, c(102, 103, 95))).toBe(false);
  });

  it('agrees with the engine calling its FineCandleSource, LONG and SHORT', () => {
    for (const make of [withLongSignal, withShortSignal]) {
      const probe = make({}, {});
      const s = probe.signal;
      const up = s.direction === 'LONG' ? 1 : -1;
      const [tpOut, slOut] = [s.takeProfit + up, s.stopLoss - up];
      const variants = [
        { open: s.entryPrice, far: tpOut, near: slOut }, // both
        { open: s.entryPrice, far: tpOut, near: s.entryPrice }, // target only
        { open: s.entryPrice, far: s.entryPrice, near: slOut }, // stop only
        { open: s.stopLoss, far: tpOut, near: slOut }, // opens at the stop
      ];
      const asked: boolean[] = [];
      for (const v of variants) {
        const calls: CandleSpan[] = [];
        const setup = make({}, { fineCandles: (span) => (calls.push(span), null) });
        const high = Math.max(v.open, v.far, v.near);
        const low = Math.min(v.open, v.far, v.near);
        const candle = candleAt(setup.slot, v.open, high, low, v.open);
        const predicted = needsFineCandles(s.direction, s.stopLoss, s.takeProfit, candle);
        setup.engine.onClosedCandle(candle);
        expect({ variant: v, asked: calls.length === 1 }).toEqual({ variant: v, asked: predicted });
        asked.push(predicted);
      }
      expect(asked).toEqual([true, false, false, false]);
    }
  });
});
