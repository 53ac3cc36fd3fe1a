import {
  SIGNALS_NAMESPACE,
  SocketEvents,
  type MarketMatrixCell,
  type MarketMatrixSnapshot,
  type MarketMatrixTick,
  type SignalConfluence,
} from '@scanner/contracts';
import { DEFAULT_ENGINE_CONFIG, scoreCandle, SignalEngine, type Candle } from '@scanner/signal-core';
import { io, type Socket } from 'socket.io-client';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { RunningApp, startApp } from '../src/bootstrap';
import type { MarketCandle } from '../src/market-data';
import { SignalScannerService } from '../src/signal-engine';
import { simulatorCandles } from './support/signal-engine-app';
import { createTestEnvironment, eventually, TestEnvironment } from './support/test-env';

const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'];

const toMarket = (c: Candle): MarketCandle => ({ ...c, quoteVolume: 0 }) as MarketCandle;

/** What the matrix must show for a series fed `candles`: signal-core's own score of its last candle. */
function expectedCell(symbol: string, timeframe: string, candles: readonly Candle[]): MarketMatrixCell {
  const engine = new SignalEngine({ symbol, timeframe, config: DEFAULT_ENGINE_CONFIG });
  for (const candle of candles) engine.onClosedCandle(candle);
  const score = scoreCandle(engine.indicators, DEFAULT_ENGINE_CONFIG);
  const last = candles.at(-1)!;
  const { close, ema200, rsi } = engine.indicators;
  return {
    symbol,
    timeframe,
    long: score.long.confidence,
    short: score.short.confidence,
    active: engine.activeSignal?.direction ?? null,
    trend: close > ema200 ? 'above' : 'below',
    rsi: Math.round((rsi as number) * 100) / 100,
    close: last.close,
    asOf: new Date(last.closeTime).toISOString(),
  };
}

interface MatrixClient {
  socket: Socket;
  snapshots: MarketMatrixSnapshot[];
  ticks: MarketMatrixTick[];
}

