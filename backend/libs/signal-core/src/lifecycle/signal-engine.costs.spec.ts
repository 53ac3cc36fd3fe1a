import type { Candle } from '../candles/candle.types';
import { only, withLongSignal, withShortSignal } from '../testing/signal-fixtures';
import { candleAt, FIVE_MINUTES, T0 } from '../testing/synthetic-candles';
import { decideSameCandle } from './same-candle';
import type { CandleSpan } from './same-candle';
import { tradeR } from './trade-costs';

describe('tradeR: gross and net R', () => {
  it('LONG: costs on both sides in units of the initial risk', () => {
    // entry 100, stop 98 (risk 2), exit 105: gross 5/2 = 2.5; costs 10 bps of 100 + 10 bps of 105 = 0.205 = 0.1025 R.
    const r = tradeR('LONG', 100, 98, 105, 10, 0);
    expect(r.grossR).toBe(2.5);
    expect(r.netR).toBeCloseTo(2.5 - 0.1025, 12);
  });

  it('SHORT: gross sign-adjusted, costs still subtracted; slippage adds to the fee', () => {
    // entry 100, stop 102 (risk 2), exit 95: gross 2.5; 15 bps per side of 100 and 95 = 0.2925 = 0.14625 R.
    const r = tradeR('SHORT', 100, 102, 95, 10, 5);
    expect(r.grossR).toBe(2.5);
    expect(r.netR).toBeCloseTo(2.5 - 0.14625, 12);
    // A loser loses more than 1R: exit at the stop 102 → gross −1, costs (100 + 102) × 15 bps = 0.303 = 0.1515 R.
    expect(tradeR('SHORT', 100, 102, 102, 10, 5).netR).toBeCloseTo(-1 - 0.1515, 12);
  });

  it('is gross when both costs are zero', () => {
    expect(tradeR('LONG', 100, 98, 99, 0, 0)).toEqual({ grossR: -0.5, netR: -0.5 });
  });
});

describe('SignalEngine: costs on every close', () => {
  it('carries grossR (= outcomeR) and netR after the configured fee and slippage, LONG and SHORT', () => {
    const long = withLongSignal({ feeBps: 10, slippageBps: 2 });
    const s = long.signal;
    const tp = only(
      long.engine.onClosedCandle(
        candleAt(long.slot, s.entryPrice, s.takeProfit + 0.01, s.entryPrice - 0.1, s.takeProfit),
      ),
    ).signal;
    const risk = s.entryPrice - s.initialStopLoss;
    expect(tp.grossR).toBe(tp.outcomeR);
    expect(tp.netR).toBeCloseTo(tp.grossR! - (0.0012 * (s.entryPrice + s.takeProfit)) / risk, 12);

    const short = withShortSignal();
    const t = short.signal;
    const sl = only(
      short.engine.onClosedCandle(
        candleAt(short.slot, t.entryPrice, t.stopLoss + 1, t.entryPrice - 0.1, t.entryPrice),
      ),
    ).signal;
    expect(sl.status).toBe('SL_HIT');
    expect(sl.grossR).toBeCloseTo(-1, 12);
    expect(sl.netR).toBeCloseTo(-1 - (0.001 * (t.entryPrice + t.stopLoss)) / (t.stopLoss - t.entryPrice), 12);
  });
});

