import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { BinanceApiError, errors } from './binance-errors';
import { ENDPOINTS } from './endpoints';
import { FaultInjector, FaultSettings, ServerErrorKind } from './fault-injector';
import { KlineInterval } from './intervals';
import { MarketSchedule } from './market-faults';
import { QueryParams } from './query-params';
import { LoadReport, TimeOffsetOption, defaultStartTime, loadReplayData } from './replay-data';
import { Admission, RequestWeightLimiter } from './request-weight-limiter';
import { SimStats } from './sim-stats';
import { SymbolCatalog, SymbolSpec, UNIVERSE_TEST_SYMBOLS } from './symbol-catalog';
import { SyntheticSymbolsOptions, cloneSymbols } from './synthetic-symbols';
import { StreamServer, StreamServerOptions } from './streams/stream-server';
import { VirtualClock, VirtualClockOptions } from './virtual-clock';

/** The data shipped with this package (5m/15m/1h/4h of 34 pairs, gzip). */
export const BUNDLED_DATA_DIR = resolve(__dirname, '..', 'data');

const MAX_HEADER_BYTES = 64 * 1024;

export interface ExchangeSimOptions {
  /** Folder of `<SYMBOL>-<interval>.json[.gz]` files. Default: the bundled data. */
  dataDir?: string;
  /** Load only these symbols / intervals (faster starts for tests). */
  symbols?: string[];
  intervals?: KlineInterval[];
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: an ephemeral port (read `url`/`port`). */
  port?: number;
  /** Virtual clock in served time. Default start: see defaultStartTime(); speed 1. */
  clock?: VirtualClockOptions;
  /** Served time = data time + offset (see TimeOffsetOption). Default 0. */
  timeOffset?: TimeOffsetOption;
  /** Add N cloned symbols (SYM001USDT…) for scale tests. */
  syntheticSymbols?: number | SyntheticSymbolsOptions;
  /** Symbols without candles, listed in exchangeInfo and the ticker; 'universe-test' = UNIVERSE_TEST_SYMBOLS. */
  extraSymbols?: SymbolSpec[] | 'universe-test';
  /** REQUEST_WEIGHT per minute per client. Default 6000. */
  weightLimit?: number;
  /** Calendar minutes (and bans) follow the real wall clock (default) or the virtual clock. */
  weightClock?: 'real' | 'virtual';
  /** The real wall clock (tests may inject one). Default Date.now. */
  realNow?: () => number;
  /** First ban length (doubles per ban, up to banMaxMs). Default 2 min / 3 days. */
  banBaseMs?: number;
  banMaxMs?: number;
  faults?: Partial<FaultSettings>;
  /** Take the client identity from this request header when present (lets tests act as several IPs). */
  clientIdHeader?: string;
  /** Kline WebSocket streams (always served; on the REST port unless `streams.port` is given). */
  streams?: StreamServerOptions;
  /** Startup line; false = silent. Default console.log. */
  log?: ((line: string) => void) | false;
}

export interface ExchangeSim {
  /** e.g. http://127.0.0.1:40123 (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** Base of the streams, e.g. ws://127.0.0.1:40123 (append /ws/<stream> or /stream?streams=…). */
  readonly wsUrl: string;
  readonly clock: VirtualClock;
  /** The exchange's clock (virtual clock + clockOffsetMs) and what the market faults leave at a time. */
  readonly market: MarketSchedule;
  /** Stream stats, connections and runtime stream faults. */
  readonly streams: StreamServer;
  readonly faults: FaultInjector;
  readonly stats: SimStats;
  readonly limiter: RequestWeightLimiter;
  readonly symbols: SymbolCatalog;
  readonly load: LoadReport;
  /** Served time − data time. */
  readonly timeOffset: number;
  close(): Promise<void>;
}

