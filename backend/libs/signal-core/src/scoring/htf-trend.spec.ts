import { InvalidEngineConfigError } from '../errors/invalid-engine-config.error';
import { IndicatorSet } from '../indicators/indicator-set';
import { lazyConditionsOf } from '../lifecycle/signal-builder';
import { LazyConditions } from '../lifecycle/lazy-conditions';
import { SignalEngine, type CandleContext } from '../lifecycle/signal-engine';
import type { EngineEvent, Signal } from '../lifecycle/signal.types';
import { trendCandles } from '../testing/synthetic-candles';
import type { HtfTrend } from './condition-key';
import { DEFAULT_ENGINE_CONFIG } from './engine-config';
import { scoreCandle } from './score-candle';
import { resolveEngineConfig, validateEngineConfig } from './validate-engine-config';

/** htf_trend worth 10, taken from macd_cross (the sum stays 100). */
const WITH_HTF = resolveEngineConfig({ weights: { macd_cross: 10, htf_trend: 10 } });

function run(config: typeof DEFAULT_ENGINE_CONFIG, htfTrend: HtfTrend | undefined): EngineEvent[] {
  const engine = new SignalEngine({ symbol: 'BTCUSDT', timeframe: '5m', config });
  const context: CandleContext | undefined = htfTrend === undefined ? undefined : { htfTrend };
  return trendCandles(300).flatMap((candle) => [...engine.onClosedCandle(candle, context)]);
}

const created = (events: EngineEvent[]): Signal[] =>
  events.filter((e) => e.type === 'created').map((e) => (e as { signal: Signal }).signal);

describe('optional condition htf_trend', () => {
  const warm = new IndicatorSet();
  for (const candle of trendCandles(300)) warm.add(candle);

  it('is off by default: the same eight conditions and confidences whatever the higher timeframe says', () => {
    const plain = scoreCandle(warm, DEFAULT_ENGINE_CONFIG);
    for (const htf of ['above', 'below', null] as const)
      expect(scoreCandle(warm, DEFAULT_ENGINE_CONFIG, htf)).toEqual(plain);
    expect(plain.long.conditions.map((c) => c.key)).not.toContain('htf_trend');
    // The engine too: the same events, breakdowns included, with or without the context.
    expect(JSON.stringify(run(DEFAULT_ENGINE_CONFIG, 'below'))).toBe(
      JSON.stringify(run(DEFAULT_ENGINE_CONFIG, undefined)),
    );
  });

  it('with a weight, counts for the side the higher timeframe is on, and is listed after the eight', () => {
    const above = scoreCandle(warm, WITH_HTF, 'above');
    const unknown = scoreCandle(warm, WITH_HTF, null);
    const below = scoreCandle(warm, WITH_HTF, 'below');
    expect(above.long.confidence).toBe(unknown.long.confidence + 10);
    expect(above.short.confidence).toBe(unknown.short.confidence);
    expect(below.short.confidence).toBe(unknown.short.confidence + 10);
    expect(below.long.confidence).toBe(unknown.long.confidence);
    expect(above.long.conditions).toHaveLength(9);
    expect(above.long.conditions[8]).toEqual({
      key: 'htf_trend',
      met: true,
      weight: 10,
      detail: 'higher timeframe close above its EMA200; above required',
    });
    expect(unknown.long.conditions[8]).toMatchObject({ key: 'htf_trend', met: false });
    expect(unknown.long.conditions[8].detail).toContain('unknown');
    // Confidence is the sum of the weights met, as for the eight.
    const sum = above.long.conditions.filter((c) => c.met).reduce((s, c) => s + c.weight, 0);
    expect(above.long.confidence).toBe(sum);
  });

  it('in the engine: a LONG signal scores the higher timeframe it was given, breakdown included', () => {
    const [withTrend] = created(run(WITH_HTF, 'above'));
    const [without] = created(run(WITH_HTF, null));
    expect(withTrend.direction).toBe('LONG');
    expect(withTrend.confidence).toBe(90);
    expect(without.confidence).toBe(80);
    expect(withTrend.conditions.find((c) => c.key === 'htf_trend')).toMatchObject({ met: true, weight: 10 });
    expect(withTrend.initialConditionMask & (1 << 8)).not.toBe(0);
    expect(without.initialConditionMask & (1 << 8)).toBe(0);
    // The lazy breakdown crosses a thread (recipe) with the trend it was scored with.
    const lazy = lazyConditionsOf(withTrend)!;
    const rebuilt = LazyConditions.fromRecipe(lazy.recipe(), WITH_HTF, 'LONG').get();
    expect(rebuilt).toEqual(withTrend.conditions);
  });

  it('validation: the optional weight counts in the sum of 100 and must be a weight', () => {
    expect(WITH_HTF.weights.htf_trend).toBe(10);
    expect(() => resolveEngineConfig({ weights: { htf_trend: 10 } })).toThrow('must sum to 100, got 110');
    try {
      validateEngineConfig({
        ...DEFAULT_ENGINE_CONFIG,
        weights: { ...DEFAULT_ENGINE_CONFIG.weights, htf_trend: -1 },
      });
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidEngineConfigError);
      expect((error as Error).message).toContain('weights.htf_trend');
    }
  });
});
