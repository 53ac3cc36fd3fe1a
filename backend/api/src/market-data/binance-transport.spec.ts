import { ExchangeSim, startExchangeSim } from '@scanner/exchange-sim';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KlineSequenceError, MalformedCandleError } from '@scanner/signal-core';
import { BinanceClient } from './binance-client';
import { BinanceTransport } from './binance-transport';
import { ExchangeReachability } from './exchange-reachability';
import {
  BinanceRequestError,
  ExchangePausedError,
  ExchangeUnavailableError,
  InvalidIntervalError,
  UnknownSymbolError,
} from './market-data.errors';
import { MemoryReachabilityStore } from './memory-reachability-store';
import { MemoryWeightBudgetStore } from './memory-weight-budget-store';
import { RequestWeightBudget } from './request-weight-budget';

const NOW = Date.parse('2024-08-05T10:02:00Z');
const OPEN_CANDLE = Date.parse('2024-08-05T10:00:00Z');

describe('BinanceClient over BinanceTransport (against the exchange simulator)', () => {
  let sim: ExchangeSim;
  let budget: RequestWeightBudget;
  let reachability: ExchangeReachability;
  let client: BinanceClient;
  let transport: BinanceTransport;
  const slept: number[] = [];

  beforeAll(async () => {
    sim = await startExchangeSim({
      symbols: ['BTCUSDT', 'ETHUSDT'],
      intervals: ['5m'],
      clock: { startTime: NOW, speed: 0, paused: true },
      log: false,
    });
  });
  afterAll(() => sim.close());

  beforeEach(() => {
    sim.faults.reset();
    sim.stats.reset();
    sim.clock.set(NOW);
    slept.length = 0;
    budget = new RequestWeightBudget(new MemoryWeightBudgetStore(), { limit: 6000 });
    reachability = new ExchangeReachability(new MemoryReachabilityStore());
    transport = new BinanceTransport(budget, reachability, {
      baseUrl: sim.url,
      timeoutMs: 300,
      retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 40 },
      sleep: async (ms) => {
        slept.push(ms);
      },
    });
    client = new BinanceClient(transport);
  });
  afterEach(() => transport.onApplicationShutdown());

  it('charges each call its weight and syncs from x-mbx-used-weight-1m', async () => {
    await client.ping();
    await client.exchangeInfo();
    await client.klines('BTCUSDT', '5m', { limit: 10 });
    expect(client.stats()).toMatchObject({ requests: 3, weight: 23, retries: 0 });
    expect((await budget.status()).usedThisMinute).toBe(23);
    // Another client of the same IP spends weight: the next header tells us.
    sim.limiter.admit('127.0.0.1', 500);
    await client.ping();
    expect((await budget.status()).usedThisMinute).toBeGreaterThanOrEqual(524);
  });

  it('parses klines with the open candle last and the 24 h tickers', async () => {
    const candles = await client.klines('BTCUSDT', '5m', { limit: 5 });
    expect(candles).toHaveLength(5);
    expect(candles[4].openTime).toBe(OPEN_CANDLE);
    const tickers = await client.ticker24hr();
    expect(tickers.map((ticker) => ticker.symbol).sort()).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(tickers[0].quoteVolume).toBeGreaterThan(0);
    const info = await client.exchangeInfo();
    expect(info.symbols.find((s) => s.symbol === 'BTCUSDT')).toMatchObject({
      status: 'TRADING',
      baseAsset: 'BTC',
      quoteAsset: 'USDT',
    });
    expect(info.symbols[0].tickSize).toBeGreaterThan(0);
  });

  it('retries a 5xx with growing jittered delays, then succeeds', async () => {
    sim.faults.failNext('internal', 1);
    sim.faults.failNext('busy', 1);
    await client.ping();
    expect(sim.stats.snapshot().totalRequests).toBe(3);
    expect(slept).toHaveLength(2);
    expect(slept[0]).toBeGreaterThanOrEqual(5);
    expect(slept[0]).toBeLessThanOrEqual(10);
    expect(slept[1]).toBeGreaterThanOrEqual(10);
    expect(slept[1]).toBeLessThanOrEqual(20);
    expect((await reachability.snapshot()).reachable).toBe(true);
  });

  it('reports a 5xx that outlasts the retries as ExchangeUnavailableError', async () => {
    sim.faults.failNext('bad-gateway', 10);
    const error = await client.klines('BTCUSDT', '5m').catch((e: Error) => e);
    expect(error).toBeInstanceOf(ExchangeUnavailableError);
    expect((error as Error).message).toMatch(
      /^klines BTCUSDT 5m: exchange unavailable after 3 attempt\(s\): HTTP 502/,
    );
    expect(sim.stats.snapshot().totalRequests).toBe(3);
    expect(await reachability.snapshot()).toMatchObject({ reachable: false });
  });

  it('retries timeouts and malformed bodies', async () => {
    sim.faults.failNext('hang', 1);
    sim.faults.failNext('malformed', 1);
    const candles = await client.klines('BTCUSDT', '5m', { limit: 3 });
    expect(candles).toHaveLength(3);
    expect(sim.stats.snapshot().totalRequests).toBe(3);
    expect(client.stats().retries).toBe(2);
  });

  it('does not retry 4xx: unknown symbol, bad interval, bad parameters', async () => {
    const unknown = await client.klines('NOPEUSDT', '5m').catch((e: Error) => e);
    expect(unknown).toBeInstanceOf(UnknownSymbolError);
    expect((unknown as Error).message).toBe(
      'klines NOPEUSDT 5m: Binance rejected the request (HTTP 400, code -1121): Invalid symbol.',
    );
    const interval = await client.klines('BTCUSDT', '7m' as never).catch((e: Error) => e);
    expect(interval).toBeInstanceOf(InvalidIntervalError);
    expect((interval as Error).message).toMatch(/code -1120\): Invalid interval\./);
    const illegal = await client.klines('btcusdt', '5m').catch((e: Error) => e);
    expect(illegal).toBeInstanceOf(BinanceRequestError);
    expect((illegal as BinanceRequestError).code).toBe(-1100);
    expect(sim.stats.snapshot().totalRequests).toBe(3);
    expect(slept).toEqual([]);
  });

  it.each(['non-numeric', 'high-below-low', 'negative-volume', 'missing-field'] as const)(
    'rejects a %s row naming symbol, interval and open time',
    async (kind) => {
      sim.faults.set({ badRows: [{ symbol: 'BTCUSDT', kind }] });
      const error = await client.klines('BTCUSDT', '5m', { limit: 10 }).catch((e: Error) => e);
      expect(error).toBeInstanceOf(MalformedCandleError);
      expect((error as Error).message).toMatch(/^BTCUSDT 5m: invalid kline at 2024-08-05T09:5\d:00.000Z: /);
    },
  );

  it('reports a gap in the answer', async () => {
    sim.faults.set({ gaps: [{ symbol: 'BTCUSDT', openTime: OPEN_CANDLE - 3 * 300_000 }] });
    const error = await client.klines('BTCUSDT', '5m', { limit: 10 }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(KlineSequenceError);
    expect((error as Error).message).toContain(
      'expected open time 2024-08-05T09:45:00.000Z, got 2024-08-05T09:50:00.000Z',
    );
  });

  it('pauses every request after a 429 until Retry-After, without sending anything meanwhile', async () => {
    sim.faults.force429(30_000);
    const first = await client.klines('BTCUSDT', '5m').catch((e: Error) => e);
    expect(first).toBeInstanceOf(ExchangePausedError);
    expect(sim.stats.snapshot()).toMatchObject({ totalRequests: 1, rejected429: 1, rejected418: 0 });
    const status = await budget.status();
    expect(Date.parse(status.pausedUntil as string)).toBeGreaterThan(Date.now() + 25_000);
    expect(status.rejections.http429).toBe(1);
    await expect(client.ping()).rejects.toBeInstanceOf(ExchangePausedError);
    await expect(client.klines('ETHUSDT', '5m')).rejects.toBeInstanceOf(ExchangePausedError);
    expect(sim.stats.snapshot().totalRequests).toBe(1);
  });

  it('takes a 418 ban length from its body and Retry-After', async () => {
    sim.faults.forceBan(90_000);
    await expect(client.ping()).rejects.toBeInstanceOf(ExchangePausedError);
    const status = await budget.status();
    expect(status.rejections.http418).toBe(1);
    expect(Date.parse(status.pausedUntil as string)).toBeGreaterThan(Date.now() + 85_000);
    expect(sim.stats.snapshot().totalRequests).toBe(1);
  });

  describe('requests in flight (BINANCE_REST_CONCURRENCY)', () => {
    let server: Server;
    const arrivals: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    let answer429At: number | null = null;
    let sent429: number | null = null;

    beforeEach(async () => {
      arrivals.length = 0;
      inFlight = maxInFlight = 0;
      answer429At = sent429 = null;
      server = createServer((_request, response) => {
        arrivals.push(Date.now());
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        const finish = (status: number, body: string, headers: Record<string, string> = {}) => {
          inFlight--;
          response.writeHead(status, {
            'content-type': 'application/json',
            'x-mbx-used-weight-1m': '10',
            ...headers,
          });
          response.end(body);
        };
        if (answer429At !== null && arrivals.length === answer429At) {
          sent429 = Date.now();
          finish(
            429,
            '{"code":-1003,"msg":"Too much request weight used; current limit is 6000 request weight per 1 MINUTE."}',
            { 'retry-after': '1' },
          );
          return;
        }
        setTimeout(() => finish(200, '{}'), 40);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const transportFor = (maxInFlightSetting: number) =>
      new BinanceTransport(budget, reachability, {
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        maxInFlight: maxInFlightSetting,
        retry: { attempts: 1, baseDelayMs: 10, maxDelayMs: 10 },
      });

    it('keeps at most BINANCE_REST_CONCURRENCY requests in flight, however many are asked for at once', async () => {
      const limited = transportFor(8);
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          limited.get({ path: '/api/v3/ping', weight: 1, label: `ping ${i}` }),
        ),
      );
      limited.onApplicationShutdown();
      expect(arrivals).toHaveLength(30);
      expect(maxInFlight).toBe(8);
    });

    it('after a surprise 429 only the requests already in flight reach the exchange; the rest wait for Retry-After', async () => {
      const limited = transportFor(8);
      answer429At = 4;
      const outcomes = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          limited.get({ path: '/api/v3/ping', weight: 1, label: `ping ${i}` }).then(
            () => 'ok',
            (error: Error) => error.name,
          ),
        ),
      );
      limited.onApplicationShutdown();
      expect(sent429).not.toBeNull();
      const after = arrivals.filter((at) => at > (sent429 as number));
      // Requests already sent when the 429 went out may still land; nothing new is sent inside Retry-After.
      expect(after.filter((at) => at - (sent429 as number) < 900).length).toBeLessThanOrEqual(7);
      expect(after.filter((at) => at - (sent429 as number) >= 100 && at - (sent429 as number) < 900)).toEqual(
        [],
      );
      expect(outcomes.filter((outcome) => outcome === 'ok').length).toBeGreaterThan(0);
      expect((await budget.status()).rejections.http429).toBe(1);
    });
  });
});
