import type {
  CalibrationReport,
  ConditionAblationReport,
  Page,
  Signal,
  SignalStats,
} from '@scanner/contracts';
import type { Signal as DomainSignal, SignalEngineSnapshot } from '@scanner/signal-core';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { startApp, type RunningApp } from '../src/bootstrap';
import { SignalStore } from '../src/signal-engine';
import { CreationStampService } from '../src/signal-engine/creation-stamps.service';
import { SignalScannerService } from '../src/signal-engine/signal-scanner.service';
import { SignalEntity } from '../src/signal-engine/entities/signal.entity';
import { closedSignal, domainSignal } from '../src/signal-engine/signal-engine.testing';
import { toSignalEntity, type CreationStamp } from '../src/signal-engine/signal.mapper';
import { TargetFitService } from '../src/signal-engine/target-fit.service';
import { simulatorCandles, startSignalEngineApp, type SignalEngineApp } from './support/signal-engine-app';
import { dataSourceTransactions, makeSignal, SignalEventWriter } from './support/signal-event-writer';
import { createTestEnvironment, eventually, type TestEnvironment } from './support/test-env';

const H = 3_600_000;
const AUG5 = Date.UTC(2024, 7, 5);

interface Crafted {
  symbol: string;
  timeframe: string;
  confidence: number;
  status: 'TP_HIT' | 'SL_HIT' | 'INVALIDATED' | 'EXPIRED' | 'ACTIVE';
  grossR: number;
  netR: number;
  origin: 'live' | 'replay';
  mask: number;
}

/**
 * LONG signals, entry 100, stop 97 (risk 3): TP 105 = +5/3 R gross, +1.6 net; SL 97 = −1 gross,
 * −1.07 net. Closed in this order, one hour apart. The known answers below are worked out by hand.
 */
const CRAFTED: Crafted[] = [
  {
    symbol: 'AAAUSDT',
    timeframe: '5m',
    confidence: 72,
    status: 'TP_HIT',
    grossR: 5 / 3,
    netR: 1.6,
    origin: 'live',
    mask: 0b01,
  },
  {
    symbol: 'BBBUSDT',
    timeframe: '5m',
    confidence: 73,
    status: 'SL_HIT',
    grossR: -1,
    netR: -1.07,
    origin: 'live',
    mask: 0b11,
  },
  {
    symbol: 'CCCUSDT',
    timeframe: '5m',
    confidence: 77,
    status: 'TP_HIT',
    grossR: 5 / 3,
    netR: 1.6,
    origin: 'replay',
    mask: 0b01,
  },
  {
    symbol: 'DDDUSDT',
    timeframe: '5m',
    confidence: 81,
    status: 'EXPIRED',
    grossR: 0.2,
    netR: 0.13,
    origin: 'live',
    mask: 0b10,
  },
  {
    symbol: 'EEEUSDT',
    timeframe: '5m',
    confidence: 96,
    status: 'SL_HIT',
    grossR: -1,
    netR: -1.07,
    origin: 'replay',
    mask: 0b11,
  },
  {
    symbol: 'FFFUSDT',
    timeframe: '5m',
    confidence: 100,
    status: 'INVALIDATED',
    grossR: -0.3,
    netR: -0.37,
    origin: 'live',
    mask: 0,
  },
  {
    symbol: 'GGGUSDT',
    timeframe: '15m',
    confidence: 88,
    status: 'TP_HIT',
    grossR: 5 / 3,
    netR: 1.6,
    origin: 'live',
    mask: 0b01,
  },
  {
    symbol: 'HHHUSDT',
    timeframe: '5m',
    confidence: 90,
    status: 'ACTIVE',
    grossR: 0,
    netR: 0,
    origin: 'live',
    mask: 0b01,
  },
];

