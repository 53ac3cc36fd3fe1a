import request from 'supertest';
import { DataSource } from 'typeorm';
import { RunningApp, startApp } from '../src/bootstrap';
import { dataSourceTransactions, SignalEventWriter } from './support/signal-event-writer';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

const KEY = 'fuzz-admin-key-0123456789abcdef';

/** Values that must never crash a handler: wrong types, extremes, injections, encodings. */
const NASTY = [
  '',
  ' ',
  '-1',
  '0',
  '1e309',
  '-1e309',
  'NaN',
  'Infinity',
  '9007199254740993',
  '99999999999999999999999',
  '1.5',
  '0x1F',
  'true',
  'null',
  'undefined',
  '[]',
  '{}',
  '{"$gt":""}',
  "' OR 1=1 --",
  '"; DROP TABLE signals; --',
  'BTCUSDT\u0000',
  '%00',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  'A'.repeat(5000),
  '💥',
  'ＢＴＣ',
  'btcusdt',
  'LONG,SHORT',
  '2024-13-45',
  'ACTIVE\nSL_HIT',
  '${jndi:ldap://x}',
  '__proto__',
  'constructor',
  '%E0%A4%A',
  '-0',
  '+5',
  ' 5 ',
];

const QUERY_ENDPOINTS: Array<{ path: string; params: string[] }> = [
  {
    path: '/api/signals',
    params: [
      'status',
      'direction',
      'timeframe',
      'minConfidence',
      'symbol',
      'origin',
      'sort',
      'limit',
      'cursor',
    ],
  },
  { path: '/api/signals/stats', params: ['timeframe', 'direction', 'since', 'origin'] },
  { path: '/api/signals/calibration', params: ['timeframe', 'direction', 'since', 'origin'] },
  { path: '/api/signals/ablation', params: ['timeframe', 'direction', 'since', 'origin'] },
  { path: '/api/market/symbols', params: ['unknownParam'] },
  { path: '/api/market/candles', params: ['symbol', 'interval', 'limit'] },
];

const ID_PATHS = [
  '/api/signals/',
  '/api/signals/%2e%2e%2f',
  '/api/signals/' + 'x'.repeat(3000),
  "/api/signals/' OR 1=1",
  '/api/signals/%00',
];

const METHODS = ['post', 'put', 'patch', 'delete'] as const;

interface Outcome {
  method: string;
  path: string;
  status: number;
  body: unknown;
}

