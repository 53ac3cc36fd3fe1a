import type { Candle } from '../candles/candle.types';
import { timeframeToMs } from '../candles/timeframe';
import type { Signal } from '../lifecycle/signal.types';
import { DEFAULT_ENGINE_CONFIG, type EngineConfig } from '../scoring/engine-config';
import { computeCalibration, fitTargetProbability, type Calibration } from '../stats/calibration';
import { ISOTONIC_MIN_SAMPLE } from '../stats/isotonic';
import { computeSignalStats, type SignalStats } from '../stats/signal-stats';
import { LOW_SAMPLE } from '../stats/wilson';
import { runBacktest, type BacktestOptions } from './run-backtest';

/** Window lengths in milliseconds of market time (candle counts are converted with the interval). */
export interface WalkForwardSpec {
  readonly inSampleMs: number;
  readonly outOfSampleMs: number;
  /** Embargo between the end of the in-sample window and the start of the out-of-sample one. */
  readonly gapMs: number;
  /** How far each window moves on; at least outOfSampleMs, so out-of-sample windows never overlap. */
  readonly stepMs: number;
}

/** What walk-forward reads of a signal (the engine's Signal, or a stored row mapped to these fields). */
export type WalkForwardSignal = Pick<
  Signal,
  'id' | 'status' | 'createdAt' | 'closedAt' | 'grossR' | 'netR' | 'initialConfidence'
>;

export interface WalkForwardOptions {
  /** A candidate needs this many in-sample closes to be chosen (default 30, the low-sample line). */
  readonly minInSampleCloses?: number;
  /** In-sample TP/SL closes needed to fit pTarget (default 200, as the live fit). */
  readonly minFitSample?: number;
}

/** Out-of-sample Brier scores of the in-sample pTarget fit and of confidence/100, over the same TP/SL closes. */
export interface PTargetCheck {
  /** TP/SL closes scored (those of windows that had a fit). */
  readonly n: number;
  readonly brierPTarget: number | null;
  readonly brierConfidence: number | null;
}

export interface WalkForwardWindow {
  readonly index: number;
  /** [from, to) in epoch ms; signals belong to a window by creation time (the close of their trigger candle). */
  readonly inSample: { readonly from: number; readonly to: number };
  readonly outOfSample: { readonly from: number; readonly to: number };
  /** Index of the configuration chosen on the in-sample window and traded out of sample. */
  readonly chosen: number;
  readonly chosenBy:
    'only candidate' | 'in-sample expectancy' | 'fallback: no candidate had enough in-sample closes';
  /** In-sample closes of the chosen candidate (how much the choice and the fit rest on; no in-sample figure is reported). */
  readonly inSampleCloses: number;
  /** Why there is no pTarget fit for this window (fewer in-sample TP/SL closes than needed), or null. */
  readonly pTargetFit: string | null;
  readonly pTarget: PTargetCheck;
  readonly stats: SignalStats;
  readonly calibration: Calibration;
}

export interface WalkForwardReport {
  readonly spec: WalkForwardSpec;
  readonly candidates: number;
  readonly windows: readonly WalkForwardWindow[];
  /** Every window's out-of-sample signals together: the only track record this reports. */
  readonly outOfSample: {
    readonly stats: SignalStats;
    readonly calibration: Calibration;
    readonly pTarget: PTargetCheck;
    /** How often each candidate was chosen. */
    readonly chosenCount: readonly number[];
  };
}

const UNITS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const KEYS = { is: 'inSampleMs', oos: 'outOfSampleMs', gap: 'gapMs', step: 'stepMs' } as const;

/**
 * Parses `is=30d,oos=7d,gap=1d,step=7d`: each length a whole number of candles of `timeframe`
 * (`2000` or `2000c`) or of minutes, hours, days or weeks (`90m`, `12h`, `30d`, `2w`). `is` and
 * `oos` are required; `gap` defaults to 0 and `step` to `oos`. Throws a RangeError naming the part.
 */
