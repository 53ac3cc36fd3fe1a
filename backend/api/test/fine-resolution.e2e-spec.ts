import type { ReconcileRun, ReconcileStatus } from '@scanner/contracts';
import {
  BUNDLED_DATA_DIR,
  startExchangeSim,
  type ExchangeSim,
  type ExchangeSimOptions,
} from '@scanner/exchange-sim';
import {
  decideSameCandle,
  needsFineCandles,
  parseBinanceKlines,
  runBacktest,
  type Candle,
  type Signal,
} from '@scanner/signal-core';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import request from 'supertest';
import { UniverseService } from '../src/market-data/universe.service';
import { minuteChildren } from '../src/signal-engine/fine-candles.testing';
import { appForSuite, type SuiteApp } from './support/app-suite';
import { eventually } from './support/test-env';
import { scanTick } from './support/virtual-scan';

const SYMBOL = 'BTCUSDT';
const FIVE_MIN = 300_000;
const KEY = 'fine-resolution-admin-key';
/** Index of the candle open at the first scan: that scan stores the 999 closed candles before it. */
const FIRST_OPEN = 2000;

type Row = (string | number)[];

/**
 * The case, built from the simulator's bundled BTCUSDT 5m candles: the first signal the live engine
 * creates after its first scan (predicted by the backtest over exactly the candles that scan stores and the
 * ones after it), and the candle after its creation widened past both its stop and its target (open and
 * close kept), so that candle touches both levels. Its five 1m candles reach the target first.
 */
function buildCase() {
  const raw = JSON.parse(
    gunzipSync(readFileSync(path.join(BUNDLED_DATA_DIR, `${SYMBOL}-5m.json.gz`))).toString('utf8'),
  ) as Row[];
  const candles = parseBinanceKlines(raw, { symbol: SYMBOL, interval: '5m' });
  const firstOpen = candles[FIRST_OPEN].openTime;
  const replay = runBacktest({ [SYMBOL]: candles.slice(FIRST_OPEN - 999, FIRST_OPEN + 200) }, undefined, {
    timeframe: '5m',
  });
  const signal = replay.signals.find((s) => s.candleOpenTime >= firstOpen) as Signal;
  const created = candles.findIndex((c) => c.openTime === signal.candleOpenTime);
  const k = created + 1;
  const long = signal.direction === 'LONG';
  const price = (x: number) => Math.round(x * 100) / 100; // BTCUSDT prices have 2 decimals
  const original = candles[k];
  const widened: Candle = {
    ...original,
    high: Math.max(original.high, price((long ? signal.takeProfit : signal.stopLoss) * 1.002)),
    low: Math.min(original.low, price((long ? signal.stopLoss : signal.takeProfit) * 0.998)),
  };
  if (!needsFineCandles(signal.direction, signal.stopLoss, signal.takeProfit, widened))
    throw new Error(`the crafted candle ${widened.openTime} does not touch both levels of ${signal.id}`);
  raw[k] = [...raw[k]];
  raw[k][2] = widened.high.toFixed(8);
  raw[k][3] = widened.low.toFixed(8);
  const minutes = minuteChildren(widened, long ? 'high-first' : 'low-first');
  const minuteRows: Row[] = minutes.map((m) => [
    m.openTime,
    m.open.toFixed(8),
    m.high.toFixed(8),
    m.low.toFixed(8),
    m.close.toFixed(8),
    m.volume.toFixed(8),
    m.closeTime,
    (m.volume * m.close).toFixed(8),
    10,
    '0.00000000',
    '0.00000000',
    '0',
  ]);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'fine-resolution-'));
  writeFileSync(path.join(dataDir, `${SYMBOL}-5m.json`), JSON.stringify(raw));
  writeFileSync(path.join(dataDir, `${SYMBOL}-1m.json`), JSON.stringify(minuteRows));
  // What the 1m candles dictate (signal-core's rule): the target.
  const span = { symbol: SYMBOL, timeframe: '5m', openTime: widened.openTime, closeTime: widened.closeTime };
  const decision = decideSameCandle(
    signal.direction,
    signal.stopLoss,
    signal.takeProfit,
    span,
    widened,
    minutes,
  );
  return {
    dataDir,
    firstOpen,
    signalId: signal.id,
    createdOpen: signal.candleOpenTime,
    ambiguousOpen: widened.openTime,
    minutes,
    decision,
  };
}

interface StoredRow {
  id: string;
  status: string;
  resolution: string | null;
  exit_price: number | null;
  stop_loss: number;
  take_profit: number;
  closed_at: Date | null;
}

