import { ONE_MINUTE_MS } from './intervals';

export interface RequestWeightLimiterOptions {
  /** REQUEST_WEIGHT per calendar minute per client IP (Binance: 6000). */
  limit: number;
  /** Clock the calendar minutes and bans follow (the real wall clock by default). */
  now: () => number;
  /** First ban length; each further ban doubles it (Binance: "from 2 minutes to 3 days"). */
  banBaseMs?: number;
  banMaxMs?: number;
}

export type Admission =
  | { outcome: 'ok'; used: number }
  | { outcome: 'rate-limited'; used: number; retryAfterSeconds: number }
  | { outcome: 'banned'; used: number; retryAfterSeconds: number; bannedUntil: number };

interface ClientState {
  minute: number;
  used: number;
  /** End of the Retry-After period of the last 429; a call before it earns a ban. */
  retryUntil: number;
  bannedUntil: number;
  bans: number;
}

const THREE_DAYS_MS = 3 * 24 * 60 * ONE_MINUTE_MS;

/**
 * Binance's REQUEST_WEIGHT accounting per IP over fixed calendar minutes, with the 429 → 418 escalation:
 * - a request is charged its weight; if the minute's total then exceeds the limit it gets 429 with
 *   Retry-After = seconds to the next minute (its weight stays counted, so the header can exceed the limit);
 * - any call before that Retry-After has passed earns a 418 ban: 2 minutes, doubling per ban, at most 3 days;
 * - calls during a ban get 418 with the remaining time and are not charged; they do not extend the ban.
 */
export class RequestWeightLimiter {
  private readonly clients = new Map<string, ClientState>();
  private forced429Until = 0;
  private forcedBanUntil = 0;
  readonly banBaseMs: number;
  readonly banMaxMs: number;

  constructor(private readonly options: RequestWeightLimiterOptions) {
    this.banBaseMs = options.banBaseMs ?? 2 * ONE_MINUTE_MS;
    this.banMaxMs = options.banMaxMs ?? THREE_DAYS_MS;
  }

  get limit(): number {
    return this.options.limit;
  }

  set limit(value: number) {
    this.options.limit = value;
  }

  now(): number {
    return this.options.now();
  }

  admit(client: string, weight: number): Admission {
    const now = this.options.now();
    const state = this.stateOf(client, now);
    const ban = Math.max(state.bannedUntil, this.forcedBanUntil);
    if (now < ban) return banned(state.used, now, ban);
    if (now < state.retryUntil) {
      state.bans += 1;
      state.bannedUntil = now + Math.min(this.banMaxMs, this.banBaseMs * 2 ** (state.bans - 1));
      state.retryUntil = 0;
      return banned(state.used, now, state.bannedUntil);
    }
    state.used += weight;
    if (now < this.forced429Until) {
      state.retryUntil = this.forced429Until;
      return {
        outcome: 'rate-limited',
        used: state.used,
        retryAfterSeconds: secondsUntil(now, this.forced429Until),
      };
    }
    if (state.used > this.options.limit) {
      state.retryUntil = state.minute + ONE_MINUTE_MS;
      return {
        outcome: 'rate-limited',
        used: state.used,
        retryAfterSeconds: secondsUntil(now, state.retryUntil),
      };
    }
    return { outcome: 'ok', used: state.used };
  }

  /** Weight used by `client` in the current minute. */
  used(client: string): number {
    return this.stateOf(client, this.options.now()).used;
  }

  /** Every request gets 429 for `ms` (a call inside a 429's window still earns the 418). */
  force429(ms: number): void {
    this.forced429Until = this.options.now() + ms;
  }

  /** Every request gets 418 for `ms`. */
  forceBan(ms: number): void {
    this.forcedBanUntil = this.options.now() + ms;
  }

  /** Forget usage, pending Retry-After windows, bans and forced windows. */
  reset(): void {
    this.clients.clear();
    this.forced429Until = 0;
    this.forcedBanUntil = 0;
  }

  private stateOf(client: string, now: number): ClientState {
    const minute = Math.floor(now / ONE_MINUTE_MS) * ONE_MINUTE_MS;
    let state = this.clients.get(client);
    if (!state) {
      state = { minute, used: 0, retryUntil: 0, bannedUntil: 0, bans: 0 };
      this.clients.set(client, state);
    } else if (state.minute !== minute) {
      state.minute = minute;
      state.used = 0;
    }
    return state;
  }
}

function banned(used: number, now: number, until: number): Admission {
  return { outcome: 'banned', used, retryAfterSeconds: secondsUntil(now, until), bannedUntil: until };
}

function secondsUntil(now: number, until: number): number {
  return Math.max(1, Math.ceil((until - now) / 1000));
}