export function parseWalkForwardSpec(text: string, timeframe: string): WalkForwardSpec {
  const interval = timeframeToMs(timeframe);
  const values: Partial<Record<keyof typeof KEYS, number>> = {};
  for (const part of text.split(',').map((p) => p.trim())) {
    const match = /^([a-z]+)=(\d+)(c|m|h|d|w)?$/.exec(part);
    if (match === null)
      throw new RangeError(
        `"${part}" is not key=length (e.g. is=30d, oos=7d, gap=1d, step=7d; lengths in candles, or with m/h/d/w)`,
      );
    const key = match[1];
    if (!(key in KEYS)) throw new RangeError(`"${key}" is not one of is, oos, gap, step`);
    if (key in values) throw new RangeError(`"${key}" is given twice`);
    const unit = match[3] ?? 'c';
    values[key as keyof typeof KEYS] = Number(match[2]) * (unit === 'c' ? interval : UNITS[unit]);
  }
  if (values.is === undefined || values.oos === undefined)
    throw new RangeError('both is=<length> and oos=<length> are required, e.g. is=30d,oos=7d');
  const spec: WalkForwardSpec = {
    inSampleMs: values.is,
    outOfSampleMs: values.oos,
    gapMs: values.gap ?? 0,
    stepMs: values.step ?? values.oos,
  };
  validateSpec(spec, interval);
  return spec;
}

function validateSpec(spec: WalkForwardSpec, interval: number): void {
  for (const [name, value] of Object.entries(spec)) {
    if (!Number.isSafeInteger(value) || value < 0)
      throw new RangeError(`${name} must be a whole number of ms >= 0, got ${value}`);
  }
  if (spec.inSampleMs < interval || spec.outOfSampleMs < interval)
    throw new RangeError('in-sample and out-of-sample windows must each hold at least one candle');
  if (spec.stepMs < spec.outOfSampleMs)
    throw new RangeError(
      `step (${spec.stepMs / interval} candles) must be at least the out-of-sample length (${spec.outOfSampleMs / interval}), so no signal is counted twice`,
    );
}

/** The windows that fit whole inside [from, to): in-sample, gap, out-of-sample, moving by step. */
export function walkForwardWindows(
  from: number,
  to: number,
  spec: WalkForwardSpec,
): Array<Pick<WalkForwardWindow, 'index' | 'inSample' | 'outOfSample'>> {
  const out: Array<Pick<WalkForwardWindow, 'index' | 'inSample' | 'outOfSample'>> = [];
  for (let start = from; ; start += spec.stepMs) {
    const isEnd = start + spec.inSampleMs;
    const oosStart = isEnd + spec.gapMs;
    const oosEnd = oosStart + spec.outOfSampleMs;
    if (oosEnd > to) break;
    out.push({
      index: out.length,
      inSample: { from: start, to: isEnd },
      outOfSample: { from: oosStart, to: oosEnd },
    });
  }
  return out;
}

function isClosed(s: WalkForwardSignal): boolean {
  return s.status !== 'ACTIVE' && s.netR !== null && s.closedAt !== null;
}

interface BrierSums {
  n: number;
  fit: number;
  confidence: number;
}

const check = (b: BrierSums): PTargetCheck => ({
  n: b.n,
  brierPTarget: b.n === 0 ? null : b.fit / b.n,
  brierConfidence: b.n === 0 ? null : b.confidence / b.n,
});

/**
 * Walk-forward analysis over signals already replayed for each candidate configuration (index 0
 * first; the engine is causal, so one continuous replay per candidate gives, at every moment, the
 * signals that configuration would have produced live, warm-up included).
 *
 * For each window: the in-sample part uses only signals created in it AND closed before it ends
 * (outcomes known at that time). It is used for two things and reported for neither:
 * 1. choosing the configuration: the candidate with the highest in-sample expectancy (mean net R
 *    over every close) among those with at least `minInSampleCloses` closes; ties go to the lower
 *    index; if none has enough, candidate 0 (the baseline). With one candidate there is no choice.
 * 2. fitting pTarget (isotonic fit of TP-before-SL on confidence, as the live fit) on the chosen
 *    candidate's in-sample TP/SL closes, when there are at least `minFitSample`.
 * Then, after the gap (an embargo: nothing from it is used), the out-of-sample part takes the
 * chosen candidate's signals created in it, whatever time they close, and reports their statistics
 * and calibration with the one implementation (computeSignalStats, computeCalibration), and the
 * Brier score of the fitted pTarget beside that of confidence/100 over the same TP/SL closes. Only
 * out-of-sample figures are reported; the overall track record is every window's out-of-sample
 * signals together (no signal twice: the step is at least the out-of-sample length).
 */
