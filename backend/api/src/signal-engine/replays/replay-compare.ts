import type { ReplayDifference, ReplayRequest, ReplaySide } from '@scanner/contracts';
import { computeSignalStats, type Signal } from '@scanner/signal-core';
import { InvalidRequestError, parseUtcTime } from '../../common';
import { BINANCE_INTERVALS } from '../../config';
import { toOutcomeStats } from '../quality.dto-mapper';
import { parseReplayMonteCarlo, parseReplayWalkForward, replayResearch } from './replay-research';

/** Points of an equity curve in a result (the curve is thinned evenly beyond this). */
export const EQUITY_POINTS = 2_000;
/** Differing signals listed in a result (all are counted). */
export const DIFFERENCES_LISTED = 500;
export const MAX_REPLAY_SYMBOLS = 200;
const SYMBOL = /^[A-Z0-9]{2,20}$/;

export class InvalidReplayRequestError extends InvalidRequestError {}

function fail(message: string): never {
  throw new InvalidReplayRequestError(message);
}

function versionId(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    fail(`${field} must be a scoring version id (a whole number from 1)`);
  return value;
}

/** A replay request from a JSON body, each problem named (InvalidRequestError → 400). */
export function parseReplayRequest(body: unknown): ReplayRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    fail(
      'The body must be a JSON object: {"symbols": ["BTCUSDT"], "timeframes": ["5m"], "from": "…", "to": "…", "versionA": 1, "versionB": 2}',
    );
  const { symbols, timeframes, from, to, versionA, versionB, walkForward, monteCarlo, ...rest } =
    body as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0)
    fail(
      `unknown field(s) ${unknown.map((k) => JSON.stringify(k)).join(', ')}: expected symbols, timeframes, from, to, versionA, versionB, walkForward, monteCarlo`,
    );
  if (!Array.isArray(symbols) || symbols.length === 0 || symbols.length > MAX_REPLAY_SYMBOLS)
    fail(`symbols must be a list of 1 to ${MAX_REPLAY_SYMBOLS} symbols, e.g. ["BTCUSDT"]`);
  for (const s of symbols)
    if (typeof s !== 'string' || !SYMBOL.test(s))
      fail(`symbols: ${JSON.stringify(s)} is not a symbol (2-20 capital letters or digits, e.g. BTCUSDT)`);
  if (!Array.isArray(timeframes) || timeframes.length === 0)
    fail(`timeframes must be a non-empty list of ${BINANCE_INTERVALS.join(', ')}`);
  for (const t of timeframes)
    if (typeof t !== 'string' || !(BINANCE_INTERVALS as readonly string[]).includes(t))
      fail(`timeframes: ${JSON.stringify(t)} is not one of ${BINANCE_INTERVALS.join(', ')}`);
  const fromMs = typeof from === 'string' ? parseUtcTime(from) : null;
  if (fromMs === null) fail('from must be an ISO-8601 time, e.g. "2024-08-01T00:00:00Z"');
  const toMs = typeof to === 'string' ? parseUtcTime(to) : null;
  if (toMs === null) fail('to must be an ISO-8601 time, e.g. "2024-08-08T00:00:00Z"');
  if (fromMs >= toMs) fail('from must be before to');
  const a = versionId(versionA, 'versionA');
  const b = versionId(versionB, 'versionB');
  if (a === b) fail('versionA and versionB must be two different scoring versions');
  const request: ReplayRequest = {
    symbols: [...new Set(symbols as string[])],
    timeframes: [...new Set(timeframes as string[])],
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    versionA: a,
    versionB: b,
  };
  const wf = parseReplayWalkForward(walkForward, fromMs, toMs);
  if (wf !== null) request.walkForward = wf;
  const mc = parseReplayMonteCarlo(monteCarlo);
  if (mc !== null) request.monteCarlo = mc;
  return request;
}

/** Cumulative net R after each close in closing order (ties by id), thinned evenly to `points`. */
export function equityCurve(signals: readonly Signal[], points = EQUITY_POINTS): number[] {
  const closed = signals
    .filter((s) => s.closedAt !== null && s.netR !== null)
    .sort((x, y) => x.closedAt! - y.closedAt! || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const curve: number[] = [];
  let total = 0;
  for (const s of closed) curve.push((total += s.netR!));
  if (curve.length <= points) return curve;
  return Array.from({ length: points }, (_, i) => curve[Math.round(((i + 1) * curve.length) / points) - 1]);
}

/** A stored signal as the live comparison reads it (times in epoch ms). */
export interface StoredReplayCandidate {
  id: string;
  entryPrice: number;
  takeProfit: number;
  status: string;
  closedAt: number | null;
}

/**
 * The stored signals a version created in one replayed series against the replay of that version:
 * the same id, entry and target, and the same status where the stored one closed by the end of the
 * last replayed candle (`lastCloseTime`), ACTIVE where it closed later or not at all.
 */
export function compareLive(
  stored: readonly StoredReplayCandidate[],
  replayed: readonly Signal[],
  lastCloseTime: number,
): { stored: number; matching: number } {
  const byId = new Map(replayed.map((s) => [s.id, s]));
  let matching = 0;
  for (const s of stored) {
    const r = byId.get(s.id);
    if (r === undefined || r.entryPrice !== s.entryPrice || r.takeProfit !== s.takeProfit) continue;
    const expected = s.closedAt !== null && s.closedAt <= lastCloseTime ? s.status : 'ACTIVE';
    if (r.status === expected) matching++;
  }
  return { stored: stored.length, matching };
}

export function replaySide(
  scoringVersion: number,
  signals: readonly Signal[],
  live: ReplaySide['live'],
  request: Pick<ReplayRequest, 'from' | 'to' | 'walkForward' | 'monteCarlo'>,
): ReplaySide {
  return {
    scoringVersion,
    signals: signals.length,
    stats: toOutcomeStats(computeSignalStats(signals)),
    equityR: equityCurve(signals),
    live,
    ...replayResearch(signals, request),
  };
}

const brief = (s: Signal | undefined) => (s === undefined ? null : { status: s.status, netR: s.netR });

/** Signals created by one version only, or ending differently (status or net R), in id order. */
export function replayDifferences(
  a: readonly Signal[],
  b: readonly Signal[],
): { differing: ReplayDifference[]; differingTotal: number } {
  const byA = new Map(a.map((s) => [s.id, s]));
  const byB = new Map(b.map((s) => [s.id, s]));
  const ids = [...new Set([...byA.keys(), ...byB.keys()])].sort();
  const differing: ReplayDifference[] = [];
  let differingTotal = 0;
  for (const id of ids) {
    const x = byA.get(id);
    const y = byB.get(id);
    if (x !== undefined && y !== undefined && x.status === y.status && x.netR === y.netR) continue;
    differingTotal++;
    if (differing.length >= DIFFERENCES_LISTED) continue;
    const s = (x ?? y)!;
    differing.push({
      id,
      symbol: s.symbol,
      timeframe: s.timeframe,
      direction: s.direction,
      candleOpenTime: new Date(s.candleOpenTime).toISOString(),
      a: brief(x),
      b: brief(y),
    });
  }
  return { differing, differingTotal };
}
