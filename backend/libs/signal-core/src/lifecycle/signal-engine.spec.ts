import { MalformedCandleError } from '../errors/malformed-candle.error';
import { IndicatorSet } from '../indicators/indicator-set';
import { conditionMask, confidenceFromMask, weightVector } from '../scoring/condition-rules';
import { DEFAULT_ENGINE_CONFIG, type EngineConfig } from '../scoring/engine-config';
import { resolveEngineConfig } from '../scoring/validate-engine-config';
import { candleAt, FIVE_MINUTES, quietCandles, T0, trendCandles } from '../testing/synthetic-candles';
import { feed, only, withLongSignal, withShortSignal } from '../testing/signal-fixtures';
import { loadTalibFixtures } from '../testing/talib-fixtures';
import { SignalEngine } from './signal-engine';
import type { Signal } from './signal.types';

describe('SignalEngine: creation', () => {
  it('creates a LONG on the first warm candle whose confidence reaches minConfidence', () => {
    const { signal, slot, last, engine } = withLongSignal();
    expect(slot - 1).toBe(199); // EMA200 is the last indicator to warm up
    expect(signal).toMatchObject({
      id: `TESTUSDT-5m-${last.openTime}-LONG`,
      symbol: 'TESTUSDT',
      timeframe: '5m',
      direction: 'LONG',
      status: 'ACTIVE',
      confidence: 80,
      entryPrice: last.close,
      candleOpenTime: last.openTime,
      createdAt: last.closeTime,
      updatedAt: last.closeTime,
      closedAt: null,
      exitPrice: null,
      outcomeR: null,
      version: 1,
    });
    const atr = engine.indicators.atr;
    expect(signal.stopLoss).toBeCloseTo(last.close - 1.5 * atr, 9);
    expect(signal.takeProfit).toBeCloseTo(last.close + 2.5 * atr, 9);
    expect(signal.riskReward).toBeCloseTo(2.5 / 1.5, 12);
    expect(signal.conditions).toHaveLength(8);
    expect(signal.conditions.find((c) => c.key === 'macd_cross')!.met).toBe(false);
    expect(signal.indicators.atr).toBe(atr);
    expect(engine.activeSignal?.id).toBe(signal.id);
  });

  it('creates a SHORT on a downtrend, levels mirrored', () => {
    const { signal } = withShortSignal();
    expect(signal.direction).toBe('SHORT');
    expect(signal.stopLoss).toBeGreaterThan(signal.entryPrice);
    expect(signal.takeProfit).toBeLessThan(signal.entryPrice);
  });

  it('creates exactly when idle, past the cooldown and one direction reaches minConfidence (real candles)', () => {
    for (const fx of loadTalibFixtures()) {
      const engine = new SignalEngine({ symbol: fx.symbol, timeframe: fx.interval });
      const set = new IndicatorSet();
      const weights = weightVector(DEFAULT_ENGINE_CONFIG);
      let active = false;
      let lastClose = -Infinity;
      fx.candles.forEach((c, i) => {
        set.add(c);
        const long = confidenceFromMask(conditionMask(set, DEFAULT_ENGINE_CONFIG, 'LONG'), weights);
        const short = confidenceFromMask(conditionMask(set, DEFAULT_ENGINE_CONFIG, 'SHORT'), weights);
        const events = engine.onClosedCandle(c);
        const closed = events.some((e) => e.type === 'closed');
        if (closed) {
          active = false;
          lastClose = i;
        }
        const shouldCreate =
          !active &&
          i >= 199 &&
          i - lastClose > 3 &&
          set.atr > 0 &&
          Math.max(long, short) >= 70 &&
          long !== short;
        const created = events.find((e) => e.type === 'created') as { signal: Signal } | undefined;
        expect(Boolean(created)).toBe(shouldCreate);
        if (created) {
          expect(created.signal.confidence).toBe(Math.max(long, short));
          expect(created.signal.direction).toBe(long > short ? 'LONG' : 'SHORT');
          active = true;
        }
      });
    }
  });
});