export async function startExchangeSim(options: ExchangeSimOptions = {}): Promise<ExchangeSim> {
  const realNow = options.realNow ?? Date.now;
  const data = loadReplayData({
    dataDir: options.dataDir ?? BUNDLED_DATA_DIR,
    symbols: options.symbols,
    intervals: options.intervals,
    timeOffset: options.timeOffset,
  });
  const synthetic =
    typeof options.syntheticSymbols === 'number'
      ? { count: options.syntheticSymbols }
      : options.syntheticSymbols;
  const clones = synthetic ? cloneSymbols(data.symbols, synthetic) : [];
  const extras =
    options.extraSymbols === 'universe-test' ? UNIVERSE_TEST_SYMBOLS : (options.extraSymbols ?? []);
  const catalog = new SymbolCatalog([...data.symbols, ...clones], extras);

  const mappedTo = typeof options.timeOffset === 'object' ? options.timeOffset.to : undefined;
  const startTime = options.clock?.startTime ?? mappedTo ?? defaultStartTime(data.symbols) ?? realNow();
  const clock = new VirtualClock({ ...options.clock, startTime }, realNow);
  const weightNow = options.weightClock === 'virtual' ? () => clock.now() : realNow;
  const limiter = new RequestWeightLimiter({
    limit: options.weightLimit ?? 6000,
    now: weightNow,
    banBaseMs: options.banBaseMs,
    banMaxMs: options.banMaxMs,
  });
  const faults = new FaultInjector(options.faults ?? {}, limiter);
  const stats = new SimStats();
  const market = new MarketSchedule(
    () => faults.settings,
    () => clock.now(),
  );
  const handler = new RequestHandler(market, limiter, faults, stats, catalog, options.clientIdHeader);
  // Large enough for a /stream URL naming 1024 streams (Node's default of 16 KiB is not).
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => handler.handle(req, res));
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, options.port ?? 0, host);
  const url = `http://${host}:${port}`;
  const streams = new StreamServer(
    { market, catalog, faults, realNow, attemptNow: weightNow, clientIdHeader: options.clientIdHeader },
    options.streams,
  );
  let streamServer: Server | undefined;
  if (options.streams?.port !== undefined) {
    streamServer = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (_req, res) =>
      res.writeHead(426, { Connection: 'close' }).end(),
    );
    streams.attach(streamServer);
  } else {
    streams.attach(server);
  }
  let wsPort = port;
  if (streamServer) {
    try {
      wsPort = await listen(streamServer, options.streams!.port!, host);
    } catch (error) {
      await streams.close();
      await handler.close(server);
      throw error;
    }
  }
  const log = options.log === false ? undefined : (options.log ?? console.log);
  log?.(
    `exchange-sim listening on ${url} — ${catalog.list().length} symbols, ${data.report.files} series loaded in ` +
      `${data.report.loadMs} ms, streams on ws://${host}:${wsPort}, virtual now ${new Date(clock.now()).toISOString()} ×${clock.speed}` +
      (data.report.timeOffset ? `, time offset ${data.report.timeOffset} ms` : ''),
  );
  return {
    url,
    port,
    wsUrl: `ws://${host}:${wsPort}`,
    clock,
    market,
    streams,
    faults,
    stats,
    limiter,
    symbols: catalog,
    load: data.report,
    timeOffset: data.report.timeOffset,
    close: async () => {
      await streams.close();
      if (streamServer) await handler.close(streamServer);
      await handler.close(server);
    },
  };
}

async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolveListen());
  });
  return (server.address() as AddressInfo).port;
}

interface Reply {
  status: number;
  body: string;
  contentType: string;
  retryAfter?: number;
}

const JSON_TYPE = 'application/json;charset=UTF-8';
const HTML_TYPE = 'text/html';

