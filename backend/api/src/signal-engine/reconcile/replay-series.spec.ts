import {
  DEFAULT_ENGINE_CONFIG,
  fineCandleSource,
  needsFineCandles,
  SignalEngine,
  type Candle,
  type EngineEvent,
  type Signal,
} from '@scanner/signal-core';
import { minuteChildren } from '../fine-candles.testing';
import { replaySeries, type StoredSignalView } from './replay-series';

const FIVE_MIN = 300_000;
const T0 = Date.UTC(2024, 7, 5);

/** A seeded random walk of 5m candles, volatile enough for the engine to open and close signals. */
function walk(count: number, seed = 7): Candle[] {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const candles: Candle[] = [];
  let price = 100;
  let drift = 0;
  for (let i = 0; i < count; i++) {
    if (i % 40 === 0) drift = (random() - 0.5) * 0.6;
    const open = price;
    const close = Math.max(1, open + drift + (random() - 0.5) * 1.6);
    const high = Math.max(open, close) + random() * 0.8;
    const low = Math.min(open, close) - random() * 0.8;
    candles.push({
      openTime: T0 + i * FIVE_MIN,
      closeTime: T0 + (i + 1) * FIVE_MIN - 1,
      open,
      high,
      low,
      close,
      volume: 1,
    });
    price = close;
  }
  return candles;
}

function view(signal: Signal): StoredSignalView {
  return {
    id: signal.id,
    status: signal.status,
    entryPrice: signal.entryPrice,
    stopLoss: signal.stopLoss,
    takeProfit: signal.takeProfit,
    outcomeR: signal.outcomeR,
    exitPrice: signal.exitPrice,
    candleOpenTime: signal.candleOpenTime,
    closedAt: signal.closedAt,
    closeReason: signal.closeReason,
    resolution: signal.resolution,
  };
}

/** What a live engine stores from these candles: the final version of each signal. */
function live(
  candles: readonly Candle[],
  step: (engine: SignalEngine, candle: Candle, index: number) => readonly EngineEvent[] = (engine, candle) =>
    engine.onClosedCandle(candle),
): StoredSignalView[] {
  const engine = new SignalEngine({ symbol: 'TESTUSDT', timeframe: '5m', config: DEFAULT_ENGINE_CONFIG });
  const signals = new Map<string, Signal>();
  candles.forEach((candle, index) => {
    for (const event of step(engine, candle, index))
      if (event.type !== 'gap') signals.set(event.signal.id, event.signal);
  });
  return [...signals.values()].map(view);
}

const input = (candles: readonly Candle[], stored: readonly StoredSignalView[], purgedBefore = 0) => ({
  symbol: 'TESTUSDT',
  timeframe: '5m',
  config: DEFAULT_ENGINE_CONFIG,
  candles,
  stored,
  purgedBefore,
});