function domainOf(c: Crafted, i: number): DomainSignal {
  const created = domainSignal({
    symbol: c.symbol,
    timeframe: c.timeframe,
    confidence: c.confidence,
    candleOpenTime: AUG5 + i * H,
    initialConditionMask: c.mask,
  });
  if (c.status === 'ACTIVE') return created;
  const exit = 100 + 3 * c.grossR;
  return {
    ...closedSignal(created, c.status, exit, AUG5 + (i + 1) * H),
    // A later update moved the current confidence: calibration must read the one at creation.
    confidence: 50,
    grossR: c.grossR,
    outcomeR: c.grossR,
    netR: c.netR,
  };
}

const stampOf = (c: Crafted): CreationStamp => ({
  origin: c.origin,
  pTarget: null,
  pTargetSamples: 0,
  pTargetNote: 'crafted',
  confluence: null,
  scoringVersion: 1,
});

describe('signal quality: stats, calibration, ablation and origin over HTTP (real database)', () => {
  let environment: TestEnvironment;
  let running: SignalEngineApp;
  let url: string;

  beforeAll(async () => {
    environment = await createTestEnvironment({ redis: false });
    running = await startSignalEngineApp(environment.config());
    url = running.url;
    const rows = CRAFTED.map((c, i) => toSignalEntity(domainOf(c, i), stampOf(c)));
    await running.app.get(DataSource).getRepository(SignalEntity).save(rows);
  });

  afterAll(async () => {
    await running?.close();
    await environment?.cleanup();
  });

  const get = async <T>(path: string): Promise<T> => (await request(url).get(path).expect(200)).body as T;

  it('stats: expectancy is the mean NET R over every close; win rate TP/(TP+SL), hit rate TP/all, with Wilson intervals', async () => {
    const stats = await get<SignalStats>('/api/signals/stats');
    expect(stats.origin).toBe('all');
    expect(stats.active).toBe(1);
    const o = stats.overall;
    expect(o.closed).toBe(7);
    expect(o.byOutcome).toEqual({ TP_HIT: 3, SL_HIT: 2, INVALIDATED: 1, EXPIRED: 1, CANCELLED: 0 });
    expect(o.winRate).toBeCloseTo(3 / 5, 12);
    expect(o.hitRate).toBeCloseTo(3 / 7, 12);
    expect(o.winRateInterval).toMatchObject({
      definition: 'TP / (TP + SL)',
      successes: 3,
      n: 5,
      lowSample: true,
    });
    expect(o.hitRateInterval).toMatchObject({ definition: 'TP / all closed', successes: 3, n: 7 });
    // Wilson 95% for 3 of 5: 0.2307… to 0.8824….
    expect(o.winRateInterval.low).toBeCloseTo(0.2307, 4);
    expect(o.winRateInterval.high).toBeCloseTo(0.8824, 4);
    expect(o.shares.EXPIRED).toMatchObject({ successes: 1, n: 7 });
    expect(o.expectancy).toBeCloseTo((3 * 1.6 - 2 * 1.07 + 0.13 - 0.37) / 7, 12);
    expect(o.expectancyGross).toBeCloseTo((3 * (5 / 3) - 2 + 0.2 - 0.3) / 7, 12);
    expect(o.averageR).toBeCloseTo(o.expectancyGross!, 12);
    expect(o.totalNetR).toBeCloseTo(3 * 1.6 - 2 * 1.07 + 0.13 - 0.37, 12);
    expect(o.profitFactor).toBeCloseTo((3 * 1.6 + 0.13) / (2 * 1.07 + 0.37), 12);
    expect(o.lowSample).toBe(true);
    expect(Object.keys(stats.byTimeframe)).toEqual(['15m', '5m']);
    expect(stats.byTimeframe['15m'].closed).toBe(1);
    expect(stats.byDirection.LONG.closed).toBe(7);
    expect(stats.byDirection.SHORT.closed).toBe(0);
  });

  it('stats by origin: live and replay apart, drawdown in closing order', async () => {
    const live = await get<SignalStats>('/api/signals/stats?origin=live');
    expect(live.origin).toBe('live');
    expect(live.active).toBe(1);
    expect(live.overall.closed).toBe(5);
    expect(live.overall.winRate).toBeCloseTo(2 / 3, 12);
    expect(live.overall.expectancy).toBeCloseTo((1.6 - 1.07 + 0.13 - 0.37 + 1.6) / 5, 12);
    // Cumulative net R: 1.6, 0.53, 0.66, 0.29, 1.89 → peak 1.6, trough 0.29.
    expect(live.overall.maxDrawdownR).toBeCloseTo(1.31, 12);
    const replay = await get<SignalStats>('/api/signals/stats?origin=replay&timeframe=5m');
    expect(replay.active).toBe(0);
    expect(replay.overall.closed).toBe(2);
    expect(replay.overall.expectancy).toBeCloseTo((1.6 - 1.07) / 2, 12);
    const since = await get<SignalStats>(`/api/signals/stats?since=${new Date(AUG5 + 5 * H).toISOString()}`);
    // Closed at or after 05:00: the 5th, 6th and 7th.
    expect(since.overall.closed).toBe(3);
  });

  it('GET /api/signals filters by origin', async () => {
    const replay = await get<Page<Signal>>('/api/signals?origin=replay&sort=symbol');
    expect(replay.items.map((s) => s.symbol)).toEqual(['CCCUSDT', 'EEEUSDT']);
    expect(replay.items[0]).toMatchObject({
      origin: 'replay',
      initialConfidence: 77,
      confidence: 50,
      outcomeR: 5 / 3,
      netR: 1.6,
      pTarget: null,
      pTargetNote: 'crafted',
    });
    const live = await get<Page<Signal>>('/api/signals?origin=live');
    expect(live.items).toHaveLength(6);
  });

  it('calibration: buckets of confidence at creation with known answers, and equal to a recomputation from GET /api/signals rows', async () => {
    const report = await get<CalibrationReport>('/api/signals/calibration?timeframe=5m');
    expect(report).toMatchObject({ timeframe: '5m', direction: null, origin: 'all', closed: 6, brierN: 4 });
    const row = (label: string) => report.buckets.find((b) => b.label === label)!;
    expect(report.buckets.map((b) => b.label)).toEqual([
      '70–74',
      '75–79',
      '80–84',
      '85–89',
      '90–94',
      '95–100',
    ]);
    expect(row('70–74')).toMatchObject({ count: 2, pTarget: { successes: 1, n: 2, value: 0.5 } });
    expect(row('70–74').meanNetR).toBeCloseTo((1.6 - 1.07) / 2, 12);
    expect(row('75–79')).toMatchObject({ count: 1, pTarget: { successes: 1, n: 1 }, meanNetR: 1.6 });
    // An expiry counts in the bucket and its mean R, not in P(TP before SL).
    expect(row('80–84')).toMatchObject({ count: 1, pTarget: { n: 0, value: null } });
    expect(row('95–100')).toMatchObject({ count: 2, pTarget: { successes: 0, n: 1 } });
    expect(report.brierScore).toBeCloseTo((0.28 ** 2 + 0.73 ** 2 + 0.23 ** 2 + 0.96 ** 2) / 4, 12);

    const rows = (await get<Page<Signal>>('/api/signals?status=CLOSED&timeframe=5m&limit=500')).items;
    const recomputed = new Map<number, { count: number; tp: number; decided: number; sum: number }>();
    for (const s of rows) {
      const min = Math.min(95, Math.floor(s.initialConfidence / 5) * 5);
      const b = recomputed.get(min) ?? { count: 0, tp: 0, decided: 0, sum: 0 };
      b.count++;
      b.sum += s.netR!;
      if (s.status === 'TP_HIT' || s.status === 'SL_HIT') b.decided++;
      if (s.status === 'TP_HIT') b.tp++;
      recomputed.set(min, b);
    }
    for (const bucket of report.buckets) {
      const b = recomputed.get(bucket.min) ?? { count: 0, tp: 0, decided: 0, sum: 0 };
      expect([bucket.count, bucket.pTarget.successes, bucket.pTarget.n]).toEqual([b.count, b.tp, b.decided]);
      if (b.count > 0) expect(bucket.meanNetR).toBeCloseTo(b.sum / b.count, 12);
      else expect(bucket.meanNetR).toBeNull();
    }

    const live = await get<CalibrationReport>('/api/signals/calibration?origin=live&direction=long');
    expect(live).toMatchObject({ origin: 'live', direction: 'LONG', closed: 5 });
  });

  it('calibration carries the pTarget fits: none before the first fit, then the shortfall per timeframe', async () => {
    expect((await get<CalibrationReport>('/api/signals/calibration')).fits).toEqual([]);
    await running.app.get(TargetFitService).refit();
    const report = await get<CalibrationReport>('/api/signals/calibration?timeframe=5m');
    expect(report.fits).toEqual([
      {
        timeframe: '5m',
        samples: 4,
        minSamples: 200,
        fittedAt: expect.any(String),
        steps: [],
        note: '4 of 200 TP/SL closes on 5m so far',
      },
    ]);
    const all = await get<CalibrationReport>('/api/signals/calibration');
    expect(all.fits.map((f) => [f.timeframe, f.samples])).toEqual([
      ['5m', 4],
      ['15m', 1],
    ]);
  });

  it('a signal created now is stamped from the current fit; a later change of a stored one keeps its stamp', async () => {
    await running.app.get(TargetFitService).refit();
    const stamps = running.app.get(CreationStampService);
    const fresh = domainSignal({ symbol: 'NEWUSDT', candleOpenTime: AUG5 + 20 * H });
    const stored = domainOf(CRAFTED[7], 7);
    const result = await stamps.stampsFor(
      [
        { type: 'created', signal: fresh },
        { type: 'updated', signal: { ...stored, confidence: 91, version: 2 } },
      ],
      fresh.createdAt + 1_000,
    );
    expect(result.get(fresh.id)).toEqual({
      origin: 'live',
      pTarget: null,
      pTargetSamples: 4,
      pTargetNote: '4 of 200 TP/SL closes on 5m so far',
      // SCAN_TIMEFRAMES is 5m alone here: no other timeframe to agree.
      confluence: { timeframe: '5m', direction: 'LONG', agreeing: 1, others: [] },
      scoringVersion: 1,
    });
    expect(result.get(stored.id)).toEqual(stampOf(CRAFTED[7]));
    // Replayed from history: the step ran long after the candle closed.
    const replayed = await stamps.stampsFor([{ type: 'created', signal: fresh }], fresh.createdAt + 24 * H);
    expect(result.get(fresh.id)!.origin).toBe('live');
    expect(replayed.get(fresh.id)!.origin).toBe('replay');
  });

  it('ablation: for each condition, closes where it held at creation vs not', async () => {
    const report = await get<ConditionAblationReport>('/api/signals/ablation');
    expect(report).toMatchObject({ origin: 'all', closed: 7 });
    expect(report.conditions).toHaveLength(8);
    const [macd, rsi, ...rest] = report.conditions;
    expect(macd).toMatchObject({
      key: 'macd_cross',
      weight: 20,
      held: { count: 5, hitRate: { successes: 3, n: 5 } },
      notHeld: { count: 2, hitRate: { successes: 0, n: 2 } },
    });
    expect(macd.held.meanNetR).toBeCloseTo((3 * 1.6 - 2 * 1.07) / 5, 12);
    expect(macd.notHeld.meanNetR).toBeCloseTo((0.13 - 0.37) / 2, 12);
    expect(rsi).toMatchObject({ key: 'rsi_zone', held: { count: 3 }, notHeld: { count: 4 } });
    expect(rsi.held.meanNetR).toBeCloseTo((-1.07 + 0.13 - 1.07) / 3, 12);
    for (const condition of rest) expect([condition.held.count, condition.notHeld.count]).toEqual([0, 7]);
    const replay = await get<ConditionAblationReport>('/api/signals/ablation?origin=replay');
    expect(replay.closed).toBe(2);
    expect(replay.conditions[0].held.count).toBe(2);
  });

  it.each([
    ['/api/signals/stats?origin=both', 'origin'],
    ['/api/signals/calibration?timeframe=7m', 'timeframe'],
    ['/api/signals/calibration?direction=UP', 'direction'],
    ['/api/signals/ablation?since=yesterday', 'since'],
    ['/api/signals/ablation?origin=', 'origin'],
    ['/api/signals?origin=all', 'origin'],
  ])('%s → 400 naming %s', async (path, param) => {
    const response = await request(url).get(path).expect(400);
    expect(JSON.stringify(response.body.message)).toContain(param);
  });

  it("answers are kept until a close: this process's engine close shows at once, another process's through the change marker", async () => {
    const stats = await get<SignalStats>('/api/signals/stats');
    const calibration = await get<CalibrationReport>('/api/signals/calibration');
    const ablation = await get<ConditionAblationReport>('/api/signals/ablation');

    const created = domainSignal({ symbol: 'ZZZUSDT', candleOpenTime: AUG5 + 40 * H, confidence: 90 });
    await running.app.get(SignalStore).commit({
      symbol: 'ZZZUSDT',
      timeframe: '5m',
      expectedRevision: 0,
      snapshot: { lastOpenTime: AUG5 + 41 * H } as unknown as SignalEngineSnapshot,
      events: [
        { type: 'created', signal: created },
        { type: 'closed', signal: closedSignal(created, 'TP_HIT', 105, created.createdAt + H) },
      ],
      marketTime: created.createdAt + H,
    });
    // No wait: the commit itself invalidated this process's answers.
    expect((await get<SignalStats>('/api/signals/stats')).overall.closed).toBe(stats.overall.closed + 1);
    expect((await get<CalibrationReport>('/api/signals/calibration')).closed).toBe(calibration.closed + 1);
    expect((await get<ConditionAblationReport>('/api/signals/ablation')).closed).toBe(ablation.closed + 1);

    // Another process closes one: written straight to the database, no notice reaches this one.
    const writer = new SignalEventWriter(dataSourceTransactions(running.app.get(DataSource)));
    const other = makeSignal({ symbol: 'YYYUSDT' });
    await writer.write('created', other);
    await writer.write('deleted', {
      ...other,
      status: 'SL_HIT',
      closedAt: new Date(AUG5 + 45 * H).toISOString(),
      updatedAt: new Date(AUG5 + 45 * H).toISOString(),
      exitPrice: other.stopLoss,
      outcomeR: -1,
      netR: -1.07,
      version: 2,
    });
    await eventually(
      async () =>
        (await get<SignalStats>('/api/signals/stats')).overall.closed === stats.overall.closed + 2 ||
        undefined,
      5_000,
      "the other process's close in stats",
    );
    expect((await get<ConditionAblationReport>('/api/signals/ablation')).closed).toBe(ablation.closed + 2);
  });
});

