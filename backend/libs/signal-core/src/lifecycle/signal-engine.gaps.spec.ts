import { InvalidCancellationError } from '../errors/invalid-cancellation.error';
import { engineWith, only, withLongSignal } from '../testing/signal-fixtures';
import { candleAt, FIVE_MINUTES, quietCandles, T0, trendCandles } from '../testing/synthetic-candles';
import { SignalEngine } from './signal-engine';
import type { Signal } from './signal.types';

const closedOf = (events: readonly { type: string }[]) =>
  events.filter((e) => e.type === 'closed') as unknown as { signal: Signal }[];

describe('SignalEngine: a hole in the candles', () => {
  // The trigger candle is at slot `slot - 1`; with expiryCandles 12 its life ends at the close of slot `slot + 11`.
  it('expires a signal whose life ended inside the hole at the first candle after it, at its open price and open time', () => {
    const { engine, signal, slot } = withLongSignal({ invalidationRatio: 0 });
    const first = slot + 19; // slots slot .. slot+18 are missing
    // This candle also reaches the target, but the signal was dead before it opened.
    const after = candleAt(
      first,
      signal.entryPrice + 0.5,
      signal.takeProfit + 1,
      signal.entryPrice,
      signal.entryPrice + 0.2,
    );
    const events = engine.onClosedCandle(after);
    expect(events.map((e) => e.type)).toEqual(['gap', 'closed']);
    const closed = only(events.slice(1)).signal;
    expect(closed).toMatchObject({
      status: 'EXPIRED',
      exitPrice: after.open,
      closedAt: after.openTime,
      updatedAt: after.openTime,
      durationMs: after.openTime - signal.createdAt,
      durationCandles: 20,
      resolution: null,
    });
    expect(closed.outcomeR).toBeCloseTo(0.5 / (signal.entryPrice - signal.initialStopLoss), 12);
    expect(closed.mfe).toBeCloseTo(0.5, 9); // the open was lived through, the rest of the candle not
    expect(engine.activeSignal).toBeNull();
  });

  it('expires at the open even when the first candle after the hole opens beyond the stop (the life ended first)', () => {
    const { engine, signal, slot } = withLongSignal({ invalidationRatio: 0 });
    const open = signal.stopLoss - 3;
    const closed = closedOf(engine.onClosedCandle(candleAt(slot + 30, open, open + 1, open - 1, open)));
    expect(closed[0].signal).toMatchObject({ status: 'EXPIRED', exitPrice: open });
    expect(closed[0].signal.outcomeR!).toBeLessThan(-1);
  });

  it('judges stop and target as usual on the first candle after the hole while the signal is still alive', () => {
    const hit = withLongSignal({ invalidationRatio: 0 });
    const tp = candleAt(
      hit.slot + 5,
      hit.signal.entryPrice,
      hit.signal.takeProfit + 0.5,
      hit.signal.entryPrice - 0.1,
      hit.signal.takeProfit,
    );
    expect(closedOf(hit.engine.onClosedCandle(tp))[0].signal).toMatchObject({
      status: 'TP_HIT',
      exitPrice: hit.signal.takeProfit,
      closedAt: tp.closeTime,
    });

    const jump = withLongSignal({ invalidationRatio: 0 });
    const open = jump.signal.stopLoss - 2;
    const sl = candleAt(jump.slot + 5, open, open + 0.5, open - 0.5, open);
    expect(closedOf(jump.engine.onClosedCandle(sl))[0].signal).toMatchObject({
      status: 'SL_HIT',
      exitPrice: open,
      closedAt: sl.closeTime,
    });
  });

  it('when the first candle after the hole is the last of its life: levels first, else EXPIRED at that close', () => {
    const { engine, signal, slot } = withLongSignal({ invalidationRatio: 0 });
    const last = candleAt(
      slot + 11,
      signal.entryPrice,
      signal.entryPrice + 0.1,
      signal.entryPrice - 0.1,
      signal.entryPrice + 0.05,
    );
    const closed = closedOf(engine.onClosedCandle(last))[0].signal;
    expect(closed).toMatchObject({
      status: 'EXPIRED',
      exitPrice: last.close,
      closedAt: last.closeTime,
      durationCandles: 12,
    });

    const other = withLongSignal({ invalidationRatio: 0 });
    const hit = candleAt(
      other.slot + 11,
      other.signal.entryPrice,
      other.signal.entryPrice + 0.1,
      other.signal.stopLoss - 0.1,
      other.signal.stopLoss,
    );
    expect(closedOf(other.engine.onClosedCandle(hit))[0].signal).toMatchObject({
      status: 'SL_HIT',
      exitPrice: other.signal.stopLoss,
    });
  });

  it('restarts the warm-up after the hole: no signal until 200 traded candles have been seen again', () => {
    const engine = engineWith();
    const before = trendCandles(150);
    const after = trendCandles(260, 1, before[149].close, 160);
    const created: number[] = [];
    [...before, ...after].forEach((c, i) => {
      if (engine.onClosedCandle(c).some((e) => e.type === 'created')) created.push(i);
    });
    expect(engine.stats.gaps).toBe(1);
    expect(created[0]).toBe(150 + 199);
  });
});