describe('bad input anywhere: ≥ 1,000 malformed requests, no 5xx, data unchanged', () => {
  let environment: TestEnvironment;
  let app: RunningApp;
  let url: string;
  let db: DataSource;
  const outcomes: Outcome[] = [];

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await startApp(
      environment.config({
        ADMIN_API_KEY: KEY,
        API_RATE_LIMIT: '1000000',
        BINANCE_REST_URL: 'http://127.0.0.1:9',
      }),
      { host: '127.0.0.1' },
    );
    url = app.url as string;
    db = app.app.get(DataSource);
    const writer = new SignalEventWriter(dataSourceTransactions(db));
    const first = await writer.create({ symbol: 'BTCUSDT', confidence: 80 });
    await writer.close((await writer.create({ symbol: 'ETHUSDT', confidence: 72 })).signal, 'SL_HIT');
    await writer.update(first.signal);
  });

  afterAll(async () => {
    await app?.close();
    await environment?.cleanup();
  });

  async function fingerprint(): Promise<string> {
    const rows = await db.query(`
      SELECT (SELECT count(*) FROM signals) AS signals, (SELECT count(*) FROM signal_events) AS events,
             (SELECT count(*) FROM candles) AS candles, (SELECT count(*) FROM market_symbols) AS symbols,
             (SELECT md5(string_agg(id || status || version, ',' ORDER BY id)) FROM signals) AS digest`);
    return JSON.stringify(rows[0]);
  }

  async function send(
    method: string,
    path: string,
    configure?: (test: request.Test) => request.Test,
  ): Promise<void> {
    const agent = request(url) as unknown as Record<string, (path: string) => request.Test>;
    let test = agent[method](path).timeout(10_000);
    if (configure) test = configure(test);
    const response = await test;
    outcomes.push({ method, path, status: response.status, body: response.body });
  }

  it('answers every malformed request with a 4xx naming the problem', async () => {
    const before = await fingerprint();
    for (const { path, params } of QUERY_ENDPOINTS) {
      for (const param of params) {
        for (const value of NASTY) {
          await send('get', `${path}?${encodeURIComponent(param)}=${encodeURIComponent(value)}`);
        }
        await send('get', `${path}?${param}=a&${param}=b&${param}[x]=c`);
      }
      for (const method of METHODS) await send(method, path);
    }
    for (const path of ID_PATHS) {
      await send('get', path);
      for (const method of METHODS) await send(method, path);
    }
    const bodies = [
      '{bad json',
      '[1,2',
      '{"a":' + '['.repeat(5000),
      'null',
      '"string"',
      JSON.stringify({ __proto__: { admin: true } }),
      'x'.repeat(200_000),
    ];
    for (const admin of ['/api/admin/scan', '/api/admin/scanner/pause', '/api/admin/scanner/resume']) {
      for (const body of bodies) {
        await send('post', admin, (test) => test.set('Content-Type', 'application/json').send(body));
        await send('post', admin, (test) =>
          test.set('X-API-Key', `${KEY}-wrong`).set('Content-Type', 'application/json').send(body),
        );
      }
      for (const value of NASTY)
        await send('post', admin, (test) =>
          test.set('X-API-Key', value.replace(/[^\x20-\x7e]/g, '?').slice(0, 200)),
        );
    }
    for (const field of ['minConfidence', 'expiryCandles', 'cooldownCandles', 'weights', 'stopLossAtr']) {
      for (const value of NASTY) {
        const asJson = (() => {
          try {
            return JSON.parse(value) as unknown;
          } catch {
            return value;
          }
        })();
        await send('put', '/api/admin/config', (test) =>
          test.set('X-API-Key', KEY).send({ [field]: asJson }),
        );
      }
    }
    for (const value of NASTY) {
      await send('get', `/api/admin/status?x=${encodeURIComponent(value)}`, (test) =>
        test.set('X-API-Key', KEY),
      );
      await send('get', `/api/health?probe=${encodeURIComponent(value)}`);
    }

    const serverErrors = outcomes.filter((outcome) => outcome.status >= 500);
    const unnamed = outcomes.filter((outcome) => {
      if (outcome.status < 400 || outcome.status >= 500) return false;
      const message = (outcome.body as { message?: unknown })?.message;
      return !(typeof message === 'string'
        ? message.length > 0
        : Array.isArray(message) && message.length > 0);
    });
    const leaks = outcomes.filter((outcome) =>
      /QueryFailedError|at \S+\.js:\d+|SELECT |node_modules/.test(JSON.stringify(outcome.body)),
    );
    process.stdout.write(
      `fuzz: ${outcomes.length} malformed requests, ${serverErrors.length} answered 5xx, ${unnamed.length} 4xx without a message, ${leaks.length} leaking internals\n`,
    );
    expect(outcomes.length).toBeGreaterThanOrEqual(1000);
    expect(
      serverErrors.map(
        (outcome) => `${outcome.method.toUpperCase()} ${outcome.path.slice(0, 120)} → ${outcome.status}`,
      ),
    ).toEqual([]);
    expect(
      unnamed.map(
        (outcome) => `${outcome.method.toUpperCase()} ${outcome.path.slice(0, 120)} → ${outcome.status}`,
      ),
    ).toEqual([]);
    expect(leaks).toEqual([]);
    await request(url).get('/api/health').expect(200);
    await request(url)
      .get('/api/health/ready')
      .expect((response) => expect([200, 503]).toContain(response.status));
    expect(await fingerprint()).toBe(before);
  });

  it('names the field in a 400 for a bad query value', async () => {
    const bad = await request(url).get('/api/signals?minConfidence=abc').expect(400);
    expect(JSON.stringify(bad.body.message)).toMatch(/minConfidence/);
    const badSort = await request(url).get('/api/signals?sort=random').expect(400);
    expect(JSON.stringify(badSort.body.message)).toMatch(/sort/);
    const badInterval = await request(url).get('/api/market/candles?symbol=BTCUSDT&interval=7m').expect(400);
    expect(JSON.stringify(badInterval.body.message)).toMatch(/interval/);
  });
});

describe('rate limits on the public API', () => {
  let environment: TestEnvironment;
  let app: RunningApp;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await startApp(
      environment.config({ API_RATE_LIMIT: '5', BINANCE_REST_URL: 'http://127.0.0.1:9' }),
      { host: '127.0.0.1' },
    );
  });

  afterAll(async () => {
    await app?.close();
    await environment?.cleanup();
  });

  it('answers 429 with Retry-After past the limit, while health stays exempt', async () => {
    const url = app.url as string;
    for (let i = 0; i < 5; i++) await request(url).get('/api/signals').expect(200);
    const limited = await request(url).get('/api/signals').expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.message).toMatch(/Too Many Requests/i);
    await request(url).get('/api/health').expect(200);
  });
});