describe('origin and pTarget stamped by the live scanner, and kept through every later change', () => {
  const symbol = 'BTCUSDT';
  const candles = simulatorCandles(symbol, '5m');
  const market = (c: (typeof candles)[number]) => ({ ...c, quoteVolume: 0 });
  const HISTORY = 2000;
  let environment: TestEnvironment;
  let running: SignalEngineApp;

  beforeAll(async () => {
    environment = await createTestEnvironment({ redis: false });
    running = await startSignalEngineApp(environment.config());
  });

  afterAll(async () => {
    await running?.close();
    await environment?.cleanup();
  });

  it('history caught up in one step is replay (bar its last two candles); candles scanned as they close are live', async () => {
    await running.app.get(TargetFitService).refit();
    const scanner = running.app.get(SignalScannerService);
    // A backfill: 2000 closed candles in one step, whose market time is the end of the newest.
    await scanner.processSymbol(symbol, '5m', {
      newClosed: candles.slice(0, HISTORY).map(market),
      openCandle: null,
    });
    // Then each candle as it closes.
    for (let i = HISTORY; i < candles.length; i++)
      await scanner.processSymbol(symbol, '5m', { newClosed: [market(candles[i])], openCandle: null });

    const db = running.app.get(DataSource);
    const rows = await db.getRepository(SignalEntity).find({ order: { createdAt: 'ASC' } });
    const backfillEnd = candles[HISTORY - 1].closeTime;
    const history = rows.filter((s) => s.createdAt.getTime() < candles[HISTORY - 3].closeTime);
    const live = rows.filter((s) => s.createdAt.getTime() > backfillEnd);
    expect(history.length).toBeGreaterThan(10);
    expect(live.length).toBeGreaterThan(10);
    expect(history.every((s) => s.origin === 'replay')).toBe(true);
    expect(live.every((s) => s.origin === 'live')).toBe(true);
    expect(
      rows.every((s) => s.pTarget === null && s.pTargetNote === '0 of 200 TP/SL closes on 5m so far'),
    ).toBe(true);

    // Every event of a signal carries the stamp it was created with, its close included.
    const events: { signal_id: string; type: string; payload: Signal }[] = await db.query(
      `SELECT signal_id, type, payload FROM signal_events ORDER BY seq`,
    );
    const byId = new Map(rows.map((s) => [s.id, s]));
    const closes = events.filter((e) => e.type === 'deleted' && byId.get(e.signal_id)!.origin === 'live');
    expect(closes.length).toBeGreaterThan(5);
    for (const e of events) {
      const row = byId.get(e.signal_id)!;
      expect([e.payload.origin, e.payload.pTarget, e.payload.pTargetNote]).toEqual([
        row.origin,
        row.pTarget,
        row.pTargetNote,
      ]);
      expect(e.payload.initialConfidence).toBe(row.initialConfidence);
    }
    // Every close has its net R below its gross R by the costs (FEE_BPS 10 per side).
    const closed = rows.filter((s) => s.status !== 'ACTIVE');
    expect(closed.every((s) => s.netR !== null && s.outcomeR !== null && s.netR < s.outcomeR)).toBe(true);

    const fits = await running.app.get(TargetFitService).refit();
    const decided = closed.filter((s) => s.status === 'TP_HIT' || s.status === 'SL_HIT');
    expect(fits.find((f) => f.timeframe === '5m')).toMatchObject({ samples: decided.length });
    const report = (await request(running.url).get('/api/signals/calibration?origin=live').expect(200))
      .body as CalibrationReport;
    expect(report.closed).toBe(closed.filter((s) => s.origin === 'live').length);
  }, 300_000);
});

describe('the pTarget fit job in the whole app', () => {
  let environment: TestEnvironment;
  let app: RunningApp | null = null;

  afterAll(async () => {
    await app?.close();
    await environment?.cleanup();
  });

  it('runs once at startup: every scanned timeframe has a stored fit (here: the shortfall) in calibration', async () => {
    environment = await createTestEnvironment();
    app = await startApp(environment.config({ SCAN_TIMEFRAMES: '5m,1h' }), { host: '127.0.0.1' });
    const report = await eventually(
      async () => {
        const body = (
          await request(app!.url as string)
            .get('/api/signals/calibration')
            .expect(200)
        ).body as CalibrationReport;
        return body.fits.length === 2 ? body : undefined;
      },
      30_000,
      'the startup pTarget fit',
    );
    expect(report.fits.map((f) => [f.timeframe, f.samples, f.note])).toEqual([
      ['5m', 0, '0 of 200 TP/SL closes on 5m so far'],
      ['1h', 0, '0 of 200 TP/SL closes on 1h so far'],
    ]);
  });
});