describe('replaySeries', () => {
  const candles = walk(900);
  const stored = live(candles);

  it('agrees with the live engine over the same candles', () => {
    expect(stored.filter((s) => s.status !== 'ACTIVE').length).toBeGreaterThan(3);
    const result = replaySeries(input(candles, stored));
    expect(result).toMatchObject({
      candles: 900,
      compared: stored.length,
      levelsOnly: 0,
      purged: 0,
      beforePeriod: 0,
      mismatches: [],
      firstDifferingCandle: null,
    });
  });

  it('names the corrupted candle that triggered a signal as the first differing one', () => {
    const victim = stored[Math.floor(stored.length / 2)];
    const index = candles.findIndex((c) => c.openTime === victim.candleOpenTime);
    const corrupted = candles.map((c, i) =>
      i === index ? { ...c, close: c.close * 1.01, high: Math.max(c.high, c.close * 1.01) } : c,
    );
    const result = replaySeries(input(corrupted, stored));
    expect(result.firstDifferingCandle).toBe(victim.candleOpenTime);
    expect(result.mismatches[0]).toMatchObject({ candleOpenTime: victim.candleOpenTime });
    expect(result.mismatches.every((m) => m.candleOpenTime >= victim.candleOpenTime)).toBe(true);
  });

  it('names a stored level, status or R that differs, at the candle where it differs', () => {
    const closed = stored.find((s) => s.status === 'TP_HIT' || s.status === 'SL_HIT') as StoredSignalView;
    const altered = stored.map((s) =>
      s.id === closed.id
        ? { ...s, takeProfit: s.takeProfit * 1.001, outcomeR: (s.outcomeR as number) + 0.5 }
        : s,
    );
    const result = replaySeries(input(candles, altered));
    expect(result.mismatches.map((m) => [m.signalId, m.field])).toEqual([
      [closed.id, 'takeProfit'],
      [closed.id, 'outcomeR'],
    ]);
    expect(result.mismatches[0].candleOpenTime).toBe(closed.candleOpenTime);
    // R is decided on the candle that closed the signal.
    const closing = candles.find(
      (c) => c.openTime <= (closed.closedAt as number) && (closed.closedAt as number) <= c.closeTime,
    ) as Candle;
    expect(result.mismatches[1].candleOpenTime).toBe(closing.openTime);

    const flipped = stored.map((s) =>
      s.id === closed.id ? { ...s, status: s.status === 'TP_HIT' ? 'SL_HIT' : 'TP_HIT' } : s,
    );
    expect(replaySeries(input(candles, flipped)).mismatches).toEqual([
      expect.objectContaining({ signalId: closed.id, field: 'status', candleOpenTime: closing.openTime }),
    ]);
  });

  it('names a signal stored but not replayed, and one replayed but not stored', () => {
    const [first, ...rest] = stored;
    const result = replaySeries(input(candles, rest));
    expect(result.mismatches).toEqual([
      {
        signalId: first.id,
        field: 'presence',
        stored: null,
        replayed: expect.any(String),
        candleOpenTime: first.candleOpenTime,
      },
    ]);
    const ghost = { ...first, id: 'TESTUSDT-5m-0-LONG', candleOpenTime: candles[5].openTime };
    expect(replaySeries(input(candles, [...stored, ghost])).mismatches).toEqual([
      {
        signalId: ghost.id,
        field: 'presence',
        stored: ghost.status,
        replayed: null,
        candleOpenTime: candles[5].openTime,
      },
    ]);
  });

  it('counts a replayed signal missing because retention purged it, not as a mismatch', () => {
    const first = stored.find((s) => s.closedAt !== null) as StoredSignalView;
    const rest = stored.filter((s) => s.id !== first.id);
    const result = replaySeries(input(candles, rest, (first.closedAt as number) + 1));
    expect(result).toMatchObject({ purged: 1, mismatches: [] });
  });

  it('leaves out stored signals from before the first replayed candle (an engine reset since)', () => {
    const later = candles.slice(300);
    const storedLater = live(later);
    const earlier = stored.filter((s) => s.candleOpenTime < later[0].openTime);
    const result = replaySeries(input(later, [...earlier, ...storedLater]));
    expect(result).toMatchObject({
      beforePeriod: earlier.length,
      compared: storedLater.length,
      mismatches: [],
    });
  });

  it('applies a stored cancellation at its time, so what follows it agrees too', () => {
    let cancelledAt = -1;
    const withCancel = live(candles, (engine, candle, index) => {
      const events = [...engine.onClosedCandle(candle)];
      if (cancelledAt < 0 && index > 450 && engine.activeSignal !== null) {
        cancelledAt = candle.closeTime + 1000;
        events.push(...engine.cancelActive(candle.close, cancelledAt, 'symbol left the universe'));
      }
      return events;
    });
    const cancelled = withCancel.find((s) => s.status === 'CANCELLED') as StoredSignalView;
    expect(cancelled.closeReason).toBe('symbol left the universe');
    expect(replaySeries(input(candles, withCancel))).toMatchObject({
      compared: withCancel.length,
      mismatches: [],
    });
  });

  it('accepts a close on the still-open candle (a tick), and compares only the levels of one after the period', () => {
    // Live: each candle is first seen open (its open and the first half of its range), then closed.
    const ticked = live(candles, (engine, candle) => {
      const partial = {
        ...candle,
        high: Math.max(candle.open, (candle.high + candle.open) / 2),
        low: Math.min(candle.open, (candle.low + candle.open) / 2),
        close: candle.open,
      };
      return [
        ...engine.onOpenCandleTick(partial, candle.openTime + 60_000),
        ...engine.onClosedCandle(candle),
      ];
    });
    const tickCloses = ticked.filter((s) => s.closedAt !== null && (s.closedAt + 1) % FIVE_MIN !== 0);
    expect(tickCloses.length).toBeGreaterThan(0);
    expect(replaySeries(input(candles, ticked))).toMatchObject({ compared: ticked.length, mismatches: [] });

    // The last replayed candle is the one before the tick's candle: the replay still has it active.
    const tick = tickCloses[tickCloses.length - 1];
    const period = candles.filter((c) => c.closeTime < (tick.closedAt as number) - 60_000);
    const inPeriod = ticked.filter((s) => s.candleOpenTime <= period[period.length - 1].openTime);
    const result = replaySeries(input(period, inPeriod));
    expect(result).toMatchObject({ levelsOnly: 1, mismatches: [] });
  });
});