export function walkForward(
  signalsByCandidate: readonly (readonly WalkForwardSignal[])[],
  range: { readonly from: number; readonly to: number },
  spec: WalkForwardSpec,
  options: WalkForwardOptions = {},
): WalkForwardReport {
  if (signalsByCandidate.length === 0)
    throw new RangeError('walk-forward needs at least one candidate configuration');
  if (spec.stepMs < spec.outOfSampleMs || spec.inSampleMs <= 0 || spec.outOfSampleMs <= 0 || spec.gapMs < 0)
    throw new RangeError(
      'walk-forward spec: in-sample and out-of-sample must be > 0, gap >= 0, step >= out-of-sample',
    );
  const minCloses = options.minInSampleCloses ?? LOW_SAMPLE;
  const minFit = options.minFitSample ?? ISOTONIC_MIN_SAMPLE;
  const layout = walkForwardWindows(range.from, range.to, spec);
  if (layout.length === 0) {
    const days = (ms: number) => `${(ms / 86_400_000).toFixed(2)} days`;
    throw new RangeError(
      `no walk-forward window fits: one needs ${days(spec.inSampleMs + spec.gapMs + spec.outOfSampleMs)} (in-sample + gap + out-of-sample), the data spans ${days(range.to - range.from)}`,
    );
  }
  const chosenCount = signalsByCandidate.map(() => 0);
  const allOut: WalkForwardSignal[] = [];
  const total: BrierSums = { n: 0, fit: 0, confidence: 0 };
  const windows = layout.map((w): WalkForwardWindow => {
    const inSample = signalsByCandidate.map((signals) =>
      signals.filter(
        (s) =>
          s.createdAt >= w.inSample.from &&
          s.createdAt < w.inSample.to &&
          isClosed(s) &&
          s.closedAt! < w.inSample.to,
      ),
    );
    let chosen = 0;
    let chosenBy: WalkForwardWindow['chosenBy'] = 'only candidate';
    if (inSample.length > 1) {
      let best: number | null = null;
      chosenBy = 'fallback: no candidate had enough in-sample closes';
      inSample.forEach((closes, i) => {
        if (closes.length < minCloses) return;
        const mean = closes.reduce((sum, s) => sum + s.netR!, 0) / closes.length;
        if (best === null || mean > best) {
          best = mean;
          chosen = i;
          chosenBy = 'in-sample expectancy';
        }
      });
    }
    chosenCount[chosen]++;
    const fit = fitTargetProbability(inSample[chosen], { minSample: minFit });
    const out = signalsByCandidate[chosen].filter(
      (s) => s.createdAt >= w.outOfSample.from && s.createdAt < w.outOfSample.to,
    );
    const sums: BrierSums = { n: 0, fit: 0, confidence: 0 };
    if (fit.model !== null) {
      for (const s of out) {
        if (s.status !== 'TP_HIT' && s.status !== 'SL_HIT') continue;
        const hit = s.status === 'TP_HIT' ? 1 : 0;
        sums.n++;
        sums.fit += (fit.model.predict(s.initialConfidence) - hit) ** 2;
        sums.confidence += (s.initialConfidence / 100 - hit) ** 2;
      }
    }
    total.n += sums.n;
    total.fit += sums.fit;
    total.confidence += sums.confidence;
    for (const s of out) allOut.push(s);
    return {
      ...w,
      chosen,
      chosenBy,
      inSampleCloses: inSample[chosen].length,
      pTargetFit: fit.reason,
      pTarget: check(sums),
      stats: computeSignalStats(out),
      calibration: computeCalibration(out),
    };
  });
  return {
    spec,
    candidates: signalsByCandidate.length,
    windows,
    outOfSample: {
      stats: computeSignalStats(allOut),
      calibration: computeCalibration(allOut),
      pTarget: check(total),
      chosenCount,
    },
  };
}

/** The time span of the candles: first open to last close + 1 ms. */
export function candleRange(candlesBySymbol: Readonly<Record<string, readonly Candle[]>>): {
  from: number;
  to: number;
} {
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const candles of Object.values(candlesBySymbol)) {
    if (candles.length === 0) continue;
    from = Math.min(from, candles[0].openTime);
    to = Math.max(to, candles[candles.length - 1].closeTime + 1);
  }
  if (from === Number.POSITIVE_INFINITY) throw new RangeError('walk-forward needs candles');
  return { from, to };
}

/** Replays every candidate configuration over the candles (runBacktest) and runs walkForward on the result. */
export function runWalkForward(
  candlesBySymbol: Readonly<Record<string, readonly Candle[]>>,
  spec: WalkForwardSpec,
  configs: readonly EngineConfig[] = [DEFAULT_ENGINE_CONFIG],
  options: WalkForwardOptions & BacktestOptions = {},
): WalkForwardReport {
  const signals = configs.map((config) => runBacktest(candlesBySymbol, config, options).signals);
  return walkForward(signals, candleRange(candlesBySymbol), spec, options);
}
