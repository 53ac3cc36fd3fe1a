import { assertValidCandle } from '../candles/parse-binance-kline';
import type { Candle } from '../candles/candle.types';
import { timeframeToMs } from '../candles/timeframe';
import { InvalidEngineSnapshotError } from '../errors/invalid-engine-snapshot.error';
import { IndicatorSet, type IndicatorSetState } from '../indicators/indicator-set';
import type { Direction } from '../scoring/condition-key';
import { conditionMask, confidenceFromMask, weightVector } from '../scoring/condition-rules';
import { DEFAULT_ENGINE_CONFIG, type EngineConfig } from '../scoring/engine-config';
import { computeTradeLevels } from '../scoring/trade-levels';
import { LazyConditions } from './lazy-conditions';
import { checkPriceExit } from './price-exit';
import { buildSignal, type SignalChanges, type SignalFields } from './signal-builder';
import type { ClosedSignalStatus, EngineEvent, Signal } from './signal.types';

export interface SignalEngineOptions {
  readonly symbol: string;
  readonly timeframe: string;
  /** Must already be validated (validateEngineConfig / resolveEngineConfig). */
  readonly config?: EngineConfig;
}

interface ActiveSignal {
  /** Latest state as last emitted (its excursions as of then; best/worst are current). */
  signal: Signal;
  /** The breakdown `signal.conditions` reads, kept apart so copying a signal never formats it. */
  conditions: LazyConditions;
  /** Most favourable and most adverse prices seen since entry. */
  best: number;
  worst: number;
}

/** JSON-safe engine state: `SignalEngine.restore(JSON.parse(JSON.stringify(engine.snapshot())))`. */
export interface SignalEngineSnapshot {
  readonly format: 'signal-engine/1';
  readonly symbol: string;
  readonly timeframe: string;
  readonly lastOpenTime: number | null;
  readonly lastSignalCloseOpenTime: number | null;
  readonly candles: number;
  readonly ignoredCandles: number;
  readonly gaps: number;
  readonly indicators: IndicatorSetState;
  readonly active: { readonly signal: Signal; readonly best: number; readonly worst: number } | null;
}

export interface SignalEngineStats {
  /** Closed candles processed. */
  readonly candles: number;
  /** Late or duplicate closed candles that were ignored. */
  readonly ignoredCandles: number;
  /** Gaps detected (each resets the indicators). */
  readonly gaps: number;
}

/**
 * The signal lifecycle of one symbol + timeframe (DESIGN §6), pure and deterministic.
 *
 * Per closed candle, in this order: gap check → indicators → the active signal (price exit on
 * this candle's range, then INVALIDATED, then EXPIRED, all at this close, else an update) → a
 * new signal (only when none is active, the indicators are warm and the cooldown has passed).
 * Candles are keyed by open time: one older than or equal to the last processed is ignored.
 * A gap (missing candles) is reported as a `gap` event and resets the indicators, so nothing is
 * ever scored on stitched data; an active signal keeps being checked against prices and expiry
 * (expiry counts intervals, not candles received), but is not updated or invalidated until the
 * indicators are warm again.
 *
 * State survives a restart through `snapshot()` / `SignalEngine.restore()`; equivalently it can
 * be rebuilt by replaying the same closed candles from the same first candle.
 */
export class SignalEngine {
  readonly symbol: string;
  readonly timeframe: string;
  readonly intervalMs: number;
  readonly indicators = new IndicatorSet();
  private readonly config: EngineConfig;
  private readonly weights: Float64Array;
  private readonly invalidationThreshold: number;
  private active: ActiveSignal | null = null;
  private lastOpenTime: number | null = null;
  private lastSignalCloseOpenTime: number | null = null;
  private candleCount = 0;
  private ignoredCount = 0;
  private gapCount = 0;

