import { Logger } from '@nestjs/common';
import { setMaxListeners } from 'node:events';
import { abortableSleep } from './abortable-sleep';
import { ExchangePausedError } from './market-data.errors';
import { RejectionStatus, WeightBudgetStore } from './weight-budget-store';

export interface RequestWeightBudgetOptions {
  /** BINANCE_WEIGHT_LIMIT: the exchange's REQUEST_WEIGHT per minute. */
  limit: number;
  /** Share of the limit we allow ourselves (headroom for clock skew and other clients). Default 0.9. */
  safetyRatio?: number;
  /** A pause shorter than this is waited out; a longer one fails the request at once. Default 5 s. */
  maxPauseWaitMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** What an operator sees (admin status, health). */
export interface WeightBudgetStatus {
  store: 'redis' | 'memory';
  minuteStart: string;
  usedThisMinute: number;
  /** The limit we keep to (limit × safety ratio). */
  limit: number;
  exchangeLimit: number;
  pausedUntil: string | null;
  rejections: { http429: number; http418: number };
}

const MINUTE_MS = 60_000;

/**
 * The request-weight budget of the deployment (one per IP, DESIGN §5): every request's weight is
 * charged before it is sent; a request that would pass the limit waits for the next calendar minute;
 * after a 429/418 nobody sends anything until Retry-After has passed.
 */
export class RequestWeightBudget {
  private readonly logger = new Logger(RequestWeightBudget.name);
  readonly limit: number;
  private readonly maxPauseWaitMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly shutdown = new AbortController();

  constructor(
    private readonly store: WeightBudgetStore,
    private readonly options: RequestWeightBudgetOptions,
  ) {
    setMaxListeners(0, this.shutdown.signal);
    this.limit = Math.floor(options.limit * (options.safetyRatio ?? 0.9));
    this.maxPauseWaitMs = options.maxPauseWaitMs ?? 5_000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? abortableSleep(this.shutdown.signal);
  }

  /** Ends every wait (the waiting requests fail): called on application shutdown. */
  onApplicationShutdown(): void {
    this.shutdown.abort();
  }

  /** Resolves once `weight` is charged to the current minute; throws ExchangePausedError during a long pause. */
  async acquire(weight: number, request: string): Promise<void> {
    for (;;) {
      const now = this.now();
      const minute = minuteOf(now);
      const result = await this.store.charge(minute, weight, this.limit, now);
      if (result.charged) return;
      if (result.pausedUntil !== null) {
        const wait = result.pausedUntil - now;
        if (wait > this.maxPauseWaitMs) throw new ExchangePausedError(request, result.pausedUntil);
        await this.sleep(wait + 1);
        continue;
      }
      // Spread the restart over a few hundred ms so every waiting request does not fire at :00.000.
      const wait = minute + MINUTE_MS - now + Math.floor(Math.random() * 250);
      this.logger.debug(
        `weight ${result.used}/${this.limit} used this minute; ${request} waits ${wait} ms for the next minute`,
      );
      await this.sleep(wait);
    }
  }

  /** Takes the exchange's `x-mbx-used-weight-1m` when it counts more than we did (other clients, lost replies). */
  async recordUsedWeight(reported: number): Promise<void> {
    if (!Number.isFinite(reported) || reported < 0) return;
    await this.store.raiseUsed(minuteOf(this.now()), reported);
  }

  /** After a 429/418: stops every process until `until`. */
  async pause(until: number, status: RejectionStatus, request: string): Promise<number> {
    const pausedUntil = await this.store.pause(until, status, this.now());
    this.logger.warn(
      `Binance answered ${status} to ${request}: all requests paused until ${new Date(pausedUntil).toISOString()}`,
    );
    return pausedUntil;
  }

  async pausedUntil(): Promise<number | null> {
    return this.store.pausedUntil(this.now());
  }

  async status(): Promise<WeightBudgetStatus> {
    const now = this.now();
    const minute = minuteOf(now);
    const [used, paused, rejections] = await Promise.all([
      this.store.used(minute),
      this.store.pausedUntil(now),
      this.store.rejections(),
    ]);
    return {
      store: this.store.kind,
      minuteStart: new Date(minute).toISOString(),
      usedThisMinute: used,
      limit: this.limit,
      exchangeLimit: this.options.limit,
      pausedUntil: paused === null ? null : new Date(paused).toISOString(),
      rejections: { http429: rejections[429], http418: rejections[418] },
    };
  }
}

function minuteOf(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}