describe('SignalEngine: closing at a price level', () => {
  it('closes as TP_HIT at the target, R = 2.5/1.5', () => {
    const { engine, signal, slot } = withLongSignal();
    const e = only(
      engine.onClosedCandle(
        candleAt(
          slot,
          signal.entryPrice,
          signal.takeProfit + 0.01,
          signal.entryPrice - 0.1,
          signal.takeProfit,
        ),
      ),
    );
    expect(e.type).toBe('closed');
    expect(e.signal).toMatchObject({
      status: 'TP_HIT',
      exitPrice: signal.takeProfit,
      version: 2,
      durationCandles: 1,
    });
    expect(e.signal.outcomeR).toBeCloseTo(2.5 / 1.5, 9);
    expect(e.signal.closedAt).toBe(T0 + (slot + 1) * FIVE_MINUTES - 1);
    expect(e.signal.durationMs).toBe(FIVE_MINUTES);
    expect(e.signal.mfeR).toBeCloseTo(2.5 / 1.5, 9);
    expect(engine.activeSignal).toBeNull();
  });

  it('closes as SL_HIT at the stop, R = -1', () => {
    const { engine, signal, slot } = withLongSignal();
    const e = only(
      engine.onClosedCandle(
        candleAt(slot, signal.entryPrice, signal.entryPrice + 0.1, signal.stopLoss - 5, signal.stopLoss),
      ),
    );
    expect(e.signal).toMatchObject({ status: 'SL_HIT', exitPrice: signal.stopLoss });
    expect(e.signal.outcomeR).toBeCloseTo(-1, 12);
    expect(e.signal.maeR).toBeCloseTo(1, 12); // capped at the exit, not the candle low
  });

  it('closes as SL_HIT when one candle touches both levels (conservative)', () => {
    const { engine, signal, slot } = withLongSignal();
    const e = only(
      engine.onClosedCandle(
        candleAt(slot, signal.entryPrice, signal.takeProfit + 1, signal.stopLoss - 1, signal.entryPrice),
      ),
    );
    expect(e.signal.status).toBe('SL_HIT');
    expect(e.signal.exitPrice).toBe(signal.stopLoss);
  });

  it('exits at the open when the candle opens beyond the stop (gap-through), R worse than -1', () => {
    const { engine, signal, slot } = withLongSignal();
    const open = signal.stopLoss - 2;
    const e = only(engine.onClosedCandle(candleAt(slot, open, open + 0.5, open - 1, open)));
    expect(e.signal).toMatchObject({ status: 'SL_HIT', exitPrice: open });
    expect(e.signal.outcomeR!).toBeLessThan(-1);
  });

  it('exits at the open when the candle opens beyond the target', () => {
    const { engine, signal, slot } = withLongSignal();
    const open = signal.takeProfit + 2;
    const e = only(engine.onClosedCandle(candleAt(slot, open, open + 1, open - 0.5, open)));
    expect(e.signal).toMatchObject({ status: 'TP_HIT', exitPrice: open });
    expect(e.signal.outcomeR!).toBeGreaterThan(2.5 / 1.5);
  });

  it('mirrors the levels for SHORT: TP below, SL above', () => {
    const { engine, signal, slot } = withShortSignal();
    const tp = only(
      engine.onClosedCandle(
        candleAt(
          slot,
          signal.entryPrice,
          signal.entryPrice + 0.1,
          signal.takeProfit - 0.1,
          signal.takeProfit,
        ),
      ),
    );
    expect(tp.signal).toMatchObject({ status: 'TP_HIT', exitPrice: signal.takeProfit });
    expect(tp.signal.outcomeR).toBeCloseTo(2.5 / 1.5, 9);
    const other = withShortSignal();
    const sl = only(
      other.engine.onClosedCandle(
        candleAt(
          other.slot,
          other.signal.entryPrice,
          other.signal.stopLoss + 1,
          other.signal.takeProfit - 1,
          other.signal.entryPrice,
        ),
      ),
    );
    expect(sl.signal).toMatchObject({ status: 'SL_HIT', exitPrice: other.signal.stopLoss });
  });

  it('closes on an open-candle tick at the tick time, and the closed candle then changes nothing', () => {
    const { engine, signal, slot } = withLongSignal();
    const partial = candleAt(
      slot,
      signal.entryPrice,
      signal.takeProfit,
      signal.entryPrice - 0.2,
      signal.takeProfit,
    );
    expect(
      engine.onOpenCandleTick(
        candleAt(slot + 1, signal.entryPrice, signal.takeProfit, signal.entryPrice, signal.takeProfit),
      ),
    ).toEqual([]);
    const tickTime = partial.openTime + 61_000;
    const e = only(engine.onOpenCandleTick(partial, tickTime));
    expect(e.signal).toMatchObject({
      status: 'TP_HIT',
      exitPrice: signal.takeProfit,
      closedAt: tickTime,
      updatedAt: tickTime,
    });
    const full = candleAt(
      slot,
      signal.entryPrice,
      signal.takeProfit + 1,
      signal.stopLoss - 1,
      signal.entryPrice,
    );
    expect(engine.onClosedCandle(full)).toEqual([]);
    expect(engine.onOpenCandleTick(full)).toEqual([]);
  });
});

