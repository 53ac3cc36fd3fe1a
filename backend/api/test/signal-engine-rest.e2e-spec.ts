import { SignalEngine, type Signal as DomainSignal } from '@scanner/signal-core';
import request from 'supertest';
import { closedSignal, domainSignal } from '../src/signal-engine/signal-engine.testing';
import { SignalStore } from '../src/signal-engine/signal-store.service';
import { startSignalEngineApp, type SignalEngineApp } from './support/signal-engine-app';
import { createTestEnvironment, type TestEnvironment } from './support/test-env';

const H = 3_600_000;
const AUG5 = Date.UTC(2024, 7, 5);
const day = (d: number) => Date.UTC(2024, 7, d);

/** Six signals with hand-checkable outcomes (R: TP 5/3, SL -1, EXPIRED 1/3, INVALIDATED -1/3). */
function fixtures(): { created: DomainSignal; closed: DomainSignal | null }[] {
  const short = { direction: 'SHORT' as const, stopLoss: 103, initialStopLoss: 103, takeProfit: 95 };
  const a = domainSignal({ symbol: 'BTCUSDT', timeframe: '5m', confidence: 90, candleOpenTime: AUG5 });
  const b = domainSignal({
    symbol: 'ETHUSDT',
    timeframe: '5m',
    confidence: 75,
    candleOpenTime: AUG5 + H,
    ...short,
  });
  const c = domainSignal({
    symbol: 'SOLUSDT',
    timeframe: '15m',
    confidence: 80,
    candleOpenTime: AUG5 + 2 * H,
  });
  const d = domainSignal({
    symbol: 'BTCUSDT',
    timeframe: '15m',
    confidence: 70,
    candleOpenTime: AUG5 + 3 * H,
    ...short,
  });
  const e = domainSignal({
    symbol: 'XRPUSDT',
    timeframe: '5m',
    confidence: 85,
    candleOpenTime: AUG5 + 4 * H,
  });
  const f = domainSignal({
    symbol: 'ADAUSDT',
    timeframe: '1h',
    confidence: 72,
    candleOpenTime: AUG5 + 5 * H,
  });
  return [
    { created: a, closed: closedSignal(a, 'TP_HIT', 105, AUG5 + H) },
    { created: b, closed: closedSignal(b, 'SL_HIT', 103, day(6)) },
    { created: c, closed: closedSignal(c, 'EXPIRED', 101, day(7)) },
    { created: d, closed: null },
    { created: e, closed: null },
    { created: f, closed: closedSignal(f, 'INVALIDATED', 99, day(8)) },
  ];
}

