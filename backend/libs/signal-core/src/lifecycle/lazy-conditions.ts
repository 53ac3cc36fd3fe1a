import type { IndicatorSnapshot, ScoringValues } from '../indicators/indicator-values.types';
import type { Direction, HtfTrend, SignalCondition } from '../scoring/condition-key';
import type { EngineConfig } from '../scoring/engine-config';
import { scoreDirection } from '../scoring/score-candle';

const nan = (value: number | null): number => (value === null ? Number.NaN : value);

/** See LazyConditions.recipe. */
export type LazyConditionsRecipe =
  | { readonly conditions: readonly SignalCondition[] }
  | {
      readonly indicators: IndicatorSnapshot;
      readonly close: number;
      readonly haOpen: number;
      readonly haClose: number;
      readonly sinceBullishCross: number;
      readonly sinceBearishCross: number;
      /** The higher timeframe's EMA200 side it was scored with (absent = unknown). */
      readonly htfTrend?: HtfTrend;
    };

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
  private htfTrend: HtfTrend = null;

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
    htfTrend: HtfTrend = null,
  ): LazyConditions {
    const lazy = new LazyConditions(direction);
    lazy.indicators = indicators;
    lazy.config = config;
    lazy.htfTrend = htfTrend;
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

  /**
   * What rebuilds this breakdown elsewhere (e.g. on another thread, with `fromRecipe`) without
   * formatting it: the values it was captured from, or the breakdown once it has been formatted.
   */
  recipe(): LazyConditionsRecipe {
    if (this.value !== null) return { conditions: this.value };
    return {
      indicators: this.indicators!,
      close: this.close,
      haOpen: this.haOpen,
      haClose: this.haClose,
      sinceBullishCross: this.sinceBullishCross,
      sinceBearishCross: this.sinceBearishCross,
      ...(this.htfTrend === null ? {} : { htfTrend: this.htfTrend }),
    };
  }

  /** The breakdown a `recipe()` describes, for `direction` under `config` (the config it was captured with). */
  static fromRecipe(
    recipe: LazyConditionsRecipe,
    config: EngineConfig,
    direction: Direction,
  ): LazyConditions {
    if ('conditions' in recipe) return LazyConditions.of(recipe.conditions, direction);
    return LazyConditions.fromValues(
      recipe.indicators,
      recipe.close,
      recipe.haOpen,
      recipe.haClose,
      recipe.sinceBullishCross,
      recipe.sinceBearishCross,
      config,
      direction,
      recipe.htfTrend ?? null,
    );
  }

  /** fromRecipe without the recipe object (for unpacking many signals). */
  static fromValues(
    indicators: IndicatorSnapshot,
    close: number,
    haOpen: number,
    haClose: number,
    sinceBullishCross: number,
    sinceBearishCross: number,
    config: EngineConfig,
    direction: Direction,
    htfTrend: HtfTrend = null,
  ): LazyConditions {
    const lazy = new LazyConditions(direction);
    lazy.indicators = indicators;
    lazy.config = config;
    lazy.htfTrend = htfTrend;
    lazy.close = close;
    lazy.haOpen = haOpen;
    lazy.haClose = haClose;
    lazy.sinceBullishCross = sinceBullishCross;
    lazy.sinceBearishCross = sinceBearishCross;
    return lazy;
  }

  get(): readonly SignalCondition[] {
    if (this.value === null) {
      this.value = scoreDirection(
        this.scoringValues(),
        this.config!,
        this.direction,
        this.htfTrend,
      ).conditions;
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
