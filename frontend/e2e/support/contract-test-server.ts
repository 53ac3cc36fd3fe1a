import * as http from 'node:http';
import * as net from 'node:net';
import {
  CONDITION_KEYS,
  INDICATOR_KEYS,
  INDICATOR_SERIES_KEYS,
  SocketEvents,
  type CandleDto,
  type CandlesResponse,
  type IndicatorSeries,
  type MarketSymbol,
  type OutcomeStats,
  type RateDto,
  type ScannerStatusPayload,
  type Signal,
  type SignalConfluence,
  type SignalDirection,
  type SignalStats,
} from '../../../backend/libs/contracts/src';
import { DASHBOARD_DIR } from './paths';
import { idleScannerStatus, mulberry32, sendJson, serveDashboard, SocketIoServer } from './test-server-kit';

const TIMEFRAMES = ['5m', '15m', '1h', '4h'];
const WEIGHTS = [20, 15, 15, 10, 15, 10, 10, 5];

/**
 * A small server that speaks the wire contract (REST + Socket.IO /signals) with synthetic load and serves
 * the built dashboard — the real app, fed at a rate the real scanner cannot produce on demand.
 */
export class ContractTestServer {
  private readonly http = http.createServer((req, res) => this.handle(req, res));
  private readonly io = new SocketIoServer(this.http, { transports: ['websocket'] });
  private readonly signals = new Map<string, Signal>();
  private readonly symbols: MarketSymbol[] = [];
  private seq = 0;
  private nextId = 0;
  private tick = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  /** Deterministic, so every run sees the same load. */
  private readonly random = mulberry32(1);
  private statusTimer: ReturnType<typeof setInterval> | null = null;
  private readonly marketTime = Date.parse('2024-08-05T12:00:00Z');
  emitted = 0;