  constructor(options: SignalEngineOptions) {
    this.symbol = options.symbol;
    this.timeframe = options.timeframe;
    this.intervalMs = timeframeToMs(options.timeframe);
    this.config = options.config ?? DEFAULT_ENGINE_CONFIG;
    this.weights = weightVector(this.config);
    this.invalidationThreshold = Math.round(this.config.invalidationRatio * this.config.minConfidence * 1e9) / 1e9;
  }

  get activeSignal(): Signal | null {
    return this.active === null ? null : buildSignal(this.active.signal, this.active.conditions, this.addExcursions(this.active, {}));
  }

  /** Open time of the last closed candle processed. */
  get lastCandleOpenTime(): number | null {
    return this.lastOpenTime;
  }

  get stats(): SignalEngineStats {
    return { candles: this.candleCount, ignoredCandles: this.ignoredCount, gaps: this.gapCount };
  }

  /** Feeds one CLOSED candle; returns the events it caused (often none). */
  onClosedCandle(candle: Candle): readonly EngineEvent[] {
    const last = this.lastOpenTime;
    if (last !== null && candle.openTime <= last) {
      this.ignoredCount++;
      return NO_EVENTS;
    }
    assertValidCandle(candle);
    let events: EngineEvent[] = NO_EVENTS;
    if (last !== null && candle.openTime !== last + this.intervalMs) {
      events = [
        {
          type: 'gap',
          symbol: this.symbol,
          timeframe: this.timeframe,
          expectedOpenTime: last + this.intervalMs,
          receivedOpenTime: candle.openTime,
          missingCandles: Math.max(0, Math.round((candle.openTime - last) / this.intervalMs) - 1),
        },
      ];
      this.gapCount++;
      this.indicators.reset();
    }
    this.lastOpenTime = candle.openTime;
    this.candleCount++;
    this.indicators.add(candle);
    if (this.active !== null) events = this.followActive(this.active, candle, events);
    if (this.active === null && this.mayCreate(candle)) events = this.tryCreate(candle, events);
    return events;
  }

  /**
   * Checks the active signal's stop and target against the still-open candle so far (its
   * open, high and low), so a hit is seen within a scan rather than a candle later. `at` is
   * the market time of the tick (e.g. the kline event time); it defaults to the candle's open
   * time. Only the candle right after the last closed one is accepted; anything else returns [].
   * Never touches the indicators: the open candle is not scored.
   */
  onOpenCandleTick(candle: Candle, at: number = candle.openTime): readonly EngineEvent[] {
    const active = this.active;
    if (active === null || this.lastOpenTime === null || candle.openTime !== this.lastOpenTime + this.intervalMs) {
      return NO_EVENTS;
    }
    const s = active.signal;
    const exit = checkPriceExit(s.direction, s.stopLoss, s.takeProfit, candle.open, candle.high, candle.low);
    if (exit === null) return NO_EVENTS;
    return [this.close(active, candle, exit.status, exit.price, at, candle.open, candle.high, candle.low)];
  }

  private mayCreate(candle: Candle): boolean {
    if (!this.indicators.isStable || !(this.indicators.atr > 0)) return false;
    const lastClose = this.lastSignalCloseOpenTime;
    return lastClose === null || (candle.openTime - lastClose) / this.intervalMs > this.config.cooldownCandles;
  }

