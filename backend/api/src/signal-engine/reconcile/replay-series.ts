import type { ReconcileField } from '@scanner/contracts';
import {
  SignalEngine,
  type Candle,
  type EngineConfig,
  type FineCandleSource,
  type Signal,
} from '@scanner/signal-core';

/** A stored signal as reconciliation compares it (times in epoch ms of market time). */
export interface StoredSignalView {
  id: string;
  status: string;
  entryPrice: number;
  stopLoss: number;
  takeProfit: number;
  outcomeR: number | null;
  exitPrice: number | null;
  candleOpenTime: number;
  closedAt: number | null;
  closeReason: string | null;
  /** How the live engine decided a close on a candle touching both levels (null or absent otherwise). */
  resolution?: string | null;
}

/** One difference, times in epoch ms. */
export interface SeriesMismatch {
  signalId: string;
  field: ReconcileField;
  stored: string | number | null;
  replayed: string | number | null;
  /** Open time of the first candle at which the two stories of this signal part. */
  candleOpenTime: number;
}

export interface SeriesReplayInput {
  symbol: string;
  timeframe: string;
  config: EngineConfig;
  /** Exactly the closed candles the live engine processed, oldest first. */
  candles: readonly Candle[];
  /** The series' stored signals (any period: those outside the replayed one are left out here). */
  stored: readonly StoredSignalView[];
  /** Closed signals that closed before this time may have been purged by retention. */
  purgedBefore: number;
  /**
   * The finer candles the live engine decided same-candle ambiguity from (the stored 1m candles); without
   * it every such candle is replayed as SL.
   */
  fineCandles?: FineCandleSource;
}

export interface SeriesReplayResult {
  candles: number;
  /** Stored signals compared in full with their replay. */
  compared: number;
  /** Stored signals compared on their levels only (closed on the still-open candle after the period). */
  levelsOnly: number;
  /** Replayed closed signals missing from storage because retention deleted them. */
  purged: number;
  /** Stored signals created before the first replayed candle (an engine that was reset since). */
  beforePeriod: number;
  mismatches: SeriesMismatch[];
  /** The earliest candle of any mismatch (null when none). */
  firstDifferingCandle: number | null;
}

/** Relative tolerance of price and R comparisons (both sides are the same float64 arithmetic). */
const EPSILON = 1e-9;

/**
 * Replays one series' stored candles through a fresh engine (the configuration in force) and compares
 * the signals it produces with the stored ones: presence (ids), levels (entry, stop, target), outcome
 * (status) and R. Pure: no I/O, no clock.
 *
 * What the live engine learned from outside the closed candles is given back to the replay or allowed:
 * - a stored CANCELLED signal (its symbol left: not a market rule) is cancelled in the replay at the
 *   same time, price and reason, before the first candle that closed after it;
 * - a signal the live engine closed on the still-open candle (a tick) closes in the replay on that
 *   candle's close: same candle, same level. When that candle touched both levels, the tick saw which
 *   came first while the replay resolves it by its rule, so a different price exit there is allowed;
 * - a signal closed on the still-open candle after the last replayed candle is still active in the
 *   replay: only its levels are compared;
 * - a candle touching both levels is replayed with the finer candles given (those the live engine
 *   decided from), except where the live engine decided it as SL without them (`conservative`: its fetch
 *   failed) — finer candles of that span stored since (for another timeframe) do not count.
 */
