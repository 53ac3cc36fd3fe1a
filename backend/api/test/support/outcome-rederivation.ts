import { runBacktest, type Candle } from '@scanner/signal-core';
import { DataSource } from 'typeorm';
import { EngineConfigService } from '../../src/signal-engine/engine-config.service';
import { SignalEntity } from '../../src/signal-engine/entities/signal.entity';
import { TEST_STAMP, withoutStamp } from '../../src/signal-engine/signal-engine.testing';
import { toSignalEntity, toWireSignal } from '../../src/signal-engine/signal.mapper';
import { startSignalEngineApp, type SignalEngineApp } from './signal-engine-app';
import type { TestEnvironment } from './test-env';

/** Everything here is on the 5m timeframe. */
export const FIVE_MIN = 300_000;

/** What a scanning run left in its database: signals, their events, 5m candles per symbol, engine states, the engine config. */
export interface StoredRun {
  signals: SignalEntity[];
  events: { signal_id: string; seq: string; type: string; payload: Record<string, unknown> }[];
  candles: Map<string, Candle[]>;
  engines: {
    symbol: string;
    last_candle_open_time: string;
    state: { snapshot: { gaps: number; candles: number } };
  }[];
  config: Awaited<ReturnType<EngineConfigService['get']>>;
  /** How many (symbol, interval, open time) are stored more than once. */
  duplicateCandles: number;
}

/** The stored 5m candles per symbol, oldest first, as the engine takes them. */
export async function storedFiveMinuteCandles(db: DataSource): Promise<Map<string, Candle[]>> {
  const rows: {
    symbol: string;
    open_time: string;
    close_time: string;
    open: number;
    high: number;
    low: number;
    close: number;
    volume: number;
  }[] = await db.query(
    `SELECT symbol, open_time, close_time, open, high, low, close, volume FROM candles WHERE interval = '5m' ORDER BY symbol, open_time`,
  );
  const candles = new Map<string, Candle[]>();
  for (const r of rows) {
    const list = candles.get(r.symbol) ?? [];
    list.push({
      openTime: Number(r.open_time),
      closeTime: Number(r.close_time),
      open: r.open,
      high: r.high,
      low: r.low,
      close: r.close,
      volume: r.volume,
    });
    candles.set(r.symbol, list);
  }
  return candles;
}