  private tryCreate(candle: Candle, events: EngineEvent[]): EngineEvent[] {
    const set = this.indicators;
    const long = confidenceFromMask(conditionMask(set, this.config, 'LONG'), this.weights);
    const short = confidenceFromMask(conditionMask(set, this.config, 'SHORT'), this.weights);
    const min = this.config.minConfidence;
    let direction: Direction;
    if (long >= min && long > short) direction = 'LONG';
    else if (short >= min && short > long) direction = 'SHORT';
    else return events; // below the threshold, or an exact tie (ambiguous: no signal)
    const levels = computeTradeLevels(direction, candle.close, set.atr, this.config)!;
    const indicators = set.snapshot();
    const conditions = LazyConditions.capture(set, indicators, this.config, direction);
    const fields: SignalFields = {
      id: `${this.symbol}-${this.timeframe}-${candle.openTime}-${direction}`,
      symbol: this.symbol,
      timeframe: this.timeframe,
      direction,
      status: 'ACTIVE',
      confidence: direction === 'LONG' ? long : short,
      entryPrice: levels.entryPrice,
      stopLoss: levels.stopLoss,
      initialStopLoss: levels.stopLoss,
      takeProfit: levels.takeProfit,
      riskReward: levels.riskReward,
      indicators,
      candleOpenTime: candle.openTime,
      createdAt: candle.closeTime,
      updatedAt: candle.closeTime,
      closedAt: null,
      exitPrice: null,
      outcomeR: null,
      mfe: 0,
      mae: 0,
      mfeR: 0,
      maeR: 0,
      durationMs: null,
      durationCandles: null,
      version: 1,
    };
    const signal = buildSignal(fields, conditions, NO_CHANGES);
    this.active = { signal, conditions, best: candle.close, worst: candle.close };
    return append(events, { type: 'created', signal });
  }

  private followActive(active: ActiveSignal, candle: Candle, events: EngineEvent[]): EngineEvent[] {
    const s = active.signal;
    const exit = checkPriceExit(s.direction, s.stopLoss, s.takeProfit, candle.open, candle.high, candle.low);
    if (exit !== null) {
      return append(events, this.close(active, candle, exit.status, exit.price, candle.closeTime, candle.open, candle.high, candle.low));
    }
    this.track(active, candle.high, candle.low);
    const set = this.indicators;
    const warm = set.isStable;
    const confidence = warm ? confidenceFromMask(conditionMask(set, this.config, s.direction), this.weights) : s.confidence;
    const at = candle.closeTime;
    if (warm && confidence < this.invalidationThreshold) {
      return append(events, this.close(active, candle, 'INVALIDATED', candle.close, at, candle.close, candle.close, candle.close));
    }
    if (Math.round((candle.openTime - s.candleOpenTime) / this.intervalMs) >= this.config.expiryCandles) {
      return append(events, this.close(active, candle, 'EXPIRED', candle.close, at, candle.close, candle.close, candle.close));
    }
    let stopLoss = s.stopLoss;
    if (this.config.trailingStop && warm && set.atr > 0) {
      const trail = s.direction === 'LONG' ? candle.close - this.config.stopLossAtr * set.atr : candle.close + this.config.stopLossAtr * set.atr;
      if (s.direction === 'LONG' ? trail > stopLoss : trail < stopLoss) stopLoss = trail;
    }
    const stopMoved = stopLoss !== s.stopLoss;
    if (!stopMoved && !(Math.abs(confidence - s.confidence) >= this.config.updateThreshold)) return events;
    const indicators = warm ? set.snapshot() : s.indicators;
    if (warm) active.conditions = LazyConditions.capture(set, indicators, this.config, s.direction);
    const changes: SignalChanges = {
      confidence,
      stopLoss,
      indicators,
      updatedAt: at,
      version: s.version + 1,
    };
    const updated = buildSignal(s, active.conditions, this.addExcursions(active, changes));
    active.signal = updated;
    return append(events, { type: 'updated', signal: updated });
  }

  private track(active: ActiveSignal, high: number, low: number): void {
    if (active.signal.direction === 'LONG') {
      if (high > active.best) active.best = high;
      if (low < active.worst) active.worst = low;
    } else {
      if (low < active.best) active.best = low;
      if (high > active.worst) active.worst = high;
    }
  }