describe('SignalEngine: expiry, invalidation, updates', () => {
  it('expires exactly at the close of the expiryCandles-th candle after the trigger', () => {
    const { engine, signal, slot } = withLongSignal({ invalidationRatio: 0 });
    const quiet = quietCandles(12, signal.entryPrice, slot);
    const events = quiet.slice(0, 11).flatMap((c) => [...engine.onClosedCandle(c)]);
    expect(events.filter((e) => e.type === 'closed')).toHaveLength(0);
    const e = engine.onClosedCandle(quiet[11]).find((x) => x.type === 'closed') as { signal: Signal };
    expect(e.signal).toMatchObject({
      status: 'EXPIRED',
      exitPrice: quiet[11].close,
      durationCandles: 12,
      closedAt: quiet[11].closeTime,
    });
  });

  it('invalidates when confidence falls below ratio × minConfidence, not when it equals it', () => {
    // Find the confidence the candle after the trigger will have, then put the threshold on it.
    const probe = withLongSignal({ updateThreshold: 100 });
    const next = trendCandles(1, -1, probe.signal.entryPrice, probe.slot)[0];
    const set = new IndicatorSet();
    trendCandles(probe.slot).forEach((c) => set.add(c));
    set.add(next);
    const y = confidenceFromMask(
      conditionMask(set, DEFAULT_ENGINE_CONFIG, 'LONG'),
      weightVector(DEFAULT_ENGINE_CONFIG),
    );
    expect(y).toBeLessThanOrEqual(80);
    const atBoundary = withLongSignal({ minConfidence: 80, invalidationRatio: y / 80, updateThreshold: 100 });
    expect(atBoundary.engine.onClosedCandle(next).filter((e) => e.type === 'closed')).toHaveLength(0);
    const above = withLongSignal({
      minConfidence: 80,
      invalidationRatio: (y + 1) / 80,
      updateThreshold: 100,
    });
    const closed = only(above.engine.onClosedCandle(next));
    expect(closed.signal).toMatchObject({
      status: 'INVALIDATED',
      exitPrice: next.close,
      closedAt: next.closeTime,
    });
  });

  it('emits an update only when confidence moved by at least updateThreshold since the last emission', () => {
    const { engine, signal, slot } = withLongSignal({ invalidationRatio: 0, expiryCandles: 1000 });
    const set = new IndicatorSet();
    trendCandles(slot).forEach((c) => set.add(c));
    const weights = weightVector(DEFAULT_ENGINE_CONFIG);
    let emitted = signal.confidence;
    let version = 1;
    const candles = quietCandles(40, signal.entryPrice, slot);
    let updates = 0;
    for (const c of candles) {
      set.add(c);
      const y = confidenceFromMask(conditionMask(set, DEFAULT_ENGINE_CONFIG, 'LONG'), weights);
      const events = engine.onClosedCandle(c);
      if (Math.abs(y - emitted) >= 5) {
        const e = only(events);
        expect(e.type).toBe('updated');
        expect(e.signal).toMatchObject({
          confidence: y,
          version: ++version,
          updatedAt: c.closeTime,
          createdAt: signal.createdAt,
        });
        emitted = y;
        updates++;
      } else {
        expect(events).toEqual([]);
      }
    }
    expect(updates).toBeGreaterThan(0);
  });

  it('trails the stop toward price only, and emits when it moves', () => {
    const { engine, signal, slot } = withLongSignal({
      trailingStop: true,
      invalidationRatio: 0,
      expiryCandles: 1000,
    });
    let stop = signal.stopLoss;
    let moves = 0;
    let open = true;
    for (const c of trendCandles(30, 1, signal.entryPrice, slot)) {
      if (!open) break;
      for (const e of engine.onClosedCandle(c)) {
        if (e.type === 'gap' || e.signal.id !== signal.id) continue;
        if (e.type === 'closed') open = false;
        if (e.type !== 'updated') continue;
        expect(e.signal.stopLoss).toBeGreaterThanOrEqual(stop);
        if (e.signal.stopLoss > stop) moves++;
        stop = e.signal.stopLoss;
        expect(e.signal.initialStopLoss).toBe(signal.stopLoss);
      }
    }
    expect(moves).toBeGreaterThan(0);
  });
});

