import { Logger } from '@nestjs/common';
import axios, { AxiosInstance, AxiosResponse } from 'axios';
import { setMaxListeners } from 'node:events';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { abortableSleep } from './abortable-sleep';
import { ExchangeReachability } from './exchange-reachability';
import {
  BinanceRequestError,
  ExchangeUnavailableError,
  InvalidIntervalError,
  MarketDataError,
  UnknownSymbolError,
} from './market-data.errors';
import { RequestWeightBudget } from './request-weight-budget';
import { WorkSlots } from './work-slots';
import { DEFAULT_RETRY_BACKOFF, RetryBackoffOptions, retryDelayMs } from './retry-backoff';

export interface BinanceTransportOptions {
  baseUrl: string;
  /** Per-request timeout. Default 10 s (Binance itself gives up after 10 s). */
  timeoutMs?: number;
  retry?: RetryBackoffOptions;
  /** How many 429/418 pauses one call may wait out before giving up. Default 2. */
  maxPauseRetries?: number;
  /** Sockets kept open to the exchange. Default 64. */
  maxSockets?: number;
  /**
   * Requests in flight at once (BINANCE_REST_CONCURRENCY, default 8): a surprise 429 (another client on
   * the same IP) then finds few requests outstanding, and every later one waits for the pause.
   */
  maxInFlight?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Counters of this process, for benchmarks and admin status. */
export interface TransportStats {
  requests: number;
  weight: number;
  bytes: number;
  retries: number;
  rejected: number;
}

export interface BinanceGet {
  path: string;
  params?: Record<string, string | number | undefined>;
  weight: number;
  /** Names the call in errors and logs, e.g. "klines BTCUSDT 5m". */
  label: string;
}

/** A failure worth retrying: 5xx, timeout, network error, unreadable body. */
class TransientError extends Error {}

const DEFAULT_PAUSE_MS: Record<429 | 418, number> = { 429: 60_000, 418: 120_000 };

/**
 * Sends GETs to Binance: charges the weight budget first, syncs it from `x-mbx-used-weight-1m`,
 * retries 5xx/timeouts/network errors with jittered exponential backoff, never retries other 4xx,
 * and turns a 429/418 into a deployment-wide pause before (maybe) trying again.
 */
export class BinanceTransport {
  private readonly logger = new Logger(BinanceTransport.name);
  private readonly http: AxiosInstance;
  private readonly retry: RetryBackoffOptions;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly counters: TransportStats = { requests: 0, weight: 0, bytes: 0, retries: 0, rejected: 0 };
  private readonly shutdown = new AbortController();
  private readonly agents: { http: HttpAgent; https: HttpsAgent };
  private readonly inFlight: WorkSlots;

  constructor(
    private readonly budget: RequestWeightBudget,
    private readonly reachability: ExchangeReachability,
    private readonly options: BinanceTransportOptions,
  ) {
    // Every request in flight and every retry wait listens to the shutdown signal.
    setMaxListeners(0, this.shutdown.signal);
    const maxSockets = options.maxSockets ?? 64;
    this.agents = {
      http: new HttpAgent({ keepAlive: true, maxSockets }),
      https: new HttpsAgent({ keepAlive: true, maxSockets }),
    };
    this.http = axios.create({
      baseURL: options.baseUrl,
      timeout: options.timeoutMs ?? 10_000,
      responseType: 'text',
      transformResponse: (data: unknown) => data,
      validateStatus: () => true,
      httpAgent: this.agents.http,
      httpsAgent: this.agents.https,
      signal: this.shutdown.signal,
    });
    this.retry = options.retry ?? DEFAULT_RETRY_BACKOFF;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? abortableSleep(this.shutdown.signal);
    this.inFlight = new WorkSlots(options.maxInFlight ?? 8);
  }