export function replaySeries(input: SeriesReplayInput): SeriesReplayResult {
  const { symbol, timeframe, config, candles } = input;
  const result: SeriesReplayResult = {
    candles: candles.length,
    compared: 0,
    levelsOnly: 0,
    purged: 0,
    beforePeriod: 0,
    mismatches: [],
    firstDifferingCandle: null,
  };
  if (candles.length === 0) return result;
  const first = candles[0].openTime;
  const last = candles[candles.length - 1];

  const inPeriod: StoredSignalView[] = [];
  for (const signal of input.stored) {
    if (signal.candleOpenTime < first) result.beforePeriod++;
    else inPeriod.push(signal);
  }

  // A candle the live engine decided as SL without finer candles (its fetch failed, or the exchange had
  // none then) is replayed without them too, even if finer candles of that span were stored since.
  const liveConservative = inPeriod
    .filter((s) => s.resolution === 'conservative' && s.closedAt !== null)
    .map((s) => s.closedAt as number);
  const given = input.fineCandles;
  const fineCandles: FineCandleSource | undefined =
    given &&
    ((span) =>
      liveConservative.some((t) => t >= span.openTime && t <= span.closeTime) ? null : given(span));
  const engine = new SignalEngine({ symbol, timeframe, config, fineCandles });
  const replayed = new Map<string, Signal>();
  const cancellations = inPeriod
    .filter((s) => s.status === 'CANCELLED' && s.closedAt !== null && s.exitPrice !== null)
    .sort((a, b) => (a.closedAt as number) - (b.closedAt as number));
  let next = 0;
  const cancelUntil = (before: number) => {
    while (next < cancellations.length && (cancellations[next].closedAt as number) < before) {
      const cancelled = cancellations[next++];
      if (engine.activeSignal?.id !== cancelled.id) continue; // the comparison names the difference
      for (const event of engine.cancelActive(
        cancelled.exitPrice as number,
        cancelled.closedAt as number,
        cancelled.closeReason ?? 'cancelled',
      )) {
        if (event.type !== 'gap') replayed.set(event.signal.id, event.signal);
      }
    }
  };
  for (const candle of candles) {
    cancelUntil(candle.closeTime);
    for (const event of engine.onClosedCandle(candle)) {
      if (event.type !== 'gap') replayed.set(event.signal.id, event.signal);
    }
  }
  cancelUntil(Number.POSITIVE_INFINITY);

  const candleOf = (time: number) => candleContaining(candles, time);
  const differ = (
    signalId: string,
    field: ReconcileField,
    stored: string | number | null,
    replay: string | number | null,
    at: number,
  ) => result.mismatches.push({ signalId, field, stored, replayed: replay, candleOpenTime: at });

  const storedById = new Map(inPeriod.map((s) => [s.id, s]));
  for (const [id, replay] of replayed) {
    if (storedById.has(id)) continue;
    if (replay.closedAt !== null && replay.closedAt < input.purgedBefore) result.purged++;
    else differ(id, 'presence', null, replay.status, replay.candleOpenTime);
  }
  for (const stored of inPeriod) {
    const replay = replayed.get(stored.id);
    if (replay === undefined) {
      differ(stored.id, 'presence', stored.status, null, stored.candleOpenTime);
      continue;
    }
    const created = stored.candleOpenTime;
    if (!same(stored.entryPrice, replay.entryPrice))
      differ(stored.id, 'entryPrice', stored.entryPrice, replay.entryPrice, created);
    if (!same(stored.takeProfit, replay.takeProfit))
      differ(stored.id, 'takeProfit', stored.takeProfit, replay.takeProfit, created);
    if (!same(stored.stopLoss, replay.stopLoss))
      differ(stored.id, 'stopLoss', stored.stopLoss, replay.stopLoss, created);

    if (stored.closedAt !== null && replay.status === 'ACTIVE' && stored.closedAt > last.closeTime) {
      result.levelsOnly++; // closed on the open candle after the replayed period
      continue;
    }
    result.compared++;
    const storedEnd = stored.closedAt === null ? null : candleOf(stored.closedAt);
    const replayEnd = replay.closedAt === null ? null : candleOf(replay.closedAt);
    const parted = Math.min(storedEnd ?? Infinity, replayEnd ?? Infinity);
    const partedAt = Number.isFinite(parted) ? parted : created;
    if (stored.status !== replay.status) {
      const tickSawTheOrder =
        isPriceExit(stored.status) &&
        isPriceExit(replay.status) &&
        storedEnd === replayEnd &&
        replay.resolution !== null &&
        stored.closedAt !== replay.closedAt;
      if (!tickSawTheOrder) differ(stored.id, 'status', stored.status, replay.status, partedAt);
      continue;
    }
    if (!same(stored.outcomeR, replay.outcomeR))
      differ(stored.id, 'outcomeR', stored.outcomeR, replay.outcomeR, partedAt);
  }
  result.mismatches.sort((a, b) => a.candleOpenTime - b.candleOpenTime || (a.signalId < b.signalId ? -1 : 1));
  result.firstDifferingCandle = result.mismatches[0]?.candleOpenTime ?? null;
  return result;
}

function isPriceExit(status: string): boolean {
  return status === 'TP_HIT' || status === 'SL_HIT';
}

function same(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= EPSILON * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Open time of the candle whose span holds `time` (the last one opening at or before it). */
function candleContaining(candles: readonly Candle[], time: number): number {
  let lo = 0;
  let hi = candles.length - 1;
  if (time < candles[0].openTime) return candles[0].openTime;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (candles[mid].openTime <= time) lo = mid;
    else hi = mid - 1;
  }
  return candles[lo].openTime;
}