/** Hooks and steps shared by both suites: a simulator on the crafted data, the app on it, scans, reconcile. */
function suiteOn(faults: ExchangeSimOptions['faults']) {
  const fixture = buildCase();
  let sim: ExchangeSim;
  beforeAll(async () => {
    sim = await startExchangeSim({
      dataDir: fixture.dataDir,
      symbols: [SYMBOL],
      intervals: ['5m', '1m'],
      clock: { startTime: fixture.firstOpen, paused: true },
      weightClock: 'virtual',
      faults,
      log: false,
    });
  });
  const app = appForSuite(() => ({
    BINANCE_REST_URL: sim.url,
    SCAN_TOP_N: '1',
    SCAN_TIMEFRAMES: '5m',
    SCAN_CRON: '0 0 0 1 1 *',
    ADMIN_API_KEY: KEY,
  }));
  afterAll(async () => {
    await sim?.close();
    rmSync(fixture.dataDir, { recursive: true, force: true });
  });

  async function scanAt(virtualNow: number): Promise<void> {
    sim.clock.set(virtualNow);
    const tick = new Date(virtualNow).toISOString();
    const status = await scanTick(app, virtualNow);
    expect({ tick, status }).toEqual({ tick, status: 'ok' });
  }

  async function reconcile(): Promise<ReconcileRun> {
    const lastRun = async () =>
      (
        (await request(app.url).get('/api/admin/reconcile').set('X-API-Key', KEY).expect(200))
          .body as ReconcileStatus
      ).last;
    const before = await lastRun();
    await request(app.url).post('/api/admin/reconcile').set('X-API-Key', KEY).expect(202);
    return eventually(
      async () => {
        const last = await lastRun();
        return last !== null && last.id !== before?.id && last.status !== 'running' && last;
      },
      120_000,
      'the reconciliation',
    );
  }

  /** First scan, the scan that sees the signal's candle close, the scan that sees the ambiguous candle close. */
  async function runThroughTheAmbiguousCandle(): Promise<StoredRow> {
    const universe = app.running.app.get(UniverseService);
    await eventually(async () => !(await universe.isEmpty()), 20_000, 'the startup universe');
    await scanAt(fixture.firstOpen);
    await scanAt(fixture.createdOpen + FIVE_MIN);
    expect((await stored(app)).status).toBe('ACTIVE');
    await scanAt(fixture.ambiguousOpen + FIVE_MIN);
    return stored(app);
  }

  async function stored(suite: SuiteApp): Promise<StoredRow> {
    const rows = (await suite.db.query(
      `SELECT id, status, resolution, exit_price, stop_loss, take_profit, closed_at FROM signals WHERE id = $1`,
      [fixture.signalId],
    )) as StoredRow[];
    expect(rows).toHaveLength(1);
    return rows[0];
  }

  return { fixture, app, reconcile, runThroughTheAmbiguousCandle };
}

describe('same-candle ambiguity, live: the 1m candles decide', () => {
  const { fixture, app, reconcile, runThroughTheAmbiguousCandle } = suiteOn(undefined);

  it('stores the outcome the 1m candles dictate (resolution fine), and reconciliation agrees', async () => {
    expect(fixture.decision).toMatchObject({ resolution: 'fine', exit: { status: 'TP_HIT' } });

    const signal = await runThroughTheAmbiguousCandle();
    expect(signal).toMatchObject({
      status: fixture.decision.exit.status,
      resolution: 'fine',
      exit_price: fixture.decision.exit.price,
      closed_at: new Date(fixture.ambiguousOpen + FIVE_MIN - 1),
    });
    expect(signal.exit_price).toBe(signal.take_profit);
    const api = await request(app.url).get(`/api/signals/${fixture.signalId}`).expect(200);
    expect(api.body).toMatchObject({ signal: { status: 'TP_HIT', resolution: 'fine', origin: 'live' } });

    // market-data kept the five 1m candles it fetched for that candle, and only those.
    const minutes = (await app.db.query(
      `SELECT symbol, open_time, open, high, low, close FROM fine_candles ORDER BY open_time`,
    )) as { symbol: string; open_time: string; open: number; high: number; low: number; close: number }[];
    expect(minutes.map((m) => [m.symbol, Number(m.open_time), m.open, m.high, m.low, m.close])).toEqual(
      fixture.minutes.map((m) => [SYMBOL, m.openTime, m.open, m.high, m.low, m.close]),
    );

    const clean = await reconcile();
    expect(clean).toMatchObject({ status: 'ok', series: 1, mismatchCount: 0, skipped: [], error: null });
    expect(clean.signalsCompared).toBeGreaterThan(0);

    // Without the stored 1m candles the replay decides that candle as SL: exactly that signal differs.
    await app.db.query(`DELETE FROM fine_candles`);
    const without = await reconcile();
    expect(without.mismatches).toEqual([
      expect.objectContaining({
        symbol: SYMBOL,
        signalId: fixture.signalId,
        field: 'status',
        stored: 'TP_HIT',
        replayed: 'SL_HIT',
        candleOpenTime: new Date(fixture.ambiguousOpen).toISOString(),
      }),
    ]);
  });
});

describe('same-candle ambiguity, live: the 1m fetch fails', () => {
  // Every 1m klines answer of the simulator carries a corrupt row: the fetch fails (5m answers are intact).
  const { fixture, app, reconcile, runThroughTheAmbiguousCandle } = suiteOn({
    badRows: [{ symbol: SYMBOL, interval: '1m', kind: 'non-numeric' }],
  });

  it('decides the candle as SL at the stop (resolution conservative), stores no 1m candle, and reconciliation agrees', async () => {
    const signal = await runThroughTheAmbiguousCandle();
    expect(signal).toMatchObject({ status: 'SL_HIT', resolution: 'conservative' });
    expect(signal.exit_price).toBe(signal.stop_loss);
    expect(await app.db.query(`SELECT count(*)::int AS n FROM fine_candles`)).toEqual([{ n: 0 }]);

    const clean = await reconcile();
    expect(clean).toMatchObject({ status: 'ok', series: 1, mismatchCount: 0, skipped: [], error: null });

    // 1m candles of that span stored later (as a fetch for another timeframe of the symbol would) do not
    // change how the replay decides a candle the live engine decided without them.
    for (const m of fixture.minutes) {
      await app.db.query(
        `INSERT INTO fine_candles (symbol, open_time, close_time, open, high, low, close, volume, quote_volume)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0)`,
        [SYMBOL, m.openTime, m.closeTime, m.open, m.high, m.low, m.close, m.volume],
      );
    }
    expect(await reconcile()).toMatchObject({ status: 'ok', mismatchCount: 0 });
  });
});
