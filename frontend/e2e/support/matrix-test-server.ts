import * as http from 'node:http';
import * as net from 'node:net';
import {
  SocketEvents,
  type MarketMatrixCell,
  type MarketMatrixSnapshot,
  type ScannerStatusPayload,
} from '../../../backend/libs/contracts/src';
import { DASHBOARD_DIR } from './paths';
import { idleScannerStatus, mulberry32, sendJson, serveDashboard, SocketIoServer } from './test-server-kit';

const TIMEFRAMES = ['5m', '15m', '1h', '4h'];
const MARKET_ROOM = 'market';

/**
 * The market matrix side of the wire contract with synthetic load: `symbolCount` symbols × 4 timeframes,
 * `market.subscribe` → `market.snapshot`, then `market.tick` at the rate asked, each with a few changed
 * cells (as the gateway sends them). Serves the built dashboard (`dashboardDir`).
 */
export class MatrixTestServer {
  private readonly http = http.createServer((req, res) => this.handle(req, res));
  private readonly io = new SocketIoServer(this.http, { transports: ['websocket'] });
  private readonly symbols: string[] = [];
  private readonly cells = new Map<string, MarketMatrixCell>();
  private seq = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  /** Deterministic, so every run sees the same load. */
  private readonly random = mulberry32(7);
  private readonly marketTime = Date.parse('2024-08-05T12:00:00Z');
  ticksSent = 0;
  cellsSent = 0;

  constructor(
    symbolCount: number,
    private readonly dashboardDir = DASHBOARD_DIR,
  ) {
    for (let i = 0; i < symbolCount; i++) this.symbols.push(`SYM${String(i).padStart(4, '0')}USDT`);
    for (const symbol of this.symbols)
      for (const tf of TIMEFRAMES) this.cells.set(`${symbol}|${tf}`, this.makeCell(symbol, tf));
    const ns = this.io.of('/signals');
    ns.on('connection', (socket) => {
      socket.emit(SocketEvents.snapshot, { seq: 0, signals: [] });
      socket.emit(SocketEvents.scannerStatus, this.status());
      socket.on(SocketEvents.marketSubscribe, () => {
        socket.emit(SocketEvents.marketSnapshot, this.snapshot());
        void socket.join(MARKET_ROOM);
      });
      socket.on(SocketEvents.marketUnsubscribe, () => void socket.leave(MARKET_ROOM));
    });
  }

  get timeframes(): readonly string[] {
    return TIMEFRAMES;
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.http.address() as net.AddressInfo).port}`;
  }

  /** `perSecond` ticks, each changing `cellsPerTick` random cells. */
  startLoad(perSecond: number, cellsPerTick = 4): void {
    const room = this.io.of('/signals').to(MARKET_ROOM);
    this.timer = setInterval(() => {
      const changed: MarketMatrixCell[] = [];
      for (let i = 0; i < cellsPerTick; i++) {
        const symbol = this.symbols[Math.floor(this.random() * this.symbols.length)];
        const tf = TIMEFRAMES[Math.floor(this.random() * TIMEFRAMES.length)];
        const next = this.makeCell(symbol, tf);
        this.cells.set(`${symbol}|${tf}`, next);
        changed.push(next);
      }
      room.emit(SocketEvents.marketTick, { seq: ++this.seq, cells: changed });
      this.ticksSent++;
      this.cellsSent += changed.length;
    }, 1000 / perSecond);
  }

  stopLoad(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Each cell's long and short as the page shows them ("–" when null), keyed "SYMBOL|tf". */
  state(): Record<string, string> {
    return Object.fromEntries(
      [...this.cells].map(([k, c]) => [k, `${c.long ?? '–'}/${c.short ?? '–'}/${c.active ?? ''}`]),
    );
  }

  async close(): Promise<void> {
    this.stopLoad();
    this.io.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private snapshot(): MarketMatrixSnapshot {
    return {
      seq: this.seq,
      symbols: [...this.symbols],
      timeframes: [...TIMEFRAMES],
      cells: this.symbols.flatMap((s) => TIMEFRAMES.map((tf) => this.cells.get(`${s}|${tf}`)!)),
      generatedAt: new Date().toISOString(),
    };
  }

  private makeCell(symbol: string, timeframe: string): MarketMatrixCell {
    const long = Math.round(this.random() * 100);
    const short = Math.round(this.random() * (100 - long));
    const r = this.random();
    return {
      symbol,
      timeframe,
      long,
      short,
      active: r < 0.05 ? 'LONG' : r < 0.1 ? 'SHORT' : null,
      trend: this.random() > 0.5 ? 'above' : 'below',
      rsi: Math.round(this.random() * 10_000) / 100,
      close: 1 + this.random() * 1000,
      asOf: new Date(this.marketTime - 1).toISOString(),
    };
  }

  private status(): ScannerStatusPayload {
    return idleScannerStatus(this.symbols.length, 0);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (status: number, body: unknown) => sendJson(res, status, body);
    if (url.pathname === '/api/market/matrix') return json(200, this.snapshot());
    if (url.pathname === '/api/market/symbols') return json(200, []);
    if (url.pathname === '/api/health/ready') return json(200, { status: 'ok', details: {} });
    if (url.pathname.startsWith('/api/'))
      return json(404, { statusCode: 404, error: 'Not Found', message: 'not in the matrix test server' });
    serveDashboard(this.dashboardDir, url.pathname, res);
  }
}