describe('replaySeries: a candle touching both levels, decided live by 1m candles', () => {
  const base = walk(900);
  const first = live(base).find((s) => s.status !== 'ACTIVE') as StoredSignalView;
  const k = base.findIndex((c) => c.openTime === first.candleOpenTime) + 1;
  // The candle after its creation widened past both levels (open and close kept).
  const long = first.takeProfit > first.entryPrice;
  const candles = base.map((c, i) =>
    i === k
      ? {
          ...c,
          high: Math.max(c.high, long ? first.takeProfit + 1 : first.stopLoss + 1),
          low: Math.min(c.low, long ? first.stopLoss - 1 : first.takeProfit - 1),
        }
      : c,
  );
  const minutes = minuteChildren(candles[k], long ? 'high-first' : 'low-first');
  const fineCandles = fineCandleSource({ TESTUSDT: minutes });
  const stored = (() => {
    const engine = new SignalEngine({ symbol: 'TESTUSDT', timeframe: '5m', fineCandles });
    const signals = new Map<string, StoredSignalView>();
    for (const candle of candles)
      for (const event of engine.onClosedCandle(candle))
        if (event.type !== 'gap') signals.set(event.signal.id, view(event.signal));
    return [...signals.values()];
  })();

  it('agrees when given the same 1m candles, and names that signal and candle without them', () => {
    expect(needsFineCandles(long ? 'LONG' : 'SHORT', first.stopLoss, first.takeProfit, candles[k])).toBe(
      true,
    );
    expect(stored.find((s) => s.id === first.id)).toMatchObject({
      status: 'TP_HIT',
      exitPrice: first.takeProfit,
    });

    expect(replaySeries({ ...input(candles, stored), fineCandles }).mismatches).toEqual([]);
    const without = replaySeries(input(candles, stored));
    expect(without.firstDifferingCandle).toBe(candles[k].openTime);
    expect(without.mismatches[0]).toMatchObject({
      signalId: first.id,
      field: 'status',
      stored: 'TP_HIT',
      replayed: 'SL_HIT',
    });
  });

  it('replays a candle the live engine decided as SL without 1m candles (its fetch failed) the same way, even with 1m candles stored since', () => {
    const withoutFine = live(candles);
    expect(withoutFine.find((s) => s.id === first.id)).toMatchObject({
      status: 'SL_HIT',
      resolution: 'conservative',
    });
    expect(replaySeries({ ...input(candles, withoutFine), fineCandles }).mismatches).toEqual([]);
    // The stored resolution is what decides: told nothing, the replay uses the 1m candles and differs.
    const unlabelled = withoutFine.map((s) => ({ ...s, resolution: undefined }));
    expect(replaySeries({ ...input(candles, unlabelled), fineCandles }).mismatches[0]).toMatchObject({
      signalId: first.id,
      field: 'status',
      stored: 'SL_HIT',
      replayed: 'TP_HIT',
    });
  });
});
