import type { IndicatorSnapshot, ScoringValues } from '../indicators/indicator-values.types';
import type { Direction, SignalCondition } from '../scoring/condition-key';
import type { EngineConfig } from '../scoring/engine-config';
import { scoreDirection } from '../scoring/score-candle';

const nan = (value: number | null): number => (value === null ? Number.NaN : value);

/**
 * A signal's condition breakdown, built on first read. Formatting the eight detail strings costs
 * more than a candle's indicators and scoring together, and a backtest reads almost none of them,
 * so the engine keeps only the values behind them: the signal's indicator snapshot plus the five
 * other numbers the rules read. Signals that share a breakdown (an update without rescoring, a
 * close) share one instance.
 */
export class LazyConditions {
  private value: readonly SignalCondition[] | null = null;
  private indicators: IndicatorSnapshot | null = null;
  private config: EngineConfig | null = null;
  private close = 0;
  private haOpen = 0;
  private haClose = 0;
  private sinceBullishCross = 0;
  private sinceBearishCross = 0;

  private constructor(private readonly direction: Direction) {}

  /**
   * The breakdown of `direction` as of now: `indicators` must be `set.snapshot()` taken now
   * (the set itself moves on, so the remaining values are copied).
   */
  static capture(
    set: ScoringValues,
    indicators: IndicatorSnapshot,
    config: EngineConfig,
    direction: Direction,
  ): LazyConditions {
    const lazy = new LazyConditions(direction);
    lazy.indicators = indicators;
    lazy.config = config;
    lazy.close = set.close;
    lazy.haOpen = set.haOpen;
    lazy.haClose = set.haClose;
    lazy.sinceBullishCross = set.candlesSinceBullishCross;
    lazy.sinceBearishCross = set.candlesSinceBearishCross;
    return lazy;
  }

  /** An already materialised breakdown (e.g. from a restored snapshot). */
  static of(conditions: readonly SignalCondition[], direction: Direction): LazyConditions {
    const lazy = new LazyConditions(direction);
    lazy.value = conditions;
    return lazy;
  }

  get(): readonly SignalCondition[] {
    if (this.value === null) {
      this.value = scoreDirection(this.scoringValues(), this.config!, this.direction).conditions;
      this.indicators = null;
    }
    return this.value;
  }

  private scoringValues(): ScoringValues {
    const i = this.indicators!;
    return {
      close: this.close,
      rsi: nan(i.rsi),
      macd: nan(i.macd),
      macdSignal: nan(i.macdSignal),
      macdHistogram: nan(i.macdHistogram),
      ema9: nan(i.ema9),
      ema21: nan(i.ema21),
      ema50: nan(i.ema50),
      ema200: nan(i.ema200),
      atr: nan(i.atr),
      adx: nan(i.adx),
      plusDi: nan(i.plusDi),
      minusDi: nan(i.minusDi),
      bbUpper: nan(i.bbUpper),
      bbMiddle: nan(i.bbMiddle),
      bbLower: nan(i.bbLower),
      haOpen: this.haOpen,
      haClose: this.haClose,
      candlesSinceBullishCross: this.sinceBullishCross,
      candlesSinceBearishCross: this.sinceBearishCross,
    };
  }
}
