import type {
  CalibrationReport,
  Page,
  ScoringVersion,
  ScoringVersionDetail,
  ScoringVersionScope,
  Signal,
  SignalStats,
  StatsByScoringVersion,
} from '@scanner/contracts';
import { DEFAULT_ENGINE_CONFIG, resolveEngineConfig, type Candle } from '@scanner/signal-core';
import request from 'supertest';
import { ScoringVersions1733150000000 } from '../src/database/migrations/1733150000000-scoring-versions';
import type { MarketCandle } from '../src/market-data/market-candle';
import { SignalScannerService } from '../src/signal-engine/signal-scanner.service';
import { appForSuite } from './support/app-suite';
import { migrateFrom, suiteDatabaseBefore } from './support/migration-step';
import { simulatorCandles } from './support/signal-engine-app';

const KEY = 'test-admin-key-0123456789abcdef';
const T0 = Date.UTC(2024, 7, 5);
const market = (c: Candle): MarketCandle => ({ ...c, quoteVolume: 0 });

describe('migration 1733150000000-scoring-versions', () => {
  const migratedUpTo = suiteDatabaseBefore(ScoringVersions1733150000000);

  it('makes version 1 from the stored engine config, active, and gives it to every stored signal and event', async () => {
    const db = await migratedUpTo();

    const stored = resolveEngineConfig({ minConfidence: 77, expiryCandles: 9 });
    await db.query(`INSERT INTO app_settings (key, value) VALUES ('engine-config', $1)`, [
      JSON.stringify(stored),
    ]);
    await db.query(
      `INSERT INTO signals (id, symbol, timeframe, direction, status, confidence, entry_price, stop_loss, take_profit,
         risk_reward, conditions, indicators, candle_open_time, created_at, updated_at, initial_confidence,
         initial_condition_mask, origin, version)
       VALUES ('OLD-5m-1-LONG', 'OLDUSDT', '5m', 'LONG', 'ACTIVE', 80, 100, 97, 105, 1.67, '[]', '{}', $1, $1, $1, 80, 0, 'live', 1)`,
      [new Date(T0)],
    );
    await db.query(
      `INSERT INTO signal_events (signal_id, type, payload) VALUES ('OLD-5m-1-LONG', 'created', '{"id": "OLD-5m-1-LONG"}')`,
    );
    // The migrations from this one on, on the same connection (an embedded database has only one).
    await migrateFrom(db, ScoringVersions1733150000000);
    const versions: { id: number; config: unknown; active: boolean; activated_at: Date | null }[] =
      await db.query(`SELECT id, config, active, activated_at FROM scoring_versions ORDER BY id`);
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ id: 1, active: true, config: stored });
    expect(versions[0].activated_at).not.toBeNull();
    expect(await db.query(`SELECT id, scoring_version FROM signals`)).toEqual([
      { id: 'OLD-5m-1-LONG', scoring_version: 1 },
    ]);
    const [event] = await db.query(`SELECT payload FROM signal_events`);
    expect(event.payload).toEqual({ id: 'OLD-5m-1-LONG', scoringVersion: 1 });
    // Exactly one active: a second one is refused by the database itself.
    await expect(
      db.query(`INSERT INTO scoring_versions (id, config, active) VALUES (2, '{}', true)`),
    ).rejects.toThrow(/scoring_versions_one_active/);
  });
});