  /**
   * Closes the active signal. The exit candle's range counts toward the excursions only as far as
   * it was lived through: an SL exit ignores that candle's favourable extreme and caps the adverse
   * one at the exit; a TP exit caps the favourable one at the exit.
   */
  private close(
    active: ActiveSignal, candle: Candle, status: ClosedSignalStatus, exitPrice: number, at: number,
    open: number, high: number, low: number,
  ): EngineEvent {
    const s = active.signal;
    const long = s.direction === 'LONG';
    if (status === 'SL_HIT') {
      if (long) this.track(active, open, exitPrice);
      else this.track(active, exitPrice, open);
    } else if (status === 'TP_HIT') {
      // Exit at the open (a jump through the target) leaves no time for an adverse move.
      const jumped = exitPrice === open;
      if (long) this.track(active, exitPrice, jumped ? open : low);
      else this.track(active, jumped ? open : high, exitPrice);
    }
    const risk = Math.abs(s.entryPrice - s.initialStopLoss);
    const changes: SignalChanges = {
      status,
      exitPrice,
      outcomeR: ((long ? exitPrice - s.entryPrice : s.entryPrice - exitPrice) / risk),
      closedAt: at,
      updatedAt: at,
      durationMs: at - s.createdAt,
      durationCandles: Math.round((candle.openTime - s.candleOpenTime) / this.intervalMs),
      version: s.version + 1,
    };
    this.active = null;
    this.lastSignalCloseOpenTime = candle.openTime;
    return { type: 'closed', signal: buildSignal(s, active.conditions, this.addExcursions(active, changes)) };
  }

  /** Sets the excursions so far (from the best and worst prices seen) on `changes`. */
  private addExcursions(active: ActiveSignal, changes: SignalChanges): SignalChanges {
    const signal = active.signal;
    const long = signal.direction === 'LONG';
    const risk = Math.abs(signal.entryPrice - signal.initialStopLoss);
    const mfe = Math.max(0, long ? active.best - signal.entryPrice : signal.entryPrice - active.best);
    const mae = Math.max(0, long ? signal.entryPrice - active.worst : active.worst - signal.entryPrice);
    changes.mfe = mfe;
    changes.mae = mae;
    changes.mfeR = mfe / risk;
    changes.maeR = mae / risk;
    return changes;
  }

  snapshot(): SignalEngineSnapshot {
    return {
      format: 'signal-engine/1',
      symbol: this.symbol,
      timeframe: this.timeframe,
      lastOpenTime: this.lastOpenTime,
      lastSignalCloseOpenTime: this.lastSignalCloseOpenTime,
      candles: this.candleCount,
      ignoredCandles: this.ignoredCount,
      gaps: this.gapCount,
      indicators: this.indicators.getState(),
      active: this.active === null ? null : { signal: this.active.signal, best: this.active.best, worst: this.active.worst },
    };
  }

  static restore(snapshot: SignalEngineSnapshot, config: EngineConfig = DEFAULT_ENGINE_CONFIG): SignalEngine {
    if (snapshot?.format !== 'signal-engine/1') {
      throw new InvalidEngineSnapshotError(`unknown format ${JSON.stringify(snapshot?.format)}, expected "signal-engine/1"`);
    }
    const engine = new SignalEngine({ symbol: snapshot.symbol, timeframe: snapshot.timeframe, config });
    engine.lastOpenTime = snapshot.lastOpenTime;
    engine.lastSignalCloseOpenTime = snapshot.lastSignalCloseOpenTime;
    engine.candleCount = snapshot.candles;
    engine.ignoredCount = snapshot.ignoredCandles;
    engine.gapCount = snapshot.gaps;
    engine.indicators.setState(snapshot.indicators);
    const active = snapshot.active;
    engine.active =
      active === null
        ? null
        : { signal: active.signal, conditions: LazyConditions.of(active.signal.conditions, active.signal.direction), best: active.best, worst: active.worst };
    return engine;
  }
}

const NO_CHANGES: SignalChanges = Object.freeze({});
const NO_EVENTS: EngineEvent[] = [];
Object.freeze(NO_EVENTS);

function append(events: EngineEvent[], event: EngineEvent): EngineEvent[] {
  if (events === NO_EVENTS) return [event];
  events.push(event);
  return events;
}
