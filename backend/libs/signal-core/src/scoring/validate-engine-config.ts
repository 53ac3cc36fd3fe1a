import { InvalidEngineConfigError, type ConfigIssue } from '../errors/invalid-engine-config.error';
import {
  CONDITION_KEYS,
  OPTIONAL_CONDITION_KEYS,
  type ConditionKey,
  type ScoringConditionKey,
} from './condition-key';
import { DEFAULT_ENGINE_CONFIG, type Band, type EngineConfig } from './engine-config';

type Check = (value: unknown) => string | null;

const finite: Check = (v) =>
  typeof v === 'number' && Number.isFinite(v) ? null : `must be a finite number, got ${JSON.stringify(v)}`;
const range =
  (min: number, max: number, { minExclusive = false } = {}): Check =>
  (v) =>
    finite(v) ??
    ((minExclusive ? (v as number) > min : (v as number) >= min) && (v as number) <= max
      ? null
      : `must be ${minExclusive ? '>' : '>='} ${min} and <= ${max}, got ${v}`);
const integer =
  (min: number, max: number): Check =>
  (v) =>
    range(min, max)(v) ?? (Number.isInteger(v) ? null : `must be an integer, got ${v}`);
const boolean: Check = (v) =>
  typeof v === 'boolean' ? null : `must be true or false, got ${JSON.stringify(v)}`;

const SCALARS: Record<Exclude<keyof EngineConfig, 'weights' | 'rsiLong' | 'rsiShort'>, Check> = {
  minConfidence: range(0, 100, { minExclusive: true }),
  adxMin: range(0, 100),
  macdCrossLookback: integer(1, 1000),
  stopLossAtr: range(0, 1000, { minExclusive: true }),
  takeProfitAtr: range(0, 1000, { minExclusive: true }),
  expiryCandles: integer(1, 100_000),
  cooldownCandles: integer(0, 100_000),
  updateThreshold: range(0, 100, { minExclusive: true }),
  invalidationRatio: range(0, 1),
  trailingStop: boolean,
  feeBps: range(0, 1000),
  slippageBps: range(0, 1000),
};

/**
 * Settings added after configs were first stored: a stored config without them is still whole and
 * takes the default, rather than being refused (and the operator's thresholds dropped with it).
 */
const ADDED_LATER: readonly (keyof EngineConfig)[] = ['feeBps', 'slippageBps'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkBand(name: string, v: unknown, issues: ConfigIssue[]): void {
  if (!isRecord(v)) {
    issues.push({ field: name, message: 'must be an object { min, max }' });
    return;
  }
  const rsi = range(0, 100);
  for (const key of ['min', 'max'] as const) {
    const problem = rsi(v[key]);
    if (problem) issues.push({ field: `${name}.${key}`, message: problem });
  }
  for (const key of Object.keys(v)) {
    if (key !== 'min' && key !== 'max')
      issues.push({ field: `${name}.${key}`, message: 'is not a known field' });
  }
  if (typeof v.min === 'number' && typeof v.max === 'number' && v.min > v.max) {
    issues.push({ field: name, message: `min ${v.min} must not exceed max ${v.max}` });
  }
}

/**
 * Validates a complete engine configuration (e.g. parsed JSON from the admin API or a file).
 * Throws InvalidEngineConfigError naming every offending field; returns a frozen typed copy.
 */
export function validateEngineConfig(input: unknown): EngineConfig {
  const issues: ConfigIssue[] = [];
  if (!isRecord(input))
    throw new InvalidEngineConfigError([{ field: '(root)', message: 'must be an object' }]);
  const known = new Set<string>(['weights', 'rsiLong', 'rsiShort', ...Object.keys(SCALARS)]);
  for (const key of Object.keys(input)) {
    if (!known.has(key)) issues.push({ field: key, message: 'is not a known field' });
  }
  const weights = input.weights;
  if (!isRecord(weights)) {
    issues.push({ field: 'weights', message: `must be an object with ${CONDITION_KEYS.join(', ')}` });
  } else {
    let sum = 0;
    let numeric = true;
    for (const key of CONDITION_KEYS) {
      const problem = range(0, 100)(weights[key]);
      if (problem) {
        issues.push({
          field: `weights.${key}`,
          message: weights[key] === undefined ? 'is required' : problem,
        });
        numeric = false;
      } else sum += weights[key] as number;
    }
    // Optional conditions: absent = 0 (off).
    for (const key of OPTIONAL_CONDITION_KEYS) {
      if (weights[key] === undefined) continue;
      const problem = range(0, 100)(weights[key]);
      if (problem) {
        issues.push({ field: `weights.${key}`, message: problem });
        numeric = false;
      } else sum += weights[key] as number;
    }
    const known: readonly string[] = [...CONDITION_KEYS, ...OPTIONAL_CONDITION_KEYS];
    for (const key of Object.keys(weights)) {
      if (!known.includes(key)) {
        issues.push({
          field: `weights.${key}`,
          message: `is not a condition (known: ${known.join(', ')})`,
        });
      }
    }
    if (numeric && Math.abs(sum - 100) > 1e-9)
      issues.push({ field: 'weights', message: `must sum to 100, got ${sum}` });
  }
  checkBand('rsiLong', input.rsiLong, issues);
  checkBand('rsiShort', input.rsiShort, issues);
  const filled: Record<string, unknown> = { ...input };
  for (const key of ADDED_LATER) if (filled[key] === undefined) filled[key] = DEFAULT_ENGINE_CONFIG[key];
  for (const [key, check] of Object.entries(SCALARS)) {
    const problem = filled[key] === undefined ? 'is required' : check(filled[key]);
    if (problem) issues.push({ field: key, message: problem });
  }
  if (issues.length > 0) throw new InvalidEngineConfigError(issues);
  const cfg = filled as unknown as EngineConfig;
  return Object.freeze({
    ...cfg,
    weights: Object.freeze({ ...(cfg.weights as Record<ConditionKey, number>) }),
    rsiLong: Object.freeze({ min: cfg.rsiLong.min, max: cfg.rsiLong.max }) as Band,
    rsiShort: Object.freeze({ min: cfg.rsiShort.min, max: cfg.rsiShort.max }) as Band,
  });
}

export type EngineConfigOverrides = Partial<Omit<EngineConfig, 'weights' | 'rsiLong' | 'rsiShort'>> & {
  readonly weights?: Partial<Record<ScoringConditionKey, number>>;
  readonly rsiLong?: Partial<Band>;
  readonly rsiShort?: Partial<Band>;
};

/** DEFAULT_ENGINE_CONFIG with `overrides` merged in (nested objects field by field), validated. */
export function resolveEngineConfig(
  overrides: EngineConfigOverrides = {},
  base: EngineConfig = DEFAULT_ENGINE_CONFIG,
): EngineConfig {
  if (!isRecord(overrides))
    throw new InvalidEngineConfigError([{ field: '(root)', message: 'must be an object' }]);
  return validateEngineConfig({
    ...base,
    ...overrides,
    weights: { ...base.weights, ...overrides.weights },
    rsiLong: { ...base.rsiLong, ...overrides.rsiLong },
    rsiShort: { ...base.rsiShort, ...overrides.rsiShort },
  });
}