describe('scoring versions over HTTP (real database)', () => {
  const app = appForSuite({ ADMIN_API_KEY: KEY });
  const admin = () => ({
    get: (path: string) => request(app.url).get(path).set('X-API-Key', KEY),
    post: (path: string, body?: object) =>
      request(app.url)
        .post(path)
        .set('X-API-Key', KEY)
        .send(body as object),
    put: (path: string, body: object) => request(app.url).put(path).set('X-API-Key', KEY).send(body),
  });
  const candles = simulatorCandles('BTCUSDT', '5m');
  const V2 = { minConfidence: 65, expiryCandles: 8 };

  async function feed(from: number, to: number): Promise<void> {
    const scanner = app.running.app.get(SignalScannerService);
    for (let i = from; i < to; i += 200)
      await scanner.processSymbol('BTCUSDT', '5m', {
        newClosed: candles.slice(i, Math.min(i + 200, to)).map(market),
        openCandle: null,
      });
  }

  const stored = async (): Promise<{ id: string; scoring_version: number }[]> =>
    app.db.query(`SELECT id, scoring_version FROM signals ORDER BY id`);

  it('lists version 1 (the defaults here), active; the admin key is required', async () => {
    await request(app.url).get('/api/admin/scoring-versions').expect(401);
    const list = (await admin().get('/api/admin/scoring-versions').expect(200)).body as ScoringVersion[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: 1, active: true, config: DEFAULT_ENGINE_CONFIG });
    const one = (await admin().get('/api/admin/scoring-versions/1').expect(200)).body as ScoringVersionDetail;
    expect(one.changesFromActive).toEqual([]);
  });

  it('a config change makes version 2 (version 1 untouched) and the signals created after it carry 2', async () => {
    await feed(0, 1500);
    const before = await stored();
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((s) => s.scoring_version === 1)).toBe(true);

    const config = (await admin().put('/api/admin/config', V2).expect(200)).body;
    expect(config).toMatchObject(V2);
    const list = (await admin().get('/api/admin/scoring-versions').expect(200)).body as ScoringVersion[];
    expect(list.map((v) => [v.id, v.active, v.config.minConfidence])).toEqual([
      [1, false, DEFAULT_ENGINE_CONFIG.minConfidence],
      [2, true, 65],
    ]);
    expect(list[1].note).toBe('PUT /api/admin/config');
    // The same config again: no new version.
    await admin().put('/api/admin/config', V2).expect(200);
    expect((await admin().get('/api/admin/scoring-versions').expect(200)).body).toHaveLength(2);

    await feed(1500, candles.length);
    const after = await stored();
    const earlier = new Set(before.map((s) => s.id));
    const fresh = after.filter((s) => !earlier.has(s.id));
    expect(fresh.length).toBeGreaterThan(0);
    expect(fresh.every((s) => s.scoring_version === 2)).toBe(true);
    // Signals created before keep the version that created them, whatever changed since.
    expect(after.filter((s) => earlier.has(s.id)).every((s) => s.scoring_version === 1)).toBe(true);

    const page = (await request(app.url).get('/api/signals?limit=500').expect(200)).body as Page<Signal>;
    const wire = new Map(page.items.map((s) => [s.id, s.scoringVersion]));
    for (const s of after) expect(wire.get(s.id)).toBe(s.scoring_version);
  });

  it('stats and calibration filter by scoringVersion and group by it; a bad one is a 400 naming it', async () => {
    const closed: { v: number; n: string }[] = await app.db.query(
      `SELECT scoring_version AS v, count(*) AS n FROM signals
       WHERE status <> 'ACTIVE' AND net_r IS NOT NULL GROUP BY scoring_version ORDER BY 1`,
    );
    const count = (v: number) => Number(closed.find((c) => c.v === v)?.n ?? 0);
    expect(count(1)).toBeGreaterThan(0);
    expect(count(2)).toBeGreaterThan(0);

    type Stats = SignalStats & ScoringVersionScope & StatsByScoringVersion;
    const all = (await request(app.url).get('/api/signals/stats').expect(200)).body as Stats;
    expect(all.scoringVersion).toBeNull();
    expect(all.overall.closed).toBe(count(1) + count(2));
    expect(Object.keys(all.byScoringVersion)).toEqual(['1', '2']);
    expect(all.byScoringVersion['1'].closed).toBe(count(1));
    expect(all.byScoringVersion['2'].closed).toBe(count(2));

    const v2 = (await request(app.url).get('/api/signals/stats?scoringVersion=2').expect(200)).body as Stats;
    expect(v2.scoringVersion).toBe(2);
    expect(v2.overall).toEqual(all.byScoringVersion['2']);
    expect(Object.keys(v2.byScoringVersion)).toEqual(['2']);

    const calibration = (await request(app.url).get('/api/signals/calibration?scoringVersion=1').expect(200))
      .body as CalibrationReport & ScoringVersionScope;
    expect(calibration).toMatchObject({ scoringVersion: 1, closed: count(1) });

    for (const bad of ['0', 'abc', '1.5']) {
      const response = await request(app.url).get(`/api/signals/stats?scoringVersion=${bad}`).expect(400);
      expect(JSON.stringify(response.body.message)).toMatch(/scoringVersion/);
    }
  });

  it('shows what a version changes against the active one, and activates version 1 back', async () => {
    const v1 = (await admin().get('/api/admin/scoring-versions/1').expect(200)).body as ScoringVersionDetail;
    expect(v1.changesFromActive).toEqual([
      { path: 'expiryCandles', from: 8, to: DEFAULT_ENGINE_CONFIG.expiryCandles },
      { path: 'minConfidence', from: 65, to: DEFAULT_ENGINE_CONFIG.minConfidence },
    ]);
    const activated = (await admin().post('/api/admin/scoring-versions/1/activate').expect(200))
      .body as ScoringVersion;
    expect(activated).toMatchObject({ id: 1, active: true });
    expect((await admin().get('/api/admin/config').expect(200)).body).toMatchObject({
      minConfidence: DEFAULT_ENGINE_CONFIG.minConfidence,
      expiryCandles: DEFAULT_ENGINE_CONFIG.expiryCandles,
    });
    const list = (await admin().get('/api/admin/scoring-versions').expect(200)).body as ScoringVersion[];
    expect(list.filter((v) => v.active).map((v) => v.id)).toEqual([1]);
    // Versions are never changed: version 2 still holds its config.
    expect(list[1].config).toMatchObject(V2);
  });

  it('creates a version without activating it; 404 for an unknown id, 400 for a bad id or body', async () => {
    const made = (
      await admin()
        .post('/api/admin/scoring-versions', { config: { minConfidence: 90 }, note: 'strict' })
        .expect(201)
    ).body as ScoringVersion;
    expect(made).toMatchObject({ id: 3, active: false, note: 'strict', activatedAt: null });
    expect(made.config.minConfidence).toBe(90);
    expect((await admin().get('/api/admin/config').expect(200)).body.minConfidence).toBe(
      DEFAULT_ENGINE_CONFIG.minConfidence,
    );

    const missing = await admin().post('/api/admin/scoring-versions/99/activate').expect(404);
    expect(missing.body.message).toBe('scoring version 99 not found');
    await admin().get('/api/admin/scoring-versions/99').expect(404);
    const badId = await admin().post('/api/admin/scoring-versions/abc/activate').expect(400);
    expect(badId.body.message).toMatch(/id must be a scoring version number/);
    const badConfig = await admin()
      .post('/api/admin/scoring-versions', { config: { minConfidence: 0, stopLossAtr: -1 } })
      .expect(400);
    expect(badConfig.body.message).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^minConfidence/),
        expect.stringMatching(/^stopLossAtr/),
      ]),
    );
    const badCost = await admin()
      .post('/api/admin/scoring-versions', { config: { feeBps: 3 } })
      .expect(400);
    expect(badCost.body.message).toEqual([expect.stringContaining('FEE_BPS')]);
    const badShape = await admin().post('/api/admin/scoring-versions', { minConfidence: 70 }).expect(400);
    expect(badShape.body.message).toMatch(/unknown field\(s\) "minConfidence"/);
    await request(app.url).post('/api/admin/scoring-versions/1/activate').expect(401);
    expect((await admin().get('/api/admin/scoring-versions').expect(200)).body).toHaveLength(3);
  });
});
