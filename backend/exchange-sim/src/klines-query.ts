import { format8 } from './decimal';
import { BadRowFault, GapFault } from './fault-injector';
import { klineRowJson } from './kline-bar';
import { KlineSeries } from './kline-series';
import { candleAsOf } from './partial-candle';
import { SymbolSeries } from './symbol-series';

export interface KlinesRange {
  startTime?: number;
  endTime?: number;
  limit: number;
}

/**
 * Indices [from, to) of the candles GET /api/v3/klines returns at virtual time `now`. Only candles
 * opened by `now` exist. No startTime/endTime: the newest `limit`; startTime: the oldest `limit` with
 * openTime ≥ startTime; endTime: the newest `limit` with openTime ≤ endTime; both: from startTime, not
 * past endTime.
 */
export function selectKlines(
  series: KlineSeries,
  range: KlinesRange,
  now: number,
): { from: number; to: number } {
  let to = series.lowerBound(now + 1);
  if (range.endTime !== undefined) to = Math.min(to, series.lowerBound(range.endTime + 1));
  let from: number;
  if (range.startTime !== undefined) {
    from = series.lowerBound(range.startTime);
    to = Math.min(to, from + range.limit);
  } else {
    from = Math.max(0, to - range.limit);
  }
  return from < to ? { from, to } : { from: 0, to: 0 };
}

/**
 * Like selectKlines, but candles for which `missing(openTime)` holds do not exist: `limit` counts only
 * existing candles, so a hole makes the next candle's open time jump, as on Binance.
 */
export function selectKlineIndices(
  series: KlineSeries,
  range: KlinesRange,
  now: number,
  missing: (openTime: number) => boolean,
): number[] {
  let end = series.lowerBound(now + 1);
  if (range.endTime !== undefined) end = Math.min(end, series.lowerBound(range.endTime + 1));
  const out: number[] = [];
  if (range.startTime !== undefined) {
    for (let i = series.lowerBound(range.startTime); i < end && out.length < range.limit; i++) {
      if (!missing(series.openTimeAt(i))) out.push(i);
    }
    return out;
  }
  for (let i = end - 1; i >= 0 && out.length < range.limit; i--) {
    if (!missing(series.openTimeAt(i))) out.push(i);
  }
  return out.reverse();
}

/**
 * Wire rows of the candles at `indices`; the newest is rebuilt as the still-open candle when `now` is
 * inside it, as of `tradingTime` (earlier than now while its trading is suspended).
 */
export function klineRowsAt(
  set: SymbolSeries,
  series: KlineSeries,
  indices: readonly number[],
  now: number,
  tradingTime: number,
): string[] {
  const rows = indices.map((i) => series.rowJson(i));
  const last = indices[indices.length - 1];
  if (last !== undefined && series.openTimeAt(last) + series.intervalMs - 1 > now) {
    rows[rows.length - 1] = klineRowJson(candleAsOf(set, series, last, tradingTime));
  }
  return rows;
}

/** Wire rows of [from, to); the newest is rebuilt as the still-open candle when `now` is inside it. */
export function klineRows(
  set: SymbolSeries,
  series: KlineSeries,
  from: number,
  to: number,
  now: number,
): string[] {
  const rows = new Array<string>(to - from);
  for (let i = from; i < to; i++) rows[i - from] = series.rowJson(i);
  const last = to - 1;
  if (to > from && series.openTimeAt(last) + series.intervalMs - 1 > now) {
    rows[rows.length - 1] = klineRowJson(candleAsOf(set, series, last, now));
  }
  return rows;
}

/** Applies gap and bad-row faults; returns how many rows were touched. */
export function applyRowFaults(
  rows: string[],
  isLastOpen: boolean,
  gaps: GapFault[],
  badRows: BadRowFault[],
): { gaps: number; badRows: number } {
  let gapCount = 0;
  let badCount = 0;
  for (const gap of gaps) {
    const index = targetRow(rows, isLastOpen, gap.openTime);
    if (index >= 0) {
      rows.splice(index, 1);
      gapCount++;
    }
  }
  for (const fault of badRows) {
    const index = targetRow(rows, isLastOpen, fault.openTime);
    if (index >= 0) {
      rows[index] = corruptRow(rows[index]!, fault.kind);
      badCount++;
    }
  }
  return { gaps: gapCount, badRows: badCount };
}

function targetRow(rows: string[], isLastOpen: boolean, openTime: number | undefined): number {
  if (openTime !== undefined) return rows.findIndex((r) => r.startsWith(`[${openTime},`));
  return rows.length - (isLastOpen ? 2 : 1);
}

function corruptRow(row: string, kind: BadRowFault['kind']): string {
  const fields = JSON.parse(row) as (string | number)[];
  switch (kind) {
    case 'non-numeric':
      fields[4] = 'abc';
      break;
    case 'high-below-low':
      fields[2] = format8(Number(fields[3]) * 0.9);
      break;
    case 'negative-volume':
      fields[5] = format8(-Math.max(1, Number(fields[5])));
      break;
    case 'missing-field':
      fields.pop();
      break;
  }
  return JSON.stringify(fields);
}
