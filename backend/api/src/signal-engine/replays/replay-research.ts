import {
  REPLAY_MONTE_CARLO_MAX_RUNS,
  type ReplayCalibration,
  type ReplayMonteCarlo,
  type ReplayMonteCarloSpec,
  type ReplayRequest,
  type ReplaySide,
  type ReplayWalkForward,
  type ReplayWalkForwardSpec,
} from '@scanner/contracts';
import {
  closedTradeNetR,
  computeCalibration,
  monteCarloNetR,
  mulberry32,
  walkForward,
  walkForwardWindows,
  type Calibration,
  type Signal,
  type WalkForwardSpec,
} from '@scanner/signal-core';
import { InvalidRequestError } from '../../common';
import { toBucketDto, toOutcomeStats } from '../quality.dto-mapper';

const HOUR_MS = 3_600_000;

class InvalidReplayResearchError extends InvalidRequestError {}

function fail(message: string): never {
  throw new InvalidReplayResearchError(message);
}

function hours(value: unknown, field: string, required: boolean): number | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (required && value === 0))
    fail(`walkForward.${field} must be a number of hours ${required ? '> 0' : '>= 0'}, e.g. 24`);
  return value;
}

export function toWalkForwardSpec(spec: ReplayWalkForwardSpec): WalkForwardSpec {
  const ms = (h: number) => Math.round(h * HOUR_MS);
  return {
    inSampleMs: ms(spec.inSampleHours),
    outOfSampleMs: ms(spec.outOfSampleHours),
    gapMs: ms(spec.gapHours ?? 0),
    stepMs: ms(spec.stepHours ?? spec.outOfSampleHours),
  };
}

/** The optional walk-forward spec of a replay request; at least one window must fit in [from, to]. */
export function parseReplayWalkForward(
  value: unknown,
  fromMs: number,
  toMs: number,
): ReplayWalkForwardSpec | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value))
    fail('walkForward must be an object: {"inSampleHours": 72, "outOfSampleHours": 24, "gapHours": 1}');
  const { inSampleHours, outOfSampleHours, gapHours, stepHours, ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0)
    fail(
      `walkForward: unknown field(s) ${unknown.map((k) => JSON.stringify(k)).join(', ')}: expected inSampleHours, outOfSampleHours, gapHours, stepHours`,
    );
  const spec: ReplayWalkForwardSpec = {
    inSampleHours: hours(inSampleHours, 'inSampleHours', true)!,
    outOfSampleHours: hours(outOfSampleHours, 'outOfSampleHours', true)!,
  };
  const gap = hours(gapHours, 'gapHours', false);
  if (gap !== undefined) spec.gapHours = gap;
  const step = hours(stepHours, 'stepHours', false);
  if (step !== undefined) {
    if (step < spec.outOfSampleHours)
      fail('walkForward.stepHours must be at least outOfSampleHours, so no signal is counted twice');
    spec.stepHours = step;
  }
  const needed = spec.inSampleHours + (spec.gapHours ?? 0) + spec.outOfSampleHours;
  if (walkForwardWindows(fromMs, toMs + 1, toWalkForwardSpec(spec)).length === 0)
    fail(
      `walkForward: no window fits the period: one needs ${needed} hours (in-sample + gap + out-of-sample), the period spans ${((toMs - fromMs) / HOUR_MS).toFixed(1)} hours`,
    );
  return spec;
}

/** The optional Monte Carlo spec of a replay request. */
export function parseReplayMonteCarlo(value: unknown): ReplayMonteCarloSpec | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value))
    fail('monteCarlo must be an object: {"runs": 1000, "seed": 1}');
  const { runs, seed, ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0)
    fail(
      `monteCarlo: unknown field(s) ${unknown.map((k) => JSON.stringify(k)).join(', ')}: expected runs, seed`,
    );
  if (typeof runs !== 'number' || !Number.isInteger(runs) || runs < 1 || runs > REPLAY_MONTE_CARLO_MAX_RUNS)
    fail(`monteCarlo.runs must be a whole number from 1 to ${REPLAY_MONTE_CARLO_MAX_RUNS}`);
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed))
    fail('monteCarlo.seed must be a whole number, e.g. 1');
  return { runs, seed };
}

function calibrationDto(c: Calibration): ReplayCalibration {
  return {
    closed: c.closed,
    buckets: c.buckets.map(toBucketDto),
    brierScore: c.brierScore,
    brierN: c.brierN,
    rankCorrelation: c.rankCorrelation,
    lowSample: c.lowSample,
  };
}

type Research = Pick<ReplaySide, 'calibration' | 'walkForward' | 'monteCarlo' | 'monteCarloNote'>;

/**
 * Calibration, the walk-forward (one candidate: this side's version; out-of-sample figures only) and
 * the Monte Carlo bands of one side, with signal-core's pure functions. The period [from, to] is the
 * request's (candles opening in it), so the windows are the same for both sides.
 */
export function replayResearch(
  signals: readonly Signal[],
  request: Pick<ReplayRequest, 'from' | 'to' | 'walkForward' | 'monteCarlo'>,
): Research {
  let wf: ReplayWalkForward | null = null;
  let outOfSample: Signal[] | null = null;
  if (request.walkForward) {
    const range = { from: Date.parse(request.from), to: Date.parse(request.to) + 1 };
    const report = walkForward([signals], range, toWalkForwardSpec(request.walkForward));
    outOfSample = signals.filter((s) =>
      report.windows.some((w) => s.createdAt >= w.outOfSample.from && s.createdAt < w.outOfSample.to),
    );
    wf = {
      spec: request.walkForward,
      windows: report.windows.map((w) => ({
        index: w.index,
        from: new Date(w.outOfSample.from).toISOString(),
        to: new Date(w.outOfSample.to).toISOString(),
        closed: w.stats.closed,
        expectancy: w.stats.closed === 0 ? null : w.stats.expectancyR,
        totalNetR: w.stats.totalR,
      })),
      outOfSample: toOutcomeStats(report.outOfSample.stats),
      calibration: calibrationDto(report.outOfSample.calibration),
    };
  }
  let mc: ReplayMonteCarlo | null = null;
  let note: string | null = null;
  if (request.monteCarlo) {
    const which = outOfSample === null ? 'all' : 'out-of-sample';
    const trades = closedTradeNetR(outOfSample ?? signals);
    if (trades.length === 0) note = `no closed ${which === 'all' ? '' : 'out-of-sample '}trade to resample`;
    else {
      const report = monteCarloNetR(trades, {
        runs: request.monteCarlo.runs,
        random: mulberry32(request.monteCarlo.seed),
      });
      mc = {
        runs: report.runs,
        seed: request.monteCarlo.seed,
        trades: which,
        observedTrades: report.observedTrades,
        finalR: { ...report.finalR },
        maxDrawdownR: { ...report.maxDrawdownR },
        lossProbability: report.lossProbability,
      };
    }
  }
  return {
    calibration: calibrationDto(computeCalibration(signals)),
    walkForward: wf,
    monteCarlo: mc,
    monteCarloNote: note,
  };
}