describe('market matrix: REST snapshot and socket ticks (real database, HTTP and sockets)', () => {
  let environment: TestEnvironment;
  let running: RunningApp;
  let db: DataSource;
  const clients: MatrixClient[] = [];
  const btc5m = simulatorCandles('BTCUSDT', '5m');
  const eth1h = simulatorCandles('ETHUSDT', '1h');

  const connect = (): MatrixClient => {
    const socket = io(`${running.url}${SIGNALS_NAMESPACE}`, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    const client: MatrixClient = { socket, snapshots: [], ticks: [] };
    socket.on(SocketEvents.marketSnapshot, (s: MarketMatrixSnapshot) => client.snapshots.push(s));
    socket.on(SocketEvents.marketTick, (t: MarketMatrixTick) => client.ticks.push(t));
    clients.push(client);
    return client;
  };

  const evaluate = (symbol: string, timeframe: string, candles: readonly Candle[]) =>
    running.app.get(SignalScannerService).processSymbol(symbol, timeframe, {
      newClosed: candles.map(toMarket),
      openCandle: null,
    });

  beforeAll(async () => {
    environment = await createTestEnvironment({ redis: false });
    running = await startApp(environment.config({ SCAN_TIMEFRAMES: '5m,1h' }), { host: '127.0.0.1' });
    db = running.app.get(DataSource);
    for (const [rank, symbol] of SYMBOLS.entries()) {
      await db.query(
        `INSERT INTO market_symbols (symbol, base_asset, quote_asset, status, in_universe, universe_rank)
         VALUES ($1, $2, 'USDT', 'TRADING', true, $3)
         ON CONFLICT (symbol) DO UPDATE SET in_universe = true, universe_rank = $3`,
        [symbol, symbol.replace(/USDT$/, ''), rank + 1],
      );
    }
    await evaluate('BTCUSDT', '5m', btc5m.slice(0, 300));
    await evaluate('ETHUSDT', '1h', eth1h.slice(0, 250));
  }, 300_000);

  afterAll(async () => {
    for (const client of clients) client.socket.close();
    await running?.close();
    await environment?.cleanup();
  });

  it('GET /api/market/matrix: every universe symbol × scanned timeframe, scored like the engine', async () => {
    const response = await request(running.url as string)
      .get('/api/market/matrix')
      .expect(200);
    const body = response.body as MarketMatrixSnapshot;
    expect(body.symbols).toEqual(SYMBOLS);
    expect(body.timeframes).toEqual(['5m', '1h']);
    expect(body.cells.map((c) => `${c.symbol} ${c.timeframe}`)).toEqual([
      'BTCUSDT 5m',
      'BTCUSDT 1h',
      'ETHUSDT 5m',
      'ETHUSDT 1h',
      'SOLUSDT 5m',
      'SOLUSDT 1h',
    ]);
    expect(body.cells[0]).toEqual(expectedCell('BTCUSDT', '5m', btc5m.slice(0, 300)));
    expect(body.cells[3]).toEqual(expectedCell('ETHUSDT', '1h', eth1h.slice(0, 250)));
    // Series never evaluated are there, empty.
    for (const i of [1, 2, 4, 5])
      expect(body.cells[i]).toMatchObject({ long: null, short: null, active: null, asOf: null });
  });

  it('market.subscribe answers with the snapshot, then ticks carry only the changed cells, in seq order; others get nothing', async () => {
    const watcher = connect();
    const bystander = connect();
    await eventually(async () => watcher.socket.connected && bystander.socket.connected, 20_000, 'sockets');
    watcher.socket.emit(SocketEvents.marketSubscribe);
    const snapshot = await eventually(async () => watcher.snapshots[0], 20_000, 'market.snapshot');
    const rest = (
      await request(running.url as string)
        .get('/api/market/matrix')
        .expect(200)
    ).body as MarketMatrixSnapshot;
    expect(snapshot.cells).toEqual(rest.cells);
    expect(snapshot.symbols).toEqual(SYMBOLS);

    // One more 5m candle for BTC: one cell changes.
    await evaluate('BTCUSDT', '5m', btc5m.slice(300, 301));
    const first = await eventually(async () => watcher.ticks[0], 20_000, 'the first market.tick');
    expect(first.seq).toBe(snapshot.seq + 1);
    expect(first.cells).toEqual([expectedCell('BTCUSDT', '5m', btc5m.slice(0, 301))]);

    // A new series (SOL 1h) and ETH 1h at once: one tick with both, nothing else.
    const sol1h = simulatorCandles('SOLUSDT', '1h');
    await evaluate('SOLUSDT', '1h', sol1h.slice(0, 240));
    await evaluate('ETHUSDT', '1h', eth1h.slice(250, 252));
    await eventually(
      async () => watcher.ticks.flatMap((t) => t.cells).length >= 3 && watcher.ticks,
      20_000,
      'ticks for SOL 1h and ETH 1h',
    );
    const later = watcher.ticks.slice(1).flatMap((t) => t.cells);
    expect(later.map((c) => `${c.symbol} ${c.timeframe}`).sort()).toEqual(['ETHUSDT 1h', 'SOLUSDT 1h']);
    expect(later.find((c) => c.symbol === 'SOLUSDT')).toEqual(
      expectedCell('SOLUSDT', '1h', sol1h.slice(0, 240)),
    );
    expect(later.find((c) => c.symbol === 'ETHUSDT')).toEqual(
      expectedCell('ETHUSDT', '1h', eth1h.slice(0, 252)),
    );
    expect(watcher.ticks.map((t) => t.seq)).toEqual(watcher.ticks.map((_, i) => snapshot.seq + 1 + i));

    // Unsubscribed: no more ticks; the socket that never subscribed got none at all.
    // Acknowledged: the server has left it out of the ticks when this resolves.
    expect(await watcher.socket.emitWithAck(SocketEvents.marketUnsubscribe)).toBe(true);
    const seen = watcher.ticks.length;
    bystander.socket.emit(SocketEvents.marketSubscribe);
    await eventually(async () => bystander.snapshots[0], 20_000, 'the bystander snapshot');
    await evaluate('BTCUSDT', '5m', btc5m.slice(301, 302));
    await eventually(async () => bystander.ticks[0], 20_000, 'the bystander tick');
    expect(bystander.ticks[0].cells).toEqual([expectedCell('BTCUSDT', '5m', btc5m.slice(0, 302))]);
    expect(bystander.snapshots).toHaveLength(1);
    expect(watcher.ticks).toHaveLength(seen);
  }, 300_000);

  it('a live signal stores the other timeframes’ state at its creation as its confluence; a replayed one none', async () => {
    const HOUR = 3_600_000;
    const sol5m = simulatorCandles('SOLUSDT', '5m');
    const sol1h = simulatorCandles('SOLUSDT', '1h');
    // 5m catches up to day 5 of its data in one step (history: replayed signals), with SOL 1h (at
    // candle 240 above) brought up to the same time ...
    const caughtUp = 1500;
    let oneHour = sol1h.findIndex((c) => c.closeTime >= sol5m[caughtUp].openTime);
    await evaluate('SOLUSDT', '1h', sol1h.slice(240, oneHour));
    await evaluate('SOLUSDT', '5m', sol5m.slice(0, caughtUp));
    // ... then both go on candle by candle, as live, until a 5m signal is created.
    type Row = { id: string; direction: string; origin: string; confluence: SignalConfluence | null };
    const signals = async () =>
      (await db.query(
        `SELECT id, direction, origin, confluence FROM signals WHERE symbol = 'SOLUSDT' AND timeframe = '5m' ORDER BY created_at`,
      )) as Row[];
    const replayed = await signals();
    let live: Row | undefined;
    let oneHourAsOf = '';
    for (let i = caughtUp; i < sol5m.length && live === undefined; i++) {
      if (oneHour < sol1h.length && sol1h[oneHour].closeTime <= sol5m[i].closeTime) {
        await evaluate('SOLUSDT', '1h', [sol1h[oneHour]]);
        oneHour++;
      }
      oneHourAsOf = new Date(sol1h[oneHour - 1].openTime + HOUR).toISOString();
      await evaluate('SOLUSDT', '5m', [sol5m[i]]);
      live = (await signals()).find((row) => row.origin === 'live');
    }
    expect(replayed.length).toBeGreaterThan(0);
    for (const row of replayed) expect(row).toMatchObject({ origin: 'replay', confluence: null });
    expect(live).toBeDefined();
    const confluence = live!.confluence!;
    expect(confluence).toMatchObject({ timeframe: '5m', direction: live!.direction });
    expect(confluence.others).toHaveLength(1);
    expect(confluence.others[0]).toMatchObject({ timeframe: '1h', asOf: oneHourAsOf, stale: false });
    expect(confluence.agreeing).toBe(confluence.others[0].agrees ? 2 : 1);
    const [event] = (await db.query(
      `SELECT payload->'confluence' AS confluence FROM signal_events WHERE signal_id = $1 AND type = 'created'`,
      [live!.id],
    )) as { confluence: unknown }[];
    expect(event.confluence).toEqual(confluence);
    const detail = await request(running.url as string)
      .get(`/api/signals/${encodeURIComponent(live!.id)}`)
      .expect(200);
    expect(detail.body.signal.confluence).toEqual(confluence);
  }, 300_000);
});