describe('signals REST: GET /api/signals, /api/signals/stats, /api/signals/:id', () => {
  let environment: TestEnvironment;
  let running: SignalEngineApp;
  let url: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    environment = await createTestEnvironment({ redis: false });
    running = await startSignalEngineApp(environment.config());
    url = running.url;
    const store = running.app.get(SignalStore);
    for (const { created, closed } of fixtures()) {
      ids[`${created.symbol}-${created.timeframe}`] = created.id;
      const snapshot = {
        ...new SignalEngine({ symbol: created.symbol, timeframe: created.timeframe }).snapshot(),
        lastOpenTime: created.candleOpenTime,
      };
      const events = [
        { type: 'created' as const, signal: created },
        ...(closed ? [{ type: 'closed' as const, signal: closed }] : []),
      ];
      await store.commit({
        symbol: created.symbol,
        timeframe: created.timeframe,
        expectedRevision: 0,
        snapshot,
        events,
      });
    }
  });

  afterAll(async () => {
    await running?.close();
    await environment?.cleanup();
  });

  const list = async (query: string) => (await request(url).get(`/api/signals${query}`).expect(200)).body;
  const keys = (body: { items: { symbol: string; timeframe: string }[] }) =>
    body.items.map((s) => `${s.symbol}-${s.timeframe}`);

  it('lists every signal by confidence, highest first, by default', async () => {
    const body = await list('');
    expect(keys(body)).toEqual([
      'BTCUSDT-5m',
      'XRPUSDT-5m',
      'SOLUSDT-15m',
      'ETHUSDT-5m',
      'ADAUSDT-1h',
      'BTCUSDT-15m',
    ]);
    expect(body.nextCursor).toBeNull();
    expect(body.items[0]).toMatchObject({
      status: 'TP_HIT',
      exitPrice: 105,
      closedAt: '2024-08-05T01:00:00.000Z',
      createdAt: '2024-08-05T00:04:59.999Z',
    });
  });

  it('filters by status (CLOSED = any closing status), direction, timeframe, minConfidence and symbol', async () => {
    expect(keys(await list('?status=ACTIVE'))).toEqual(['XRPUSDT-5m', 'BTCUSDT-15m']);
    expect(keys(await list('?status=CLOSED'))).toEqual([
      'BTCUSDT-5m',
      'SOLUSDT-15m',
      'ETHUSDT-5m',
      'ADAUSDT-1h',
    ]);
    expect(keys(await list('?status=SL_HIT'))).toEqual(['ETHUSDT-5m']);
    expect(keys(await list('?direction=SHORT'))).toEqual(['ETHUSDT-5m', 'BTCUSDT-15m']);
    expect(keys(await list('?timeframe=15m'))).toEqual(['SOLUSDT-15m', 'BTCUSDT-15m']);
    expect(keys(await list('?minConfidence=80'))).toEqual(['BTCUSDT-5m', 'XRPUSDT-5m', 'SOLUSDT-15m']);
    expect(keys(await list('?symbol=btcusdt'))).toEqual(['BTCUSDT-5m', 'BTCUSDT-15m']);
    expect(keys(await list('?status=ACTIVE&direction=LONG&timeframe=5m&minConfidence=85'))).toEqual([
      'XRPUSDT-5m',
    ]);
  });

  it('sorts by latest (newest trigger first) and by symbol', async () => {
    expect(keys(await list('?sort=latest'))).toEqual([
      'ADAUSDT-1h',
      'XRPUSDT-5m',
      'BTCUSDT-15m',
      'SOLUSDT-15m',
      'ETHUSDT-5m',
      'BTCUSDT-5m',
    ]);
    expect(keys(await list('?sort=symbol'))).toEqual([
      'ADAUSDT-1h',
      'BTCUSDT-15m',
      'BTCUSDT-5m',
      'ETHUSDT-5m',
      'SOLUSDT-15m',
      'XRPUSDT-5m',
    ]);
  });

  it.each(['confidence', 'latest', 'symbol'])(
    'pages through sort=%s with an opaque cursor: every signal once, in order',
    async (sort) => {
      const all = keys(await list(`?sort=${sort}`));
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const body: { items: { symbol: string; timeframe: string }[]; nextCursor: string | null } =
          await list(
            `?sort=${sort}&limit=4${cursor ? `&cursor=${cursor}` : ''}`.replace(
              'limit=4',
              pages === 0 ? 'limit=4' : 'limit=1',
            ),
          );
        seen.push(...keys(body));
        cursor = body.nextCursor;
        pages++;
      } while (cursor !== null);
      expect(seen).toEqual(all);
      expect(pages).toBe(3);
    },
  );

  it('answers 400 naming the field for bad input, never 500', async () => {
    const bad = async (query: string, field: string) => {
      const response = await request(url).get(`/api/signals${query}`).expect(400);
      expect(JSON.stringify(response.body.message)).toContain(field);
    };
    await bad('?status=OPEN', 'status');
    await bad('?direction=UP', 'direction');
    await bad('?timeframe=7m', 'timeframe');
    await bad('?minConfidence=abc', 'minConfidence');
    await bad('?minConfidence=101', 'minConfidence');
    await bad('?symbol=BTC-USDT', 'symbol');
    await bad('?sort=random', 'sort');
    await bad('?limit=0', 'limit');
    await bad('?limit=501', 'limit');
    await bad('?limit=2.5', 'limit');
    await bad('?cursor=garbage', 'cursor');
    await bad('?colour=red', 'colour');
    const { nextCursor } = await list('?sort=latest&limit=1');
    await bad(`?sort=symbol&cursor=${nextCursor}`, 'cursor');
    const stats = await request(url).get('/api/signals/stats?since=yesterday').expect(400);
    expect(JSON.stringify(stats.body.message)).toContain('since');
    await request(url).get('/api/signals/stats?direction=SIDEWAYS').expect(400);
  });

  it('accepts limit up to 500', async () => {
    expect((await list('?limit=500')).items).toHaveLength(6);
  });

  it('returns one signal with its events, and 404 for an unknown id', async () => {
    const id = ids['BTCUSDT-5m'];
    const body = (await request(url).get(`/api/signals/${id}`).expect(200)).body;
    expect(body.signal).toMatchObject({ id, status: 'TP_HIT', outcomeR: 5 / 3, version: 2 });
    expect(
      body.events.map((e: { type: string; signal: { status: string } }) => [e.type, e.signal.status]),
    ).toEqual([
      ['created', 'ACTIVE'],
      ['deleted', 'TP_HIT'],
    ]);
    expect(body.events[0].seq).toBeLessThan(body.events[1].seq);
    expect(body).toHaveProperty('maxFavorableR');
    const missing = await request(url).get('/api/signals/NOPE-5m-1-LONG').expect(404);
    expect(missing.body.message).toContain('NOPE-5m-1-LONG');
  });

  it('computes stats by hand: win rate = TP/(TP+SL), average R, expectancy (mean R over every closed signal), profit factor; by timeframe and direction', async () => {
    const body = (await request(url).get('/api/signals/stats').expect(200)).body;
    expect(body.since).toBeNull();
    expect(body.active).toBe(2);
    expect(body.overall.closed).toBe(4);
    expect(body.overall.byOutcome).toEqual({
      TP_HIT: 1,
      SL_HIT: 1,
      INVALIDATED: 1,
      EXPIRED: 1,
      CANCELLED: 0,
    });
    expect(body.overall.winRate).toBe(0.5);
    expect(body.overall.averageR).toBeCloseTo((5 / 3 - 1 + 1 / 3 - 1 / 3) / 4, 12);
    expect(body.overall.expectancy).toBeCloseTo((5 / 3 - 1 + 1 / 3 - 1 / 3) / 4, 12);
    expect(body.overall.profitFactor).toBeCloseTo((5 / 3 + 1 / 3) / (1 + 1 / 3), 12);
    expect(Object.keys(body.byTimeframe)).toEqual(['15m', '1h', '5m']);
    expect(body.byTimeframe['5m']).toMatchObject({ closed: 2, winRate: 0.5 });
    expect(body.byTimeframe['5m'].averageR).toBeCloseTo(1 / 3, 12);
    expect(body.byTimeframe['5m'].profitFactor).toBeCloseTo(5 / 3, 12);
    expect(body.byDirection.SHORT).toMatchObject({
      closed: 1,
      winRate: 0,
      averageR: -1,
      expectancy: -1,
      profitFactor: 0,
    });
    expect(body.byDirection.LONG).toMatchObject({ closed: 3, winRate: 1 });
  });

  it('narrows stats by timeframe, direction and since (closed at or after)', async () => {
    const since = (await request(url).get('/api/signals/stats?since=2024-08-06T12:00:00Z').expect(200)).body;
    expect(since.since).toBe('2024-08-06T12:00:00.000Z');
    expect(since.overall).toMatchObject({ closed: 2, winRate: null, averageR: 0, expectancy: 0 });
    expect(since.overall.profitFactor).toBeCloseTo(1, 12);
    // Without an offset the time is read as UTC (never the host's zone); a date alone is midnight UTC.
    const noOffset = (await request(url).get('/api/signals/stats?since=2024-08-06T12:00:00').expect(200))
      .body;
    expect(noOffset.since).toBe('2024-08-06T12:00:00.000Z');
    expect(noOffset.overall).toEqual(since.overall);
    expect((await request(url).get('/api/signals/stats?since=2024-08-06').expect(200)).body.since).toBe(
      '2024-08-06T00:00:00.000Z',
    );
    const fiveLong = (await request(url).get('/api/signals/stats?timeframe=5m&direction=LONG').expect(200))
      .body;
    expect(fiveLong.active).toBe(1);
    expect(fiveLong.overall).toMatchObject({ closed: 1, winRate: 1, profitFactor: null });
  });

  it('documents the endpoints in OpenAPI form through the swagger decorators', async () => {
    const { SwaggerModule, DocumentBuilder } = await import('@nestjs/swagger');
    const doc = SwaggerModule.createDocument(running.app, new DocumentBuilder().build());
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/signals', '/api/signals/stats', '/api/signals/{id}']),
    );
    const params = (doc.paths['/api/signals'].get!.parameters ?? []).map((p) => ('name' in p ? p.name : ''));
    expect(params).toEqual(
      expect.arrayContaining([
        'status',
        'direction',
        'timeframe',
        'minConfidence',
        'symbol',
        'sort',
        'limit',
        'cursor',
      ]),
    );
  });
});
