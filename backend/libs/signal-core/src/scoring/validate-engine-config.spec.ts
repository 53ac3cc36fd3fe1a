import { InvalidEngineConfigError } from '../errors/invalid-engine-config.error';
import { DEFAULT_ENGINE_CONFIG } from './engine-config';
import { resolveEngineConfig, validateEngineConfig } from './validate-engine-config';

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidEngineConfigError);
    return (e as InvalidEngineConfigError).issues.map((i) => `${i.field}: ${i.message}`);
  }
  throw new Error('expected InvalidEngineConfigError');
}

describe('engine config validation', () => {
  it('accepts the defaults (weights sum to 100) and returns a frozen copy', () => {
    const cfg = validateEngineConfig(JSON.parse(JSON.stringify(DEFAULT_ENGINE_CONFIG)));
    expect(cfg).toEqual(DEFAULT_ENGINE_CONFIG);
    expect(Object.isFrozen(cfg.weights)).toBe(true);
  });

  it('rejects weights that do not sum to 100, naming the field', () => {
    const issues = issuesOf(() => resolveEngineConfig({ weights: { macd_cross: 25 } }));
    expect(issues).toEqual(['weights: must sum to 100, got 105']);
  });

  it('rejects a negative weight and an unknown condition', () => {
    const issues = issuesOf(() =>
      resolveEngineConfig({ weights: { macd_cross: -5, volume_spike: 25 } as never }),
    );
    expect(issues).toContain('weights.macd_cross: must be >= 0 and <= 100, got -5');
    expect(issues).toContain(
      'weights.volume_spike: is not a condition (known: macd_cross, rsi_zone, trend_ema50, ema_stack, adx_trend, heikin_ashi, trend_ema200, bb_position, htf_trend)',
    );
  });

  it('names every bad scalar, band and unknown field in one error', () => {
    const err = (() => {
      try {
        resolveEngineConfig({
          minConfidence: 0,
          stopLossAtr: -1,
          expiryCandles: 2.5,
          cooldownCandles: -1,
          trailingStop: 'yes' as never,
          invalidationRatio: 1.5,
          rsiLong: { min: 80, max: 70 },
          macdCrossLookback: 0,
          foo: 1,
        } as never);
      } catch (e) {
        return e as InvalidEngineConfigError;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(InvalidEngineConfigError);
    const fields = err!.issues.map((i) => i.field).sort();
    expect(fields).toEqual(
      [
        'cooldownCandles',
        'expiryCandles',
        'foo',
        'invalidationRatio',
        'macdCrossLookback',
        'minConfidence',
        'rsiLong',
        'stopLossAtr',
        'trailingStop',
      ].sort(),
    );
    expect(err!.message).toContain('expiryCandles: must be an integer, got 2.5');
    expect(err!.message).toContain('rsiLong: min 80 must not exceed max 70');
  });

  it('reports missing fields and non-objects', () => {
    expect(issuesOf(() => validateEngineConfig(null))).toEqual(['(root): must be an object']);
    const { adxMin: _ignored, ...rest } = DEFAULT_ENGINE_CONFIG;
    expect(issuesOf(() => validateEngineConfig(rest))).toEqual(['adxMin: is required']);
    expect(
      issuesOf(() =>
        validateEngineConfig({
          ...DEFAULT_ENGINE_CONFIG,
          weights: { ...DEFAULT_ENGINE_CONFIG.weights, rsi_zone: undefined },
        }),
      ),
    ).toEqual(['weights.rsi_zone: is required']);
  });

  it('validates the cost settings like the others, and fills them in for a config stored before they existed', () => {
    expect(DEFAULT_ENGINE_CONFIG).toMatchObject({ feeBps: 10, slippageBps: 0 });
    expect(resolveEngineConfig({ feeBps: 7.5, slippageBps: 2 })).toMatchObject({
      feeBps: 7.5,
      slippageBps: 2,
    });
    expect(issuesOf(() => resolveEngineConfig({ feeBps: -1, slippageBps: Number.NaN }))).toEqual([
      'feeBps: must be >= 0 and <= 1000, got -1',
      'slippageBps: must be a finite number, got null',
    ]);
    const { feeBps: _fee, slippageBps: _slip, ...stored } = JSON.parse(JSON.stringify(DEFAULT_ENGINE_CONFIG));
    expect(validateEngineConfig({ ...stored, minConfidence: 80 })).toEqual({
      ...DEFAULT_ENGINE_CONFIG,
      minConfidence: 80,
    });
  });
});
