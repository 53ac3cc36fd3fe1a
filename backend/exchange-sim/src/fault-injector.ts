import { KlineInterval } from './intervals';
import { SeededRandom } from './prng';
import { MarketFaultSettings, validateMarketFaults } from './market-faults';
import { RequestWeightLimiter } from './request-weight-limiter';
import { StreamFaultSettings } from './streams/stream-faults';

/**
 * 5xx answers: `internal` = HTTP 500 -1001, `busy` = HTTP 503 -1008 (Binance JSON bodies);
 * `bad-gateway` = HTTP 502 and `unavailable` = HTTP 503 with the HTML a proxy in front would send.
 */
export const SERVER_ERROR_KINDS = ['internal', 'busy', 'bad-gateway', 'unavailable'] as const;
export type ServerErrorKind = (typeof SERVER_ERROR_KINDS)[number];

export const BAD_ROW_KINDS = ['non-numeric', 'high-below-low', 'negative-volume', 'missing-field'] as const;
export type BadRowKind = (typeof BAD_ROW_KINDS)[number];

/** Corrupts one row of the klines responses of `symbol` (all intervals unless `interval`). */
export interface BadRowFault {
  symbol: string;
  interval?: KlineInterval;
  kind: BadRowKind;
  /** Served open time of the row to corrupt; default: the newest closed row of each response. */
  openTime?: number;
}

/** Drops one candle from the klines responses of `symbol`. */
export interface GapFault {
  symbol: string;
  interval?: KlineInterval;
  /** Served open time of the candle to drop; default: the newest closed row of each response. */
  openTime?: number;
}

/** Response faults (below), market faults (holes, halts, symbol events, clock offset) and stream faults. */
export interface FaultSettings extends MarketFaultSettings, StreamFaultSettings {
  /** Seed of the PRNG behind every random choice below. */
  seed: number;
  latencyMs: number;
  /** Latency is uniform in latencyMs ± jitterMs (never below 0). */
  jitterMs: number;
  /** Chance per request of a 5xx. */
  errorRate: number;
  /** Which 5xx answers errorRate draws from (uniformly). */
  errorKinds: ServerErrorKind[];
  /** Chance per request of a hang. */
  hangRate: number;
  /** A hang answers after this many ms; null = never answers (until the client gives up or the sim closes). */
  hangMs: number | null;
  /** Chance per request of HTTP 200 with a truncated JSON body. */
  malformedRate: number;
  /** Random faults (error, hang, malformed) hit only these paths, e.g. ['/api/v3/klines']; default all. */
  endpoints?: string[];
  badRows: BadRowFault[];
  gaps: GapFault[];
}

export type ScriptedFault = ServerErrorKind | 'hang' | 'malformed';

export type RequestFault =
  | { kind: 'none' }
  | { kind: 'error'; error: ServerErrorKind }
  | { kind: 'hang'; delayMs: number | null }
  | { kind: 'malformed' };

export const NO_FAULTS: FaultSettings = {
  seed: 1,
  latencyMs: 0,
  jitterMs: 0,
  errorRate: 0,
  errorKinds: [...SERVER_ERROR_KINDS],
  hangRate: 0,
  hangMs: null,
  malformedRate: 0,
  badRows: [],
  gaps: [],
  holes: [],
  halts: [],
  symbolEvents: [],
  clockOffsetMs: 0,
  streamStalls: [],
  skippedFinals: [],
  connectionDrops: [],
};

/**
 * Runtime-settable faults. Every request draws the same number of values from one seeded PRNG, so a
 * given seed and request order always give the same latencies and faults.
 */
export class FaultInjector {
  private current: FaultSettings;
  private random: SeededRandom;
  private readonly scripted: ScriptedFault[] = [];

  constructor(
    initial: Partial<FaultSettings>,
    private readonly limiter: RequestWeightLimiter,
  ) {
    validateMarketFaults(initial);
    this.current = { ...NO_FAULTS, ...initial };
    this.random = new SeededRandom(this.current.seed);
  }

  get settings(): Readonly<FaultSettings> {
    return this.current;
  }

  /** Changes some settings; a new `seed` restarts the random sequence. */
  set(changes: Partial<FaultSettings>): void {
    validateMarketFaults(changes);
    this.current = { ...this.current, ...changes };
    if (changes.seed !== undefined) this.random = new SeededRandom(changes.seed);
  }

  /** Back to no faults (same seed, sequence restarted); also clears scripted and forced faults. */
  reset(): void {
    this.current = { ...NO_FAULTS, seed: this.current.seed };
    this.random = new SeededRandom(this.current.seed);
    this.scripted.length = 0;
    this.limiter.reset();
  }

  /** The next `count` requests (any endpoint) get `fault`, before any random fault. */
  failNext(fault: ScriptedFault, count = 1): void {
    for (let i = 0; i < count; i++) this.scripted.push(fault);
  }

  /** 429 for every request for `ms` (calling on inside it earns a 418 ban). */
  force429(ms: number): void {
    this.limiter.force429(ms);
  }

  /** 418 for every request for `ms`. */
  forceBan(ms: number): void {
    this.limiter.forceBan(ms);
  }

  /** Draws this request's latency and fault. */
  decide(path: string): { latencyMs: number; fault: RequestFault } {
    const s = this.current;
    const jitterDraw = this.random.next();
    const errorDraw = this.random.next();
    const kindDraw = this.random.next();
    const hangDraw = this.random.next();
    const malformedDraw = this.random.next();
    const latencyMs = Math.max(0, s.latencyMs + s.jitterMs * (2 * jitterDraw - 1));
    const scripted = this.scripted.shift();
    if (scripted) return { latencyMs, fault: toFault(scripted, s) };
    if (s.endpoints && !s.endpoints.includes(path)) return { latencyMs, fault: { kind: 'none' } };
    if (errorDraw < s.errorRate && s.errorKinds.length > 0) {
      const error = s.errorKinds[Math.floor(kindDraw * s.errorKinds.length)]!;
      return { latencyMs, fault: { kind: 'error', error } };
    }
    if (hangDraw < s.hangRate) return { latencyMs, fault: { kind: 'hang', delayMs: s.hangMs } };
    if (malformedDraw < s.malformedRate) return { latencyMs, fault: { kind: 'malformed' } };
    return { latencyMs, fault: { kind: 'none' } };
  }

  badRowsFor(symbol: string, interval: KlineInterval): BadRowFault[] {
    return this.current.badRows.filter(
      (f) => f.symbol === symbol && (!f.interval || f.interval === interval),
    );
  }

  gapsFor(symbol: string, interval: KlineInterval): GapFault[] {
    return this.current.gaps.filter((f) => f.symbol === symbol && (!f.interval || f.interval === interval));
  }
}

function toFault(fault: ScriptedFault, s: FaultSettings): RequestFault {
  if (fault === 'hang') return { kind: 'hang', delayMs: s.hangMs };
  if (fault === 'malformed') return { kind: 'malformed' };
  return { kind: 'error', error: fault };
}