describe('SignalEngine: cooldown, idempotency, gaps, snapshots', () => {
  it('waits cooldownCandles closed candles after a close before creating again', () => {
    const { engine, signal, slot } = withLongSignal();
    const hit = candleAt(
      slot,
      signal.entryPrice,
      signal.takeProfit,
      signal.entryPrice - 0.2,
      signal.entryPrice + 1,
    );
    expect(only(engine.onClosedCandle(hit)).signal.status).toBe('TP_HIT');
    const more = trendCandles(10, 1, hit.close, slot + 1);
    const createdAt = more.findIndex((c) => engine.onClosedCandle(c).some((e) => e.type === 'created'));
    expect(createdAt).toBe(3); // slots +1, +2, +3 are the cooldown; +4 may trigger
  });

  it('ignores late and duplicate candles without changing anything', () => {
    const { engine, slot, last } = withLongSignal();
    const before = JSON.stringify(engine.snapshot());
    expect(engine.onClosedCandle(last)).toEqual([]);
    expect(engine.onClosedCandle(candleAt(slot - 5, 1, 2, 0.5, 1))).toEqual([]);
    const after = engine.snapshot();
    expect(after.ignoredCandles).toBe(2);
    expect(JSON.stringify({ ...after, ignoredCandles: 0 })).toBe(
      JSON.stringify({ ...JSON.parse(before), ignoredCandles: 0 }),
    );
  });

  it('rejects a malformed candle with MalformedCandleError and keeps its state', () => {
    const { engine, slot } = withLongSignal();
    const before = JSON.stringify(engine.snapshot());
    expect(() => engine.onClosedCandle(candleAt(slot, 10, 9, 11, 10))).toThrow(MalformedCandleError);
    expect(JSON.stringify(engine.snapshot())).toBe(before);
  });

  it('reports a gap, restarts the warm-up, and still follows the active signal by price and time', () => {
    const { engine, signal, slot } = withLongSignal({ invalidationRatio: 0 });
    const after = candleAt(
      slot + 2,
      signal.entryPrice,
      signal.entryPrice + 0.1,
      signal.entryPrice - 0.1,
      signal.entryPrice,
    );
    const events = engine.onClosedCandle(after);
    expect(events[0]).toEqual({
      type: 'gap',
      symbol: 'TESTUSDT',
      timeframe: '5m',
      expectedOpenTime: T0 + slot * FIVE_MINUTES,
      receivedOpenTime: after.openTime,
      missingCandles: 2,
    });
    expect(engine.indicators.length).toBe(1);
    expect(engine.stats.gaps).toBe(1);
    // Expiry counts intervals: the 2 missing candles count toward the 12.
    const rest = quietCandles(10, signal.entryPrice, slot + 3);
    const closed = feed(engine, rest).filter((e) => e.type === 'closed');
    expect(closed).toHaveLength(1);
    expect((closed[0] as { signal: Signal }).signal).toMatchObject({
      status: 'EXPIRED',
      durationCandles: 12,
    });
    // No new signal until the indicators are warm again (199 more candles).
    const next = trendCandles(250, 1, 1000, slot + 13);
    const firstCreated = next.findIndex((c) => engine.onClosedCandle(c).some((e) => e.type === 'created'));
    expect(firstCreated).toBeGreaterThanOrEqual(199 - 11);
  });

  it('snapshot -> JSON -> restore gives exactly the output of an uninterrupted run (real candles)', () => {
    for (const fx of loadTalibFixtures()) {
      const config: EngineConfig = resolveEngineConfig({ minConfidence: 60 });
      const straight = new SignalEngine({ symbol: fx.symbol, timeframe: fx.interval, config });
      const expected = fx.candles.map((c) => straight.onClosedCandle(c));
      let live = new SignalEngine({ symbol: fx.symbol, timeframe: fx.interval, config });
      const actual = fx.candles.map((c, i) => {
        if (i % 97 === 0) live = SignalEngine.restore(JSON.parse(JSON.stringify(live.snapshot())), config);
        return live.onClosedCandle(c);
      });
      expect(actual).toEqual(expected);
      expect(expected.flat().length).toBeGreaterThan(0);
    }
  });
});
