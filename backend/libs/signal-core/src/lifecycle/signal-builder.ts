import type { IndicatorSnapshot } from '../indicators/indicator-values.types';
import type { SignalCondition } from '../scoring/condition-key';
import type { LazyConditions } from './lazy-conditions';
import type { SameCandleResolution, Signal, SignalStatus } from './signal.types';

/**
 * What a lifecycle step may change on a signal; everything else is carried over. A change with a
 * `status` is a close and carries every close field (closedAt, exitPrice, outcomeR, netR,
 * durationMs, durationCandles; resolution and closeReason where they apply): the builder reads
 * those only then, because reading absent properties is what an update's construction costs most.
 */
export interface SignalChanges {
  status?: SignalStatus;
  confidence?: number;
  stopLoss?: number;
  indicators?: IndicatorSnapshot;
  updatedAt?: number;
  closedAt?: number;
  exitPrice?: number;
  outcomeR?: number;
  netR?: number;
  resolution?: SameCandleResolution;
  closeReason?: string;
  mfe?: number;
  mae?: number;
  mfeR?: number;
  maeR?: number;
  durationMs?: number;
  durationCandles?: number;
  version?: number;
}

/** A signal's fields apart from its breakdown. */
export type SignalFields = Omit<Signal, 'conditions'>;

/**
 * The Signal objects the engine emits. `conditions` is an own, enumerable, read-only accessor
 * (spreading, JSON and equality all see the array) that formats the breakdown on first read.
 * A shared descriptor and a private slot keep construction cheap: an object literal with a
 * getter costs several microseconds in V8, this a few hundred nanoseconds.
 */
class EngineSignal implements Signal {
  static readonly #conditionsDescriptor: PropertyDescriptor = {
    get(this: EngineSignal) {
      return this.#conditions.get();
    },
    enumerable: true,
    configurable: false,
  };
  readonly #conditions: LazyConditions;
  /** The breakdown behind an engine-built signal; null for any other object. */
  static conditionsOf(signal: object): LazyConditions | null {
    return #conditions in signal ? (signal as EngineSignal).#conditions : null;
  }
  readonly id: string;
  readonly symbol: string;
  readonly timeframe: string;
  readonly direction: Signal['direction'];
  readonly status: SignalStatus;
  readonly confidence: number;
  readonly initialConfidence: number;
  readonly initialConditionMask: number;
  readonly entryPrice: number;
  readonly stopLoss: number;
  readonly initialStopLoss: number;
  readonly takeProfit: number;
  readonly riskReward: number;
  declare readonly conditions: readonly SignalCondition[];
  readonly indicators: IndicatorSnapshot;
  readonly candleOpenTime: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly closedAt: number | null;
  readonly exitPrice: number | null;
  readonly outcomeR: number | null;
  readonly grossR: number | null;
  readonly netR: number | null;
  readonly resolution: SameCandleResolution | null;
  readonly closeReason: string | null;
  readonly mfe: number;
  readonly mae: number;
  readonly mfeR: number;
  readonly maeR: number;
  readonly durationMs: number | null;
  readonly durationCandles: number | null;
  readonly version: number;

  constructor(base: SignalFields, conditions: LazyConditions, changes: SignalChanges) {
    this.#conditions = conditions;
    this.id = base.id;
    this.symbol = base.symbol;
    this.timeframe = base.timeframe;
    this.direction = base.direction;
    this.status = changes.status ?? base.status;
    this.confidence = changes.confidence ?? base.confidence;
    this.initialConfidence = base.initialConfidence;
    this.initialConditionMask = base.initialConditionMask;
    this.entryPrice = base.entryPrice;
    this.stopLoss = changes.stopLoss ?? base.stopLoss;
    this.initialStopLoss = base.initialStopLoss;
    this.takeProfit = base.takeProfit;
    this.riskReward = base.riskReward;
    Object.defineProperty(this, 'conditions', EngineSignal.#conditionsDescriptor);
    this.indicators = changes.indicators ?? base.indicators;
    this.candleOpenTime = base.candleOpenTime;
    this.createdAt = base.createdAt;
    this.updatedAt = changes.updatedAt ?? base.updatedAt;
    const close = changes.status === undefined ? null : changes;
    this.closedAt = close === null ? base.closedAt : (close.closedAt ?? base.closedAt);
    this.exitPrice = close === null ? base.exitPrice : (close.exitPrice ?? base.exitPrice);
    this.outcomeR = close === null ? base.outcomeR : (close.outcomeR ?? base.outcomeR);
    this.grossR = close === null ? base.grossR : (close.outcomeR ?? base.grossR);
    this.netR = close === null ? base.netR : (close.netR ?? base.netR);
    this.resolution = close === null ? base.resolution : (close.resolution ?? base.resolution);
    this.closeReason = close === null ? base.closeReason : (close.closeReason ?? base.closeReason);
    this.mfe = changes.mfe ?? base.mfe;
    this.mae = changes.mae ?? base.mae;
    this.mfeR = changes.mfeR ?? base.mfeR;
    this.maeR = changes.maeR ?? base.maeR;
    this.durationMs = close === null ? base.durationMs : (close.durationMs ?? base.durationMs);
    this.durationCandles =
      close === null ? base.durationCandles : (close.durationCandles ?? base.durationCandles);
    this.version = changes.version ?? base.version;
  }
}

/**
 * A new immutable Signal from `base` and `changes`, its breakdown read through `conditions`.
 * Never spread a Signal inside the engine: that would format the breakdown of every signal.
 */
export function buildSignal(base: SignalFields, conditions: LazyConditions, changes: SignalChanges): Signal {
  return new EngineSignal(base, conditions, changes);
}

/**
 * The lazy breakdown behind a signal this module built (null for a plain object, e.g. a spread or
 * deserialised copy): what lets a signal cross a thread without formatting its conditions.
 */
export function lazyConditionsOf(signal: Signal): LazyConditions | null {
  return EngineSignal.conditionsOf(signal);
}
