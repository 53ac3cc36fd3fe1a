import { assertValidCandle } from '../candles/parse-binance-kline';
import type { Candle } from '../candles/candle.types';
import { timeframeToMs } from '../candles/timeframe';
import { InvalidCancellationError } from '../errors/invalid-cancellation.error';
import { InvalidEngineSnapshotError } from '../errors/invalid-engine-snapshot.error';
import { IndicatorSet } from '../indicators/indicator-set';
import type { Direction, HtfTrend } from '../scoring/condition-key';
import { conditionMask, confidenceFromMask, weightVector } from '../scoring/condition-rules';
import { DEFAULT_ENGINE_CONFIG, type EngineConfig } from '../scoring/engine-config';
import { computeTradeLevels } from '../scoring/trade-levels';
import { ActiveSignal } from './active-signal';
import { LazyConditions } from './lazy-conditions';
import { checkPriceExit, type PriceExit } from './price-exit';
import { withLaterFields, type SignalEngineSnapshot, type SignalEngineStats } from './engine-snapshot';
import { decideSameCandle, touchesBoth, type FineCandleSource } from './same-candle';
import { buildSignal, type SignalChanges, type SignalFields } from './signal-builder';
import type { ClosedSignalStatus, EngineEvent, SameCandleResolution, Signal } from './signal.types';
import { tradeR } from './trade-costs';

export interface SignalEngineOptions {
  readonly symbol: string;
  readonly timeframe: string;
  /** Must already be validated (validateEngineConfig / resolveEngineConfig). */
  readonly config?: EngineConfig;
  /** Finer candles for a candle that touched both levels; without it such a candle is an SL. */
  readonly fineCandles?: FineCandleSource;
}

/**
 * What the caller knows about a closed candle beyond the candle itself (all optional). `htfTrend`: the
 * EMA200 side of the next higher scanned timeframe's last candle closed by this candle's close (the
 * optional `htf_trend` condition; it counts only while its weight is > 0). The engine fetches nothing.
 */
export interface CandleContext {
  readonly htfTrend?: HtfTrend;
}

const NO_CONTEXT: CandleContext = Object.freeze({});

