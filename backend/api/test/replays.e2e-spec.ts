import {
  SIGNALS_NAMESPACE,
  SocketEvents,
  type Replay,
  type ReplayProgress,
  type ScoringVersion,
} from '@scanner/contracts';
import { DEFAULT_ENGINE_CONFIG, resolveEngineConfig, runBacktest, type Candle } from '@scanner/signal-core';
import { io, type Socket } from 'socket.io-client';
import request from 'supertest';
import type { MarketCandle } from '../src/market-data/market-candle';
import { SignalScannerService } from '../src/signal-engine/signal-scanner.service';
import { appForSuite } from './support/app-suite';
import { simulatorCandles, storeCandles } from './support/signal-engine-app';
import { eventually } from './support/test-env';

const KEY = 'test-admin-key-0123456789abcdef';
const SYMBOLS = ['BTCUSDT', 'ETHUSDT'];
const market = (c: Candle): MarketCandle => ({ ...c, quoteVolume: 0 });

describe('A/B replay over stored candles (real database, HTTP, socket)', () => {
  const app = appForSuite({ ADMIN_API_KEY: KEY });
  const candles = Object.fromEntries(SYMBOLS.map((s) => [s, simulatorCandles(s, '5m')]));
  const admin = {
    get: (path: string) => request(app.url).get(path).set('X-API-Key', KEY),
    post: (path: string, body: object) => request(app.url).post(path).set('X-API-Key', KEY).send(body),
    delete: (path: string) => request(app.url).delete(path).set('X-API-Key', KEY),
  };
  const V2 = { minConfidence: 65 };
  let socket: Socket;
  const progress: ReplayProgress[] = [];

  beforeAll(async () => {
    for (const symbol of SYMBOLS) await storeCandles(app.db, symbol, candles[symbol]);
    // The scanner's own signals (version 1) over BTCUSDT's candles, from the first one.
    const scanner = app.running.app.get(SignalScannerService);
    for (let i = 0; i < candles.BTCUSDT.length; i += 500)
      await scanner.processSymbol('BTCUSDT', '5m', {
        newClosed: candles.BTCUSDT.slice(i, i + 500).map(market),
        openCandle: null,
      });
    await admin.post('/api/admin/scoring-versions', { config: V2, note: 'looser' }).expect(201);
    socket = io(`${app.url}${SIGNALS_NAMESPACE}`, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    socket.on(SocketEvents.replayProgress, (p: ReplayProgress) => progress.push(p));
    await eventually(async () => socket.connected || undefined, 10_000, 'the socket connected');
  });

  afterAll(() => {
    socket?.close();
  });

  const period = () => ({
    from: new Date(candles.BTCUSDT[0].openTime).toISOString(),
    to: new Date(candles.BTCUSDT[candles.BTCUSDT.length - 1].openTime).toISOString(),
  });

  it('replays both versions, stores both result sets, says the live version reproduces the stored signals, and reports progress', async () => {
    const started = await admin
      .post('/api/admin/replays', {
        symbols: SYMBOLS,
        timeframes: ['5m'],
        ...period(),
        versionA: 1,
        versionB: 2,
      })
      .expect(202);
    const id = (started.body as Replay).id;
    expect(started.body).toMatchObject({ status: 'queued', progress: { seriesDone: 0, seriesTotal: 2 } });

    const replay = await eventually(
      async () => {
        const r = (await admin.get(`/api/admin/replays/${id}`).expect(200)).body as Replay;
        return r.status === 'queued' || r.status === 'running' ? undefined : r;
      },
      120_000,
      'the replay finished',
    );
    expect(replay).toMatchObject({
      status: 'done',
      error: null,
      progress: { seriesDone: 2, seriesTotal: 2 },
    });
    expect(replay.progress.candles).toBe(candles.BTCUSDT.length + candles.ETHUSDT.length);

    // Each side is the engine's own backtest of those candles with that version's config.
    const config = (v: ScoringVersion) => resolveEngineConfig(v.config as never);
    const versions = (await admin.get('/api/admin/scoring-versions').expect(200)).body as ScoringVersion[];
    expect(config(versions[0])).toEqual(DEFAULT_ENGINE_CONFIG);
    const backtest = (v: ScoringVersion) => runBacktest(candles, config(v), { timeframe: '5m' });
    const [a, b] = [backtest(versions[0]), backtest(versions[1])];
    const result = replay.result!;
    expect(result.a).toMatchObject({ scoringVersion: 1, signals: a.signals.length });
    expect(result.b).toMatchObject({ scoringVersion: 2, signals: b.signals.length });
    expect(result.a.stats.closed).toBe(a.report.closed);
    expect(result.b.stats.maxDrawdownR).toBeCloseTo(b.report.maxDrawdownR, 9);
    expect(result.a.equityR.at(-1)).toBeCloseTo(a.report.totalR, 9);
    // Version 2 is looser: it creates signals version 1 does not.
    const onlyB = b.signals.filter((s) => !a.signals.some((x) => x.id === s.id));
    expect(onlyB.length).toBeGreaterThan(0);
    expect(result.differingTotal).toBeGreaterThanOrEqual(onlyB.length);
    expect(result.differing.find((d) => d.id === onlyB[0].id)).toMatchObject({
      a: null,
      b: { status: onlyB[0].status },
    });

    // The scanner's stored version-1 signals (BTCUSDT, from its first candle) are replayed exactly.
    const stored: { n: string }[] = await app.db.query(
      `SELECT count(*) AS n FROM signals WHERE scoring_version = 1 AND symbol = 'BTCUSDT'`,
    );
    expect(Number(stored[0].n)).toBeGreaterThan(0);
    expect(result.a.live).toEqual({
      stored: Number(stored[0].n),
      matching: Number(stored[0].n),
      reproduced: true,
    });
    expect(result.b.live).toBeNull();

    // Progress went out over the socket, up to the finished replay.
    await eventually(
      async () => progress.find((p) => p.id === id && p.status === 'done'),
      15_000,
      'the last progress event',
    );
    expect(progress.find((p) => p.id === id && p.status === 'done')).toEqual({
      id,
      status: 'done',
      seriesDone: 2,
      seriesTotal: 2,
      candles: replay.progress.candles,
    });

    const list = (await admin.get('/api/admin/replays').expect(200)).body as Replay[];
    expect(list.map((r) => [r.id, r.status, r.result])).toEqual([[id, 'done', null]]);
    expect((await admin.delete(`/api/admin/replays/${id}`).expect(200)).body).toEqual({
      id,
      cancelled: false,
      deleted: true,
    });
    await admin.get(`/api/admin/replays/${id}`).expect(404);
  });

  it('reproduces the stored live signals of a period starting mid-history (warmed up from where the live engine started), through a stored shard', async () => {
    const series = candles.BTCUSDT;
    const from = series[Math.floor(series.length / 2)].openTime;
    const to = series[series.length - 1].openTime;
    const id = (
      (
        await admin
          .post('/api/admin/replays', {
            symbols: ['BTCUSDT'],
            timeframes: ['5m'],
            from: new Date(from).toISOString(),
            to: new Date(to).toISOString(),
            versionA: 1,
            versionB: 2,
          })
          .expect(202)
      ).body as Replay
    ).id;
    const replay = await eventually(
      async () => {
        const r = (await admin.get(`/api/admin/replays/${id}`).expect(200)).body as Replay;
        return r.status === 'queued' || r.status === 'running' ? undefined : r;
      },
      120_000,
      'the replay finished',
    );
    expect(replay).toMatchObject({ status: 'done', progress: { seriesDone: 1, seriesTotal: 1 } });
    const stored: { n: string }[] = await app.db.query(
      `SELECT count(*) AS n FROM signals WHERE scoring_version = 1 AND symbol = 'BTCUSDT'
          AND candle_open_time >= $1 AND candle_open_time <= $2`,
      [new Date(from), new Date(to)],
    );
    const n = Number(stored[0].n);
    expect(n).toBeGreaterThan(0);
    expect(replay.result!.a.live).toEqual({ stored: n, matching: n, reproduced: true });
    // Only the signals created in the period are counted, from the one continuous replay.
    const whole = runBacktest({ BTCUSDT: series }, DEFAULT_ENGINE_CONFIG, { timeframe: '5m' });
    expect(replay.result!.a.signals).toBe(whole.signals.filter((s) => s.candleOpenTime >= from).length);
    const shards: { status: string; attempts: number }[] = await app.db.query(
      `SELECT status, attempts FROM ab_replay_shards WHERE replay_id = $1`,
      [id],
    );
    expect(shards).toEqual([{ status: 'done', attempts: 1 }]);
    await admin.delete(`/api/admin/replays/${id}`).expect(200);
  });

  it('adds the walk-forward (out-of-sample only) and seeded Monte Carlo bands, the same for the same seed', async () => {
    const { from, to } = period();
    const spanHours = (Date.parse(to) - Date.parse(from)) / 3_600_000;
    const walkForward = {
      inSampleHours: Math.floor(spanHours / 4),
      outOfSampleHours: Math.floor(spanHours / 8),
      gapHours: 1,
    };
    const body = {
      symbols: ['BTCUSDT'],
      timeframes: ['5m'],
      from,
      to,
      versionA: 1,
      versionB: 2,
      walkForward,
      monteCarlo: { runs: 300, seed: 7 },
    };
    const finished = async (): Promise<Replay> => {
      const id = ((await admin.post('/api/admin/replays', body).expect(202)).body as Replay).id;
      return eventually(
        async () => {
          const r = (await admin.get(`/api/admin/replays/${id}`).expect(200)).body as Replay;
          return r.status === 'queued' || r.status === 'running' ? undefined : r;
        },
        120_000,
        'the replay finished',
      );
    };
    const first = await finished();
    const second = await finished();
    expect([first.status, second.status]).toEqual(['done', 'done']);
    expect(first.request).toMatchObject({ walkForward, monteCarlo: { runs: 300, seed: 7 } });
    for (const side of [first.result!.a, first.result!.b]) {
      const wf = side.walkForward!;
      expect(wf.windows.length).toBeGreaterThan(0);
      // Out-of-sample only: every window starts after an in-sample window and the gap.
      expect(Date.parse(wf.windows[0].from)).toBe(
        Date.parse(from) + (walkForward.inSampleHours + 1) * 3_600_000,
      );
      expect(wf.outOfSample.closed).toBe(wf.windows.reduce((n, w) => n + w.closed, 0));
      expect(wf.outOfSample.closed).toBeLessThan(side.stats.closed);
      expect(side.calibration.closed).toBe(side.stats.closed);
      const mc = side.monteCarlo!;
      expect(mc).toMatchObject({
        runs: 300,
        seed: 7,
        trades: 'out-of-sample',
        observedTrades: wf.outOfSample.closed,
      });
      expect(mc.finalR.p5).toBeLessThanOrEqual(mc.finalR.p50);
      expect(mc.finalR.p50).toBeLessThanOrEqual(mc.finalR.p95);
    }
    expect(second.result!.a.monteCarlo).toEqual(first.result!.a.monteCarlo);
    expect(second.result!.b.walkForward).toEqual(first.result!.b.walkForward);

    const tooLong = { ...walkForward, inSampleHours: Math.ceil(spanHours) };
    expect(
      (await admin.post('/api/admin/replays', { ...body, walkForward: tooLong }).expect(400)).body.message,
    ).toMatch(/walkForward: no window fits the period/);
    for (const r of [first, second]) await admin.delete(`/api/admin/replays/${r.id}`).expect(200);
  });

  it('answers 400 naming the problem, 404 for an unknown replay, 401 without the key', async () => {
    const base = { symbols: ['BTCUSDT'], timeframes: ['5m'], ...period(), versionA: 1, versionB: 2 };
    const cases: [object, RegExp][] = [
      [{ ...base, versionB: 9 }, /versionB: scoring version 9 does not exist/],
      [{ ...base, timeframes: ['2m'] }, /timeframes: "2m" is not one of/],
      [{ ...base, from: base.to, to: base.from }, /from must be before to/],
      [{ ...base, symbols: 'BTCUSDT' }, /symbols must be a list/],
    ];
    for (const [body, message] of cases) {
      const response = await admin.post('/api/admin/replays', body).expect(400);
      expect(response.body.message).toMatch(message);
    }
    await admin.get('/api/admin/replays/999').expect(404);
    expect((await admin.delete('/api/admin/replays/999').expect(404)).body.message).toBe(
      'replay 999 not found',
    );
    expect((await admin.get('/api/admin/replays/x1').expect(400)).body.message).toMatch(
      /id must be a replay number/,
    );
    await request(app.url).post('/api/admin/replays').send(base).expect(401);
    expect((await admin.get('/api/admin/replays').expect(200)).body).toEqual([]);
  });
});