/** Everything the run left in one database, read by an in-process app on it (PGlite has one session). */
export async function readStoredRun(environment: TestEnvironment): Promise<StoredRun> {
  let running: SignalEngineApp | undefined;
  try {
    running = await startSignalEngineApp(environment.config());
    const db = running.app.get(DataSource);
    const signals = await db.getRepository(SignalEntity).find({ order: { id: 'ASC' } });
    const events = await db.query(`SELECT signal_id, seq, type, payload FROM signal_events ORDER BY seq`);
    const candles = await storedFiveMinuteCandles(db);
    const [{ n }] = await db.query(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM candles GROUP BY symbol, interval, open_time HAVING count(*) > 1) d`,
    );
    const engines = await db.query(
      `SELECT symbol, last_candle_open_time, state FROM engine_states ORDER BY symbol`,
    );
    const config = await running.app.get(EngineConfigService).get();
    return { signals, events, candles, engines, config, duplicateCandles: n };
  } finally {
    await running?.close();
  }
}

/** A signal as compared field for field: its wire form plus the excursions kept only in the database. */
export const plain = (e: SignalEntity) => ({
  ...withoutStamp(toWireSignal(e)),
  maxFavorableR: e.maxFavorableR,
  maxAdverseR: e.maxAdverseR,
});

/**
 * A wire signal with tick times reduced to their candle: a level crossed on the open candle is stamped
 * with the exchange time the scan observed it, which two runs of the same candles see a few ms apart.
 * Times on a candle close (x:59.999) are kept as they are.
 */
export function withTickTimesAsCandle<T extends { closedAt: string | null; updatedAt: string }>(
  signal: T,
): T {
  const toCandle = (iso: string | null) => {
    if (iso === null) return null;
    const time = Date.parse(iso);
    return (time + 1) % FIVE_MIN === 0
      ? iso
      : `tick in the candle opening ${new Date(Math.floor(time / FIVE_MIN) * FIVE_MIN).toISOString()}`;
  };
  return { ...signal, closedAt: toCandle(signal.closedAt), updatedAt: toCandle(signal.updatedAt) as string };
}

/** TP_HIT or SL_HIT: closed by price reaching a level (not INVALIDATED or EXPIRED). */
export const isPriceExit = (status: string) => status === 'TP_HIT' || status === 'SL_HIT';

/**
 * The backtest (closed candles only) over exactly the stored candles. The live scanner also checks
 * TP/SL against the still-open candle of each scan (the open-candle tick, issue 5 §2); the simulator's
 * open 5m candle only ever reaches prices its final candle reaches, so a tick can only close a signal
 * EARLIER, in the same candle: at the exchange time of that observation instead of the candle's close. Such a signal must
 * match the backtest in everything set before its exit (id, direction, levels, confidence, creation);
 * its exit is checked against the candle by `rederive`. Every other signal must equal the backtest's
 * field for field. Returns how many signals closed on a tick.
 */
export function compareWithBacktest(stored: StoredRun): number {
  const backtest = runBacktest(Object.fromEntries(stored.candles), stored.config, { timeframe: '5m' });
  const expected = backtest.signals
    .map((s) => toSignalEntity(s, TEST_STAMP))
    .sort((x, y) => (x.id < y.id ? -1 : 1));
  expect(stored.signals.map((s) => s.id)).toEqual(expected.map((s) => s.id));
  let ticked = 0;
  stored.signals.forEach((live, i) => {
    const reference = expected[i];
    if (live.closedAt?.getTime() === reference.closedAt?.getTime()) {
      expect(plain(live)).toEqual(plain(reference));
      return;
    }
    ticked++;
    expect(isPriceExit(live.status) && isPriceExit(reference.status)).toBe(true);
    // Stamped with the exchange time of the observation that crossed the level: inside that candle, before its close.
    const closeOfCandle = reference.closedAt!.getTime();
    expect(live.closedAt!.getTime()).toBeGreaterThanOrEqual(closeOfCandle - (FIVE_MIN - 1));
    expect(live.closedAt!.getTime()).toBeLessThan(closeOfCandle);
    const atEntry = (s: SignalEntity) => ({
      id: s.id,
      direction: s.direction,
      entryPrice: s.entryPrice,
      stopLoss: s.stopLoss,
      takeProfit: s.takeProfit,
      riskReward: s.riskReward,
      confidence: s.confidence,
      createdAt: s.createdAt,
      candleOpenTime: s.candleOpenTime,
      version: s.version,
      conditions: s.conditions,
      indicators: s.indicators,
    });
    expect(atEntry(live)).toEqual(atEntry(reference));
  });
  return ticked;
}

/**
 * Walks the stored candles after the signal's creation, independently of signal-core: the first
 * candle whose range reaches the stop or the target decides (both in one candle → stop; a candle that
 * opens beyond a level exits at its open). A signal closed at a candle's close by INVALIDATED/EXPIRED
 * must have seen no level reached up to and including that candle, and exits at its close. A signal
 * still ACTIVE must have seen no level reached and not be due to expire.
 */
export function rederive(s: SignalEntity, candles: readonly Candle[], expiryCandles: number): void {
  const long = s.direction === 'LONG';
  const sl = s.stopLoss;
  const tp = s.takeProfit;
  const label = `${s.id} ${s.status}`;
  const created = s.candleOpenTime.getTime();
  const after = candles.filter((c) => c.openTime > created);
  const reachesSl = (c: Candle) => (long ? c.low <= sl : c.high >= sl);
  const reachesTp = (c: Candle) => (long ? c.high >= tp : c.low <= tp);
  const hit = after.findIndex((c) => reachesSl(c) || reachesTp(c));
  const closedAt = s.closedAt?.getTime() ?? null;
  const r = (exit: number) =>
    (long ? exit - s.entryPrice : s.entryPrice - exit) / Math.abs(s.entryPrice - sl);

  if (s.status === 'ACTIVE') {
    // Still open at the end: nothing reached a level, not yet expired.
    expect({ label, hit }).toEqual({ label, hit: -1 });
    expect(after.length).toBeLessThan(expiryCandles);
    return;
  }
  expect({ label, exitPrice: s.exitPrice !== null, outcomeR: s.outcomeR !== null }).toEqual({
    label,
    exitPrice: true,
    outcomeR: true,
  });
  expect({ label, r: s.outcomeR! }).toEqual({ label, r: expect.closeTo(r(s.exitPrice!), 9) });

  if (isPriceExit(s.status)) {
    expect({ label, hit: hit >= 0 }).toEqual({ label, hit: true });
    const c = after[hit];
    const gappedSl = long ? c.open <= sl : c.open >= sl;
    const gappedTp = long ? c.open >= tp : c.open <= tp;
    if (closedAt === c.closeTime) {
      // Closed by the closed candle: exactly the rule.
      const status = gappedSl || (!gappedTp && reachesSl(c)) ? 'SL_HIT' : 'TP_HIT';
      const exit = gappedSl || gappedTp ? c.open : status === 'SL_HIT' ? sl : tp;
      expect({ label, status: s.status, exit: s.exitPrice }).toEqual({ label, status, exit });
    } else {
      // Closed on that candle's open tick (stamped with the observation's time inside it): the level it
      // reached is one the whole candle reaches.
      expect({
        label,
        inside: closedAt !== null && closedAt >= c.openTime && closedAt < c.closeTime,
      }).toEqual({ label, inside: true });
      const reached = s.status === 'SL_HIT' ? reachesSl(c) : reachesTp(c);
      const gapped = s.status === 'SL_HIT' ? gappedSl : gappedTp;
      expect({ label, reached, exit: s.exitPrice }).toEqual({
        label,
        reached: true,
        exit: gapped ? c.open : s.status === 'SL_HIT' ? sl : tp,
      });
      if (gappedSl) expect(s.status).toBe('SL_HIT');
    }
    return;
  }

  // INVALIDATED / EXPIRED: at a candle's close, no level reached up to and including it, exit at its close.
  const at = after.findIndex((c) => c.closeTime === closedAt);
  expect({ label, found: at >= 0 }).toEqual({ label, found: true });
  expect({ label, firstHitAfter: hit === -1 || hit > at }).toEqual({ label, firstHitAfter: true });
  expect({ label, exit: s.exitPrice }).toEqual({ label, exit: after[at].close });
  const candlesHeld = (after[at].openTime - created) / FIVE_MIN;
  if (s.status === 'EXPIRED') expect({ label, candlesHeld }).toEqual({ label, candlesHeld: expiryCandles });
  else expect(candlesHeld).toBeLessThanOrEqual(expiryCandles);
}