/**
 * The signal lifecycle of one symbol + timeframe (DESIGN §6), pure and deterministic.
 *
 * Per closed candle, in this order: gap check → indicators → the active signal (EXPIRED at this
 * open if its life ended in a hole before it; else price exit on this candle's range, then
 * INVALIDATED, then EXPIRED, all at this close, else an update) → a new signal (only when none is
 * active, the indicators are warm and the cooldown has passed). A candle touching both levels is
 * decided by the caller's finer candles where it has them, else as SL (`resolution`). Every
 * close carries gross and net R (costs: feeBps + slippageBps per side); `cancelActive` closes
 * outside these rules (CANCELLED, at the caller's price).
 * Candles are keyed by open time: one older than or equal to the last processed is ignored.
 *
 * Gaps (a hole in the exchange's candles, e.g. a trading halt) are facts, handled the same live and
 * in a backtest: a `gap` event, and the indicators restart their warm-up, so nothing is ever scored
 * on stitched data. An active signal is judged only on candles that traded: its life
 * (expiryCandles, counted in interval time from its trigger candle) may end inside the hole, and
 * then it EXPIRES at the first candle after the hole, at that candle's open price and open time;
 * otherwise that candle's stop and target are judged as usual (a jump through a level exits at the
 * open). It is not updated or invalidated until the indicators are warm again.
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
  private readonly fineCandles: FineCandleSource | null;
  private active: ActiveSignal | null = null;
  private lastOpenTime: number | null = null;
  private lastSignalCloseOpenTime: number | null = null;
  private candleCount = 0;
  private ignoredCount = 0;
  private gapCount = 0;
  /** The current candle's higher-timeframe trend (CandleContext), while it is processed. */
  private htfTrend: HtfTrend = null;

  constructor(options: SignalEngineOptions) {
    this.symbol = options.symbol;
    this.timeframe = options.timeframe;
    this.intervalMs = timeframeToMs(options.timeframe);
    this.config = options.config ?? DEFAULT_ENGINE_CONFIG;
    this.weights = weightVector(this.config);
    this.invalidationThreshold =
      Math.round(this.config.invalidationRatio * this.config.minConfidence * 1e9) / 1e9;
    this.fineCandles = options.fineCandles ?? null;
  }

  get activeSignal(): Signal | null {
    return this.active === null
      ? null
      : buildSignal(this.active.signal, this.active.conditions, this.active.withExcursions({}));
  }

  /** Open time of the last closed candle processed. */
  get lastCandleOpenTime(): number | null {
    return this.lastOpenTime;
  }

  get stats(): SignalEngineStats {
    return { candles: this.candleCount, ignoredCandles: this.ignoredCount, gaps: this.gapCount };
  }

  /** Feeds one CLOSED candle (with what the caller knows about it, see CandleContext); returns the events it caused (often none). */
  onClosedCandle(candle: Candle, context: CandleContext = NO_CONTEXT): readonly EngineEvent[] {
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
    this.htfTrend = context.htfTrend ?? null;
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
    if (
      active === null ||
      this.lastOpenTime === null ||
      candle.openTime !== this.lastOpenTime + this.intervalMs
    ) {
      return NO_EVENTS;
    }
    const s = active.signal;
    const exit = checkPriceExit(s.direction, s.stopLoss, s.takeProfit, candle.open, candle.high, candle.low);
    if (exit === null) return NO_EVENTS;
    return [this.closeAtLevel(active, candle, exit, at)];
  }

  /**
   * Closes the active signal as CANCELLED at `price` (the last traded price) and market time `at`,
   * for a reason outside the market rules (symbol delisted, halted, gone from the universe).
   * Returns the `closed` event, or [] when nothing is active. Throws InvalidCancellationError for a
   * price that is not a positive number, a time before the signal's creation, or an empty reason.
   */
  cancelActive(price: number, at: number, reason: string): readonly EngineEvent[] {
    const active = this.active;
    if (active === null) return NO_EVENTS;
    const s = active.signal;
    if (!(price > 0) || !Number.isFinite(price)) {
      throw new InvalidCancellationError(s.id, `price must be a positive number, got ${price}`);
    }
    if (!Number.isSafeInteger(at) || at < s.createdAt) {
      throw new InvalidCancellationError(
        s.id,
        `time ${at} must be an epoch-ms integer at or after its creation (${s.createdAt})`,
      );
    }
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new InvalidCancellationError(s.id, 'a reason is required');
    }
    const slots = Math.floor((at - s.candleOpenTime) / this.intervalMs);
    active.track(price, price);
    return [
      this.close(active, s.candleOpenTime + slots * this.intervalMs, 'CANCELLED', price, at, reason.trim()),
    ];
  }

  private mayCreate(candle: Candle): boolean {
    if (!this.indicators.isStable || !(this.indicators.atr > 0)) return false;
    const lastClose = this.lastSignalCloseOpenTime;
    return (
      lastClose === null || (candle.openTime - lastClose) / this.intervalMs > this.config.cooldownCandles
    );
  }

  private tryCreate(candle: Candle, events: EngineEvent[]): EngineEvent[] {
    const set = this.indicators;
    const longMask = conditionMask(set, this.config, 'LONG', this.htfTrend);
    const shortMask = conditionMask(set, this.config, 'SHORT', this.htfTrend);
    const long = confidenceFromMask(longMask, this.weights);
    const short = confidenceFromMask(shortMask, this.weights);
    const min = this.config.minConfidence;
    let direction: Direction;
    if (long >= min && long > short) direction = 'LONG';
    else if (short >= min && short > long) direction = 'SHORT';
    else return events; // below the threshold, or an exact tie (ambiguous: no signal)
    const levels = computeTradeLevels(direction, candle.close, set.atr, this.config)!;
    const indicators = set.snapshot();
    const conditions = LazyConditions.capture(set, indicators, this.config, direction, this.htfTrend);
    const fields: SignalFields = {
      id: `${this.symbol}-${this.timeframe}-${candle.openTime}-${direction}`,
      symbol: this.symbol,
      timeframe: this.timeframe,
      direction,
      status: 'ACTIVE',
      confidence: direction === 'LONG' ? long : short,
      initialConfidence: direction === 'LONG' ? long : short,
      initialConditionMask: direction === 'LONG' ? longMask : shortMask,
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
      grossR: null,
      netR: null,
      resolution: null,
      closeReason: null,
      mfe: 0,
      mae: 0,
      mfeR: 0,
      maeR: 0,
      durationMs: null,
      durationCandles: null,
      version: 1,
    };
    const signal = buildSignal(fields, conditions, NO_CHANGES);
    this.active = new ActiveSignal(signal, conditions, candle.close, candle.close);
    return append(events, { type: 'created', signal });
  }

  private followActive(active: ActiveSignal, candle: Candle, events: EngineEvent[]): EngineEvent[] {
    const s = active.signal;
    // The candle at whose close it would have expired is missing (a hole): it died before this open.
    if (s.candleOpenTime + this.config.expiryCandles * this.intervalMs < candle.openTime) {
      active.track(candle.open, candle.open);
      return append(events, this.close(active, candle.openTime, 'EXPIRED', candle.open, candle.openTime));
    }
    const exit = checkPriceExit(s.direction, s.stopLoss, s.takeProfit, candle.open, candle.high, candle.low);
    if (exit !== null) return append(events, this.closeAtLevel(active, candle, exit, candle.closeTime));
    active.track(candle.high, candle.low);
    const set = this.indicators;
    const warm = set.isStable;
    const confidence = warm
      ? confidenceFromMask(conditionMask(set, this.config, s.direction, this.htfTrend), this.weights)
      : s.confidence;
    const at = candle.closeTime;
    if (warm && confidence < this.invalidationThreshold) {
      return append(events, this.close(active, candle.openTime, 'INVALIDATED', candle.close, at));
    }
    if (Math.round((candle.openTime - s.candleOpenTime) / this.intervalMs) >= this.config.expiryCandles) {
      return append(events, this.close(active, candle.openTime, 'EXPIRED', candle.close, at));
    }
    let stopLoss = s.stopLoss;
    if (this.config.trailingStop && warm && set.atr > 0) {
      const trail =
        s.direction === 'LONG'
          ? candle.close - this.config.stopLossAtr * set.atr
          : candle.close + this.config.stopLossAtr * set.atr;
      if (s.direction === 'LONG' ? trail > stopLoss : trail < stopLoss) stopLoss = trail;
    }
    const stopMoved = stopLoss !== s.stopLoss;
    if (!stopMoved && !(Math.abs(confidence - s.confidence) >= this.config.updateThreshold)) return events;
    const indicators = warm ? set.snapshot() : s.indicators;
    if (warm)
      active.conditions = LazyConditions.capture(set, indicators, this.config, s.direction, this.htfTrend);
    const changes: SignalChanges = {
      confidence,
      stopLoss,
      indicators,
      updatedAt: at,
      version: s.version + 1,
    };
    const updated = buildSignal(s, active.conditions, active.withExcursions(changes));
    active.signal = updated;
    return append(events, { type: 'updated', signal: updated });
  }

  /**
   * Closes the active signal at a price level `exit` reached on `candle` (closed, or open so far).
   * A candle that touched both levels is decided by finer candles when the caller has them, else
   * as SL. The exit candle's range counts toward the excursions only as far as it was lived
   * through: an SL exit ignores that candle's favourable extreme and caps the adverse one at the
   * exit; a TP exit caps the favourable one at the exit.
   */
  private closeAtLevel(active: ActiveSignal, candle: Candle, exit: PriceExit, at: number): EngineEvent {
    const s = active.signal;
    let { high, low } = candle;
    let resolution: SameCandleResolution | undefined;
    // Ambiguous only when the stop was touched inside the candle (not at its open) and so was the target.
    if (
      exit.status === 'SL_HIT' &&
      exit.price === s.stopLoss &&
      candle.open !== s.stopLoss &&
      touchesBoth(s.direction, s.stopLoss, s.takeProfit, high, low)
    ) {
      const span = {
        symbol: this.symbol,
        timeframe: this.timeframe,
        openTime: candle.openTime,
        closeTime: candle.openTime + this.intervalMs - 1,
      };
      const decision = decideSameCandle(
        s.direction,
        s.stopLoss,
        s.takeProfit,
        span,
        candle,
        this.fineCandles?.(span) ?? null,
      );
      exit = decision.exit;
      resolution = decision.resolution;
      high = decision.high;
      low = decision.low;
    }
    active.trackExit(exit, candle.open, high, low);
    return this.close(active, candle.openTime, exit.status, exit.price, at, undefined, resolution);
  }

  /** Closes the active signal; `slotOpenTime` is the open time of the candle it closed on (cooldown, duration). */
  private close(
    active: ActiveSignal,
    slotOpenTime: number,
    status: ClosedSignalStatus,
    exitPrice: number,
    at: number,
    closeReason?: string,
    resolution?: SameCandleResolution,
  ): EngineEvent {
    const s = active.signal;
    const { grossR, netR } = tradeR(
      s.direction,
      s.entryPrice,
      s.initialStopLoss,
      exitPrice,
      this.config.feeBps,
      this.config.slippageBps,
    );
    const changes: SignalChanges = {
      status,
      exitPrice,
      outcomeR: grossR,
      netR,
      resolution,
      closeReason,
      closedAt: at,
      updatedAt: at,
      durationMs: at - s.createdAt,
      durationCandles: Math.round((slotOpenTime - s.candleOpenTime) / this.intervalMs),
      version: s.version + 1,
    };
    this.active = null;
    this.lastSignalCloseOpenTime = slotOpenTime;
    return { type: 'closed', signal: buildSignal(s, active.conditions, active.withExcursions(changes)) };
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
      active:
        this.active === null
          ? null
          : { signal: this.active.signal, best: this.active.best, worst: this.active.worst },
    };
  }

  /** `options` carries what is not state (the fine-candle source); symbol and timeframe come from the snapshot. */
  static restore(
    snapshot: SignalEngineSnapshot,
    config: EngineConfig = DEFAULT_ENGINE_CONFIG,
    options: { fineCandles?: FineCandleSource } = {},
  ): SignalEngine {
    if (snapshot?.format !== 'signal-engine/1') {
      throw new InvalidEngineSnapshotError(
        `unknown format ${JSON.stringify(snapshot?.format)}, expected "signal-engine/1"`,
      );
    }
    const engine = new SignalEngine({
      symbol: snapshot.symbol,
      timeframe: snapshot.timeframe,
      config,
      fineCandles: options.fineCandles,
    });
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
        : new ActiveSignal(
            withLaterFields(active.signal),
            LazyConditions.of(active.signal.conditions, active.signal.direction),
            active.best,
            active.worst,
          );
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