describe('same-candle ambiguity: finer candles decide, else SL', () => {
  const minute = (openTime: number, open: number, high: number, low: number, close: number): Candle => ({
    openTime,
    closeTime: openTime + 59_999,
    open,
    high,
    low,
    close,
    volume: 1,
  });

  /** A LONG signal and the next candle touching both its levels; `fine` answers for that candle's span. */
  function ambiguous(
    fine: (span: CandleSpan, s: { stop: number; tp: number; entry: number }) => Candle[] | null,
  ) {
    const calls: CandleSpan[] = [];
    let levels = { stop: 0, tp: 0, entry: 0 };
    const setup = withLongSignal(
      {},
      {
        fineCandles: (span) => {
          calls.push(span);
          return fine(span, levels);
        },
      },
    );
    const s = setup.signal;
    levels = { stop: s.stopLoss, tp: s.takeProfit, entry: s.entryPrice };
    const candle = candleAt(setup.slot, s.entryPrice, s.takeProfit + 1, s.stopLoss - 1, s.entryPrice);
    return { ...setup, candle, calls, closed: only(setup.engine.onClosedCandle(candle)).signal };
  }

  it('without finer candles: SL at the stop, resolution conservative', () => {
    const { closed, calls, candle, signal } = ambiguous(() => null);
    expect(closed).toMatchObject({
      status: 'SL_HIT',
      exitPrice: signal.stopLoss,
      resolution: 'conservative',
    });
    expect(calls).toEqual([
      { symbol: 'TESTUSDT', timeframe: '5m', openTime: candle.openTime, closeTime: candle.closeTime },
    ]);
  });

  it('TP first in the finer candles: TP_HIT at the target, resolution fine, excursions only up to the decision', () => {
    const { closed, signal } = ambiguous((span, l) => [
      minute(span.openTime, l.entry, l.entry + 0.2, l.entry - 0.3, l.entry + 0.1),
      minute(span.openTime + 60_000, l.entry + 0.1, l.tp + 0.5, l.entry, l.tp),
      minute(span.openTime + 120_000, l.tp, l.tp, l.stop - 1, l.stop - 0.5),
    ]);
    expect(closed).toMatchObject({ status: 'TP_HIT', exitPrice: signal.takeProfit, resolution: 'fine' });
    const risk = signal.entryPrice - signal.initialStopLoss;
    expect(closed.maeR).toBeCloseTo(0.3 / risk, 9); // the later fall through the stop was never lived
  });

  it('SL first in the finer candles: SL_HIT at the stop, resolution fine', () => {
    const { closed, signal } = ambiguous((span, l) => [
      minute(span.openTime, l.entry, l.entry + 0.1, l.stop - 0.2, l.stop),
      minute(span.openTime + 60_000, l.stop, l.tp + 1, l.stop, l.tp),
    ]);
    expect(closed).toMatchObject({ status: 'SL_HIT', exitPrice: signal.stopLoss, resolution: 'fine' });
  });

  it('a finer candle that touches both, or finer candles that touch neither, leave it conservative', () => {
    const both = ambiguous((span, l) => [minute(span.openTime, l.entry, l.tp + 1, l.stop - 1, l.entry)]);
    expect(both.closed).toMatchObject({ status: 'SL_HIT', resolution: 'conservative' });
    const neither = ambiguous((span, l) => [
      minute(span.openTime, l.entry, l.entry + 0.1, l.entry - 0.1, l.entry),
    ]);
    expect(neither.closed).toMatchObject({ status: 'SL_HIT', resolution: 'conservative' });
  });

  it('ignores finer candles outside the span', () => {
    const { closed } = ambiguous((span, l) => [
      minute(span.openTime - 60_000, l.entry, l.tp + 1, l.entry, l.tp),
    ]);
    expect(closed).toMatchObject({ status: 'SL_HIT', resolution: 'conservative' });
  });

  it('asks for nothing and records no resolution when only one level is touched', () => {
    const calls: CandleSpan[] = [];
    const { engine, signal, slot } = withLongSignal({}, { fineCandles: (span) => (calls.push(span), null) });
    const closed = only(
      engine.onClosedCandle(
        candleAt(slot, signal.entryPrice, signal.takeProfit + 1, signal.entryPrice - 0.1, signal.takeProfit),
      ),
    ).signal;
    expect(closed).toMatchObject({ status: 'TP_HIT', resolution: null });
    expect(calls).toEqual([]);
  });

  it('is not ambiguous when the candle opens at the stop: SL at the open, no resolution asked', () => {
    const calls: CandleSpan[] = [];
    const { engine, signal, slot } = withLongSignal({}, { fineCandles: (span) => (calls.push(span), null) });
    const s = signal;
    const closed = only(
      engine.onClosedCandle(candleAt(slot, s.stopLoss, s.takeProfit + 1, s.stopLoss - 1, s.entryPrice)),
    ).signal;
    expect(closed).toMatchObject({ status: 'SL_HIT', exitPrice: s.stopLoss, resolution: null });
    expect(calls).toEqual([]);
  });

  it('decides a finer candle that jumps through the target at its open (SHORT)', () => {
    const span = { symbol: 'X', timeframe: '5m', openTime: T0, closeTime: T0 + FIVE_MINUTES - 1 };
    const d = decideSameCandle('SHORT', 110, 90, span, { high: 111, low: 89 }, [
      minute(T0, 100, 101, 99, 99.5),
      minute(T0 + 60_000, 89.5, 90, 89, 89.2),
    ]);
    expect(d).toEqual({ exit: { status: 'TP_HIT', price: 89.5 }, resolution: 'fine', high: 101, low: 89 });
  });
});