  /** Aborts requests in flight and retry waits, closes kept-alive sockets: called on application shutdown. */
  onApplicationShutdown(): void {
    this.shutdown.abort();
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  stats(): TransportStats {
    return { ...this.counters };
  }

  async get<T>(request: BinanceGet): Promise<T> {
    let attempt = 0;
    let pauses = 0;
    for (;;) {
      attempt++;
      try {
        // A slot first, then the budget: a request that waited for a slot sees a 429/418 pause that a
        // request before it just met, and is not sent.
        return await this.inFlight.run(false, async () => {
          await this.budget.acquire(request.weight, request.label);
          return this.send<T>(request);
        });
      } catch (error) {
        if (error instanceof PauseRequested) {
          pauses++;
          if (pauses > (this.options.maxPauseRetries ?? 2)) throw error.asError(request.label);
          attempt--;
          continue;
        }
        if (!(error instanceof TransientError)) throw error;
        this.reachability.recordFailure(this.now(), `${request.label}: ${error.message}`);
        if (attempt >= this.retry.attempts)
          throw new ExchangeUnavailableError(request.label, attempt, error.message);
        const delay = retryDelayMs(attempt, this.retry);
        this.counters.retries++;
        this.logger.warn(
          `${request.label}: ${error.message}; retry ${attempt}/${this.retry.attempts - 1} in ${delay} ms`,
        );
        await this.sleep(delay);
      }
    }
  }

  private async send<T>(request: BinanceGet): Promise<T> {
    this.counters.requests++;
    this.counters.weight += request.weight;
    let response: AxiosResponse<string>;
    try {
      response = await this.http.get<string>(request.path, { params: request.params });
    } catch (error) {
      if (this.shutdown.signal.aborted)
        throw new MarketDataError(`${request.label}: cancelled, the application is shutting down`);
      throw new TransientError(describeNetworkError(error));
    }
    const body = typeof response.data === 'string' ? response.data : '';
    this.counters.bytes += body.length;
    await this.syncUsedWeight(response);
    if (response.status === 429 || response.status === 418) {
      this.counters.rejected++;
      await this.pauseFor(response, body, request.label);
      throw new PauseRequested();
    }
    if (response.status >= 500) throw new TransientError(`HTTP ${response.status} ${shorten(body)}`);
    this.reachability.recordSuccess(this.now());
    if (response.status >= 400) throw this.requestError(response.status, body, request.label);
    if (response.status !== 200) throw new TransientError(`unexpected HTTP ${response.status}`);
    try {
      return JSON.parse(body) as T;
    } catch {
      throw new TransientError(`unreadable JSON body (${body.length} bytes)`);
    }
  }

  private async syncUsedWeight(response: AxiosResponse<string>): Promise<void> {
    const header = response.headers['x-mbx-used-weight-1m'] as unknown;
    if (header === undefined || header === null) return;
    await this.budget.recordUsedWeight(Number(header));
  }

  private async pauseFor(response: AxiosResponse<string>, body: string, label: string): Promise<void> {
    const status = response.status as 429 | 418;
    const now = this.now();
    const retryAfter = Number(response.headers['retry-after'] as unknown);
    let until =
      Number.isFinite(retryAfter) && retryAfter >= 0
        ? now + retryAfter * 1000
        : now + DEFAULT_PAUSE_MS[status];
    const bannedUntil = /banned until (\d+)/.exec(body);
    if (bannedUntil !== null) until = Math.max(until, Number(bannedUntil[1]));
    await this.budget.pause(until, status, label);
  }

  private requestError(status: number, body: string, label: string): MarketDataError {
    let code: number | null = null;
    let message = shorten(body) || `HTTP ${status}`;
    try {
      const parsed = JSON.parse(body) as { code?: unknown; msg?: unknown };
      if (typeof parsed.code === 'number') code = parsed.code;
      if (typeof parsed.msg === 'string') message = parsed.msg;
    } catch {
      // Not a Binance error body (a proxy page, a 404): keep the raw text.
    }
    if (code === -1121) return new UnknownSymbolError(status, code, message, label);
    if (code === -1120) return new InvalidIntervalError(status, code, message, label);
    return new BinanceRequestError(status, code, message, label);
  }
}

/** Internal signal: the request met a 429/418 and the pause is set; acquire() decides wait or fail. */
class PauseRequested extends Error {
  asError(label: string): MarketDataError {
    return new MarketDataError(
      `${label}: still rejected with 429/418 after waiting out the pauses; giving up for now`,
    );
  }
}

function describeNetworkError(error: unknown): string {
  if (axios.isAxiosError(error)) {
    if (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT') return `timed out (${error.message})`;
    return `${error.code ?? 'network error'}: ${error.message}`;
  }
  return (error as Error).message;
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