describe('SignalEngine: cancelActive', () => {
  it('closes the active signal as CANCELLED at the given price and market time, with the reason and costs', () => {
    const { engine, signal } = withLongSignal();
    const at = signal.createdAt + 7 * FIVE_MINUTES + 1234;
    const closed = only(
      engine.cancelActive(signal.entryPrice - 1, at, 'symbol delisted (-1121 Invalid symbol)'),
    ).signal;
    const risk = signal.entryPrice - signal.initialStopLoss;
    expect(closed).toMatchObject({
      status: 'CANCELLED',
      exitPrice: signal.entryPrice - 1,
      closedAt: at,
      updatedAt: at,
      closeReason: 'symbol delisted (-1121 Invalid symbol)',
      durationMs: at - signal.createdAt,
      durationCandles: 8,
      version: 2,
      resolution: null,
    });
    expect(closed.grossR).toBeCloseTo(-1 / risk, 12);
    expect(closed.netR).toBeCloseTo(-1 / risk - (0.001 * (2 * signal.entryPrice - 1)) / risk, 12);
    expect(closed.maeR).toBeCloseTo(1 / risk, 12);
    expect(engine.activeSignal).toBeNull();
    expect(engine.cancelActive(1, at, 'again')).toEqual([]);
  });

  it('starts the cooldown from the candle the cancel fell in', () => {
    const { engine, signal, slot } = withLongSignal();
    engine.cancelActive(signal.entryPrice, T0 + slot * FIVE_MINUTES + 10, 'halted');
    const more = trendCandles(10, 1, signal.entryPrice, slot);
    const createdAt = more.findIndex((c) => engine.onClosedCandle(c).some((e) => e.type === 'created'));
    expect(createdAt).toBe(4); // slots +1..+3 are the cooldown after the cancel in slot +0
  });

  it.each([
    ['a zero price', 0, 0, 'gone', /price must be a positive number, got 0/],
    ['a NaN price', Number.NaN, 0, 'gone', /price must be a positive number/],
    ['a time before creation', 100, -1, 'gone', /must be an epoch-ms integer at or after its creation/],
    ['an empty reason', 100, 0, '  ', /a reason is required/],
  ])('refuses %s with InvalidCancellationError and keeps the signal', (_name, price, dt, reason, message) => {
    const { engine, signal } = withLongSignal();
    const error = (() => {
      try {
        engine.cancelActive(price, signal.createdAt + dt, reason);
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(InvalidCancellationError);
    expect(error!.message).toMatch(message);
    expect(error!.message).toContain(signal.id);
    expect(engine.activeSignal?.status).toBe('ACTIVE');
  });
});

describe('SignalEngine: fields for statistics and restore', () => {
  it('keeps the confidence and conditions at creation while the current ones move', () => {
    const { engine, signal, slot } = withLongSignal({
      invalidationRatio: 0,
      expiryCandles: 1000,
      updateThreshold: 1,
    });
    expect(signal.initialConfidence).toBe(signal.confidence);
    const metMask = signal.conditions.reduce((m, c, i) => (c.met ? m | (1 << i) : m), 0);
    expect(signal.initialConditionMask).toBe(metMask);
    const updates = quietCandles(40, signal.entryPrice, slot)
      .flatMap((c) => [...engine.onClosedCandle(c)])
      .filter((e) => e.type === 'updated');
    expect(updates.length).toBeGreaterThan(0);
    for (const u of updates as { signal: Signal }[]) {
      expect(u.signal.initialConfidence).toBe(signal.confidence);
      expect(u.signal.initialConditionMask).toBe(metMask);
    }
  });

  it('restores a snapshot taken before these fields existed', () => {
    const { engine, signal, slot } = withLongSignal();
    const old = JSON.parse(JSON.stringify(engine.snapshot()));
    for (const key of [
      'initialConfidence',
      'initialConditionMask',
      'grossR',
      'netR',
      'resolution',
      'closeReason',
    ])
      delete old.active.signal[key];
    const restored = SignalEngine.restore(old);
    expect(restored.activeSignal).toMatchObject({
      initialConfidence: signal.confidence,
      initialConditionMask: signal.initialConditionMask,
      netR: null,
      closeReason: null,
    });
    const hit = candleAt(
      slot,
      signal.entryPrice,
      signal.takeProfit,
      signal.entryPrice - 0.1,
      signal.takeProfit,
    );
    expect(only(restored.onClosedCandle(hit)).signal).toMatchObject({
      status: 'TP_HIT',
      grossR: expect.any(Number),
      netR: expect.any(Number),
    });
  });
});