class RequestHandler {
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly market: MarketSchedule,
    private readonly limiter: RequestWeightLimiter,
    private readonly faults: FaultInjector,
    private readonly stats: SimStats,
    private readonly catalog: SymbolCatalog,
    private readonly clientIdHeader: string | undefined,
  ) {}

  handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://sim');
    const path = url.pathname;
    this.stats.countRequest(path);
    const endpoint = ENDPOINTS[path];
    const params = new QueryParams(url.search);
    const weight = endpoint ? endpoint.weight(params) : 1;
    const admission = this.limiter.admit(this.clientOf(req), weight);
    if (admission.outcome !== 'banned') this.stats.countWeight(this.limiter.now(), weight);
    const { latencyMs, fault } = this.faults.decide(path);
    const now = this.market.now();

    const answer = (): Reply => {
      const rejected = rejection(admission, this.limiter.limit);
      if (rejected) return rejected;
      if (fault.kind === 'error') {
        this.stats.countFault('errors');
        return serverError(fault.error);
      }
      const reply = this.run(path, params, now, req.headers.accept);
      if (fault.kind === 'malformed' && reply.status === 200) {
        this.stats.countFault('malformed');
        return { ...reply, body: reply.body.slice(0, Math.max(1, Math.floor(reply.body.length / 2))) };
      }
      return reply;
    };

    if (fault.kind === 'hang' && admission.outcome === 'ok') {
      this.stats.countFault('hangs');
      if (fault.delayMs === null) return; // never answered; close() drops the connection
      this.later(fault.delayMs, () => this.send(res, admission.used, answer()));
      return;
    }
    const reply = answer();
    if (latencyMs > 0) this.later(latencyMs, () => this.send(res, admission.used, reply));
    else this.send(res, admission.used, reply);
  }

  async close(server: Server): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const closing = new Promise<void>((resolveClose) => server.close(() => resolveClose()));
    server.closeAllConnections();
    await closing;
  }

  private run(path: string, params: QueryParams, now: number, accept: string | undefined): Reply {
    const endpoint = ENDPOINTS[path];
    if (!endpoint) {
      const html = accept?.includes('text/html') ?? false;
      return {
        status: 404,
        body: html ? '<html><body><h2>404 Not found</h2></body></html>' : '',
        contentType: html ? HTML_TYPE : JSON_TYPE,
      };
    }
    try {
      if (params.problem) throw params.problem;
      const body = endpoint.handle({
        params,
        now,
        market: this.market,
        catalog: this.catalog,
        faults: this.faults,
        stats: this.stats,
        weightLimit: this.limiter.limit,
      });
      return { status: 200, body, contentType: JSON_TYPE };
    } catch (error) {
      if (error instanceof BinanceApiError)
        return { status: error.httpStatus, body: error.body(), contentType: JSON_TYPE };
      const unknown = new BinanceApiError(
        500,
        -1000,
        'An unknown error occurred while processing the request.',
      );
      return { status: 500, body: unknown.body(), contentType: JSON_TYPE };
    }
  }

  private send(res: ServerResponse, usedWeight: number, reply: Reply): void {
    if (this.closed || res.destroyed || res.writableEnded) return;
    const headers: Record<string, string | number> = {
      'Content-Type': reply.contentType,
      'Content-Length': Buffer.byteLength(reply.body),
      'x-mbx-used-weight': usedWeight,
      'x-mbx-used-weight-1m': usedWeight,
    };
    if (reply.retryAfter !== undefined) headers['Retry-After'] = reply.retryAfter;
    res.writeHead(reply.status, headers);
    res.end(reply.body);
    this.stats.countResponse(reply.status, Buffer.byteLength(reply.body));
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private clientOf(req: IncomingMessage): string {
    const header = this.clientIdHeader ? req.headers[this.clientIdHeader.toLowerCase()] : undefined;
    if (typeof header === 'string' && header !== '') return header;
    return req.socket.remoteAddress ?? 'unknown';
  }
}

function rejection(admission: Admission, limit: number): Reply | undefined {
  if (admission.outcome === 'banned') {
    return {
      status: 418,
      body: errors.banned(admission.bannedUntil).body(),
      contentType: JSON_TYPE,
      retryAfter: admission.retryAfterSeconds,
    };
  }
  if (admission.outcome === 'rate-limited') {
    return {
      status: 429,
      body: errors.tooMuchWeight(limit).body(),
      contentType: JSON_TYPE,
      retryAfter: admission.retryAfterSeconds,
    };
  }
  return undefined;
}

function serverError(kind: ServerErrorKind): Reply {
  switch (kind) {
    case 'internal': {
      const e = errors.disconnected();
      return { status: e.httpStatus, body: e.body(), contentType: JSON_TYPE };
    }
    case 'busy': {
      const e = errors.serverBusy();
      return { status: e.httpStatus, body: e.body(), contentType: JSON_TYPE };
    }
    case 'bad-gateway':
      return {
        status: 502,
        body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
        contentType: HTML_TYPE,
      };
    case 'unavailable':
      return {
        status: 503,
        body: '<html><body><h1>503 Service Unavailable</h1></body></html>',
        contentType: HTML_TYPE,
      };
  }
}