  constructor(activeCount: number) {
    const symbolCount = Math.ceil(activeCount / TIMEFRAMES.length);
    for (let i = 0; i < symbolCount; i++) {
      const price = 0.01 + this.random() * 5000;
      this.symbols.push({
        symbol: `SYM${String(i).padStart(4, '0')}USDT`,
        baseAsset: `SYM${i}`,
        quoteAsset: 'USDT',
        status: 'TRADING',
        rank: i + 1,
        lastPrice: price,
        priceChangePercent: this.random() * 10 - 5,
        highPrice: price * 1.05,
        lowPrice: price * 0.95,
        volume: 1e6,
        quoteVolume: 1e7,
        tickSize: price > 100 ? 0.01 : price > 1 ? 0.0001 : 0.000001,
        updatedAt: new Date(this.marketTime).toISOString(),
        freshness: {
          '5m': {
            lastClosedOpenTime: new Date(this.marketTime - 300_000).toISOString(),
            lastClosedCloseTime: new Date(this.marketTime - 1).toISOString(),
            storedCandles: 300,
            ageSeconds: 10,
            stale: false,
            lastSyncAt: new Date(this.marketTime).toISOString(),
            lastSyncError: null,
          },
        },
      });
    }
    for (let i = 0; i < activeCount; i++)
      this.create(this.symbols[i % symbolCount], TIMEFRAMES[Math.floor(i / symbolCount) % TIMEFRAMES.length]);
    const ns = this.io.of('/signals');
    ns.on('connection', (socket) => {
      socket.emit(SocketEvents.snapshot, { seq: this.seq, signals: [...this.signals.values()] });
      socket.emit(SocketEvents.scannerStatus, this.status());
      socket.on(SocketEvents.resync, () =>
        socket.emit(SocketEvents.snapshot, { seq: this.seq, signals: [...this.signals.values()] }),
      );
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.http.address() as net.AddressInfo).port}`;
  }

  /** `perSecond` events: mostly updates, every 25th a close plus a new signal (the active count stays). */
  startLoad(perSecond: number): void {
    const ns = this.io.of('/signals');
    this.statusTimer = setInterval(() => ns.emit(SocketEvents.scannerStatus, this.status()), 1_000);
    this.timer = setInterval(() => {
      this.tick++;
      const all = [...this.signals.values()];
      const target = all[Math.floor(this.random() * all.length)];
      if (this.tick % 25 === 0) {
        this.signals.delete(target.id);
        const closed: Signal = {
          ...target,
          status: this.random() > 0.5 ? 'TP_HIT' : 'SL_HIT',
          closedAt: this.now(),
          exitPrice: target.takeProfit,
          outcomeR: 1.67,
          netR: 1.52,
          version: target.version + 1,
        };
        ns.emit(SocketEvents.deleted, { seq: ++this.seq, signal: closed });
        const created = this.create(
          this.symbols[Math.floor(this.random() * this.symbols.length)],
          TIMEFRAMES[this.tick % 4],
        );
        ns.emit(SocketEvents.created, { seq: ++this.seq, signal: created });
        this.emitted += 2;
      } else {
        const confidence = Math.max(49, Math.min(100, target.confidence + (this.random() > 0.5 ? 5 : -5)));
        const updated: Signal = { ...target, confidence, updatedAt: this.now(), version: target.version + 1 };
        this.signals.set(updated.id, updated);
        ns.emit(SocketEvents.updated, { seq: ++this.seq, signal: updated });
        this.emitted++;
      }
    }, 1000 / perSecond);
  }

  stopLoad(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.statusTimer) clearInterval(this.statusTimer);
  }

  state(): Record<string, number> {
    return Object.fromEntries([...this.signals.values()].map((s) => [s.id, s.version]));
  }

  async close(): Promise<void> {
    this.stopLoad();
    this.io.close();
    // The page still holds keep-alive connections (it closes after the test body): without this, close()
    // waits for them until the test times out.
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private create(symbol: MarketSymbol, timeframe: string): Signal {
    const entry = symbol.lastPrice as number;
    const long = this.random() > 0.5;
    const atr = entry * 0.01;
    const met = CONDITION_KEYS.map(() => this.random() > 0.3);
    const confidence = 70 + Math.floor(this.random() * 30);
    const signal: Signal = {
      id: `perf-${this.nextId++}`,
      symbol: symbol.symbol,
      timeframe,
      direction: long ? 'LONG' : 'SHORT',
      status: 'ACTIVE',
      confidence,
      entryPrice: entry,
      stopLoss: long ? entry - 1.5 * atr : entry + 1.5 * atr,
      takeProfit: long ? entry + 2.5 * atr : entry - 2.5 * atr,
      riskReward: 2.5 / 1.5,
      conditions: CONDITION_KEYS.map((key, i) => ({
        key,
        met: met[i],
        weight: WEIGHTS[i],
        detail: `${key}: ${(this.random() * 100).toFixed(2)}`,
      })),
      indicators: Object.fromEntries(INDICATOR_KEYS.map((k) => [k, this.random()])) as Signal['indicators'],
      candleOpenTime: new Date(this.marketTime - 600_000).toISOString(),
      createdAt: this.now(),
      updatedAt: this.now(),
      closedAt: null,
      exitPrice: null,
      outcomeR: null,
      netR: null,
      resolution: null,
      initialConfidence: confidence,
      origin: 'live',
      pTarget: 0.3 + (confidence - 70) / 200,
      pTargetSamples: 1_200,
      pTargetNote: null,
      confluence: this.confluence(this.nextId, timeframe, long ? 'LONG' : 'SHORT'),
      scoringVersion: 1,
      version: 1,
    };
    this.signals.set(signal.id, signal);
    return signal;
  }

  /**
   * The other timeframes at creation, as the scanner stores them with a live signal: derived from the
   * signal's number (not the random stream, so the rest of the load stays as it was). Every third
   * other timeframe leans against the signal; every fourth has an active signal of its own.
   */
  private confluence(n: number, timeframe: string, direction: SignalDirection): SignalConfluence {
    const up = direction === 'LONG';
    const others = TIMEFRAMES.filter((tf) => tf !== timeframe).map((tf, j) => {
      const agrees = (n + j) % 3 !== 0;
      const active = (n + j) % 4 === 0;
      return {
        timeframe: tf,
        activeDirection: active ? (agrees ? direction : up ? 'SHORT' : 'LONG') : null,
        trend: agrees === up ? ('above' as const) : ('below' as const),
        longConfidence: agrees === up ? 72 : 31,
        shortConfidence: agrees === up ? 28 : 66,
        asOf: new Date(this.marketTime - 60_000).toISOString(),
        stale: false,
        agrees,
      };
    });
    return { timeframe, direction, agreeing: 1 + others.filter((o) => o.agrees).length, others };
  }

  /** 300 closed candles ending at the signals' market time, with EMA, Bollinger, RSI and MACD series. */
  private candles(symbol: string, interval: string): CandlesResponse {
    const base = this.symbols.find((s) => s.symbol === symbol)?.lastPrice ?? 100;
    const step = 300_000;
    const candles: CandleDto[] = [];
    let price = base;
    for (let i = 0; i < 300; i++) {
      const open = price;
      price = open * (1 + Math.sin(i / 9) * 0.002 + (this.random() - 0.5) * 0.004);
      const openTime = this.marketTime - (300 - i) * step;
      candles.push({
        openTime: new Date(openTime).toISOString(),
        closeTime: new Date(openTime + step - 1).toISOString(),
        open,
        high: Math.max(open, price) * 1.001,
        low: Math.min(open, price) * 0.999,
        close: price,
        volume: 10,
        quoteVolume: 10 * price,
      });
    }
    const closes = candles.map((c) => c.close);
    const ema = (n: number) => {
      const k = 2 / (n + 1);
      let e = closes[0];
      return closes.map((c, i) => ((e = i === 0 ? c : c * k + e * (1 - k)), i < n ? null : e));
    };
    const sma20 = closes.map((_, i) =>
      i < 19 ? null : closes.slice(i - 19, i + 1).reduce((a, b) => a + b, 0) / 20,
    );
    const sd20 = closes.map((_, i) => {
      const m = sma20[i];
      return m === null
        ? null
        : Math.sqrt(closes.slice(i - 19, i + 1).reduce((a, b) => a + (b - m) ** 2, 0) / 20);
    });
    const e12 = ema(12),
      e26 = ema(26);
    const macd = closes.map((_, i) =>
      e12[i] === null || e26[i] === null ? null : (e12[i] as number) - (e26[i] as number),
    );
    const nulls = closes.map(() => null);
    const indicators = {
      ...Object.fromEntries(INDICATOR_SERIES_KEYS.map((k) => [k, nulls])),
      ema9: ema(9),
      ema21: ema(21),
      ema50: ema(50),
      ema200: ema(200),
      bbMiddle: sma20,
      bbUpper: sma20.map((m, i) => (m === null ? null : m + 2 * (sd20[i] as number))),
      bbLower: sma20.map((m, i) => (m === null ? null : m - 2 * (sd20[i] as number))),
      rsi: closes.map((_, i) => (i < 14 ? null : 50 + 20 * Math.sin(i / 7))),
      macd,
      macdSignal: macd.map((m) => (m === null ? null : m * 0.8)),
      macdHistogram: macd.map((m) => (m === null ? null : m * 0.2)),
    } as IndicatorSeries;
    return { symbol, interval, candles, indicators };
  }

  private now(): string {
    return new Date(this.marketTime + this.tick * 1000).toISOString();
  }

  private status(): ScannerStatusPayload {
    return idleScannerStatus(this.symbols.length, this.signals.size);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (status: number, body: unknown) => sendJson(res, status, body);
    if (url.pathname === '/api/market/symbols') return json(200, this.symbols);
    if (url.pathname === '/api/signals/stats') return json(200, emptyStats());
    const detail = /^\/api\/signals\/([^/]+)$/.exec(url.pathname);
    if (detail) {
      const signal = this.signals.get(decodeURIComponent(detail[1]));
      if (!signal)
        return json(404, { statusCode: 404, error: 'Not Found', message: `signal ${detail[1]} not found` });
      return json(200, {
        signal,
        events: [{ seq: 1, type: 'created', recordedAt: signal.createdAt, signal }],
        maxFavorableR: 0.4,
        maxAdverseR: -0.2,
      });
    }
    if (url.pathname === '/api/market/candles')
      return json(
        200,
        this.candles(url.searchParams.get('symbol') ?? '', url.searchParams.get('interval') ?? '5m'),
      );
    if (url.pathname === '/api/health/ready') return json(200, { status: 'ok', details: {} });
    if (url.pathname.startsWith('/api/'))
      return json(404, { statusCode: 404, error: 'Not Found', message: 'not in the perf server' });
    serveDashboard(DASHBOARD_DIR, url.pathname, res);
  }
}

function emptyStats(): SignalStats {
  const none = (definition: string): RateDto => ({
    definition,
    successes: 0,
    n: 0,
    value: null,
    low: null,
    high: null,
    lowSample: true,
  });
  const outcome: OutcomeStats = {
    closed: 0,
    byOutcome: { TP_HIT: 0, SL_HIT: 0, INVALIDATED: 0, EXPIRED: 0, CANCELLED: 0 },
    shares: {
      TP_HIT: none('TP_HIT / all closed'),
      SL_HIT: none('SL_HIT / all closed'),
      INVALIDATED: none('INVALIDATED / all closed'),
      EXPIRED: none('EXPIRED / all closed'),
      CANCELLED: none('CANCELLED / all closed'),
    },
    winRate: null,
    hitRate: null,
    winRateInterval: none('TP / (TP + SL)'),
    hitRateInterval: none('TP / all closed'),
    averageR: null,
    expectancy: null,
    expectancyGross: null,
    profitFactor: null,
    totalNetR: 0,
    totalGrossR: 0,
    maxDrawdownR: 0,
    lowSample: true,
  };
  return {
    since: null,
    origin: 'all',
    active: 0,
    overall: outcome,
    byTimeframe: {},
    byDirection: { LONG: outcome, SHORT: outcome },
  };
}
