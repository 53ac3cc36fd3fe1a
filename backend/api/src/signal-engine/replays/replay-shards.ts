import type { ReplayRequest } from '@scanner/contracts';
import {
  packSignals,
  unpackSignals,
  type EngineConfig,
  type PackedSignals,
  type Signal,
} from '@scanner/signal-core';

/*
 * A replay split into shards (issue 18 §4): groups of series that any worker process may run, each
 * storing its partial result; merged in shard order, so the result does not depend on which shard
 * finished first or where it ran.
 */

/** Series per shard: a replay of 50 symbols on one timeframe is 5 shards for the worker processes to share. */
export const SHARD_SERIES = 10;

/** One series of a replay. */
export interface ReplaySeries {
  readonly symbol: string;
  readonly timeframe: string;
}

/** Every series of the request in replay order (timeframes sorted, then symbols sorted), in shards of `size`. */
export function planShards(
  request: Pick<ReplayRequest, 'symbols' | 'timeframes'>,
  size = SHARD_SERIES,
): ReplaySeries[][] {
  const series: ReplaySeries[] = [];
  for (const timeframe of [...request.timeframes].sort())
    for (const symbol of [...request.symbols].sort()) series.push({ symbol, timeframe });
  const shards: ReplaySeries[][] = [];
  for (let i = 0; i < series.length; i += size) shards.push(series.slice(i, i + size));
  return shards;
}

/**
 * A shard's series in chunks for the worker threads: consecutive series of one timeframe, at most
 * `size` each (a chunk is loaded into the threads once and replayed with both versions).
 */
export function chunkSeries(series: readonly ReplaySeries[], size: number): ReplaySeries[][] {
  const chunks: ReplaySeries[][] = [];
  for (const s of series) {
    const last = chunks.at(-1);
    if (last !== undefined && last.length < size && last[0].timeframe === s.timeframe) last.push(s);
    else chunks.push([s]);
  }
  return chunks;
}

/** PackedSignals as stored in JSON: the numbers as base64 of their bytes. */
export interface StoredPackedSignals extends Omit<PackedSignals, 'data'> {
  readonly data: string;
}

export function packedToJson(packed: PackedSignals): StoredPackedSignals {
  const { data, ...rest } = packed;
  return { ...rest, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64') };
}

export function packedFromJson(stored: StoredPackedSignals): PackedSignals {
  const bytes = Buffer.from(stored.data, 'base64');
  // A copy on an aligned buffer of its own (a Buffer may sit at any offset of a shared pool).
  const data = new Float64Array(bytes.byteLength / Float64Array.BYTES_PER_ELEMENT);
  new Uint8Array(data.buffer).set(bytes);
  return { ...stored, data };
}

/** One side of a shard's result: its replayed signals per series and the live comparison counts. */
export interface ShardSide {
  readonly series: StoredPackedSignals[];
  stored: number;
  matching: number;
}

/** What a finished shard stores: side A, side B. */
export interface ShardResult {
  readonly a: ShardSide;
  readonly b: ShardSide;
}

export const emptyShardSide = (): ShardSide => ({ series: [], stored: 0, matching: 0 });

/** Adds one series' replayed signals (of the period) to a side. */
export function addSeries(side: ShardSide, series: ReplaySeries, signals: readonly Signal[]): void {
  if (signals.length > 0)
    side.series.push(packedToJson(packSignals(signals, series.symbol, series.timeframe)));
}

/** Both sides over every shard, in shard order: signals in replay order, live counts summed. */
export function mergeShards(
  results: readonly ShardResult[],
  configs: { readonly a: EngineConfig; readonly b: EngineConfig },
): Record<'a' | 'b', { signals: Signal[]; stored: number; matching: number }> {
  const side = (key: 'a' | 'b') => {
    const signals: Signal[] = [];
    let stored = 0;
    let matching = 0;
    for (const result of results) {
      for (const series of result[key].series)
        for (const s of unpackSignals(packedFromJson(series), configs[key])) signals.push(s);
      stored += result[key].stored;
      matching += result[key].matching;
    }
    return { signals, stored, matching };
  };
  return { a: side('a'), b: side('b') };
}
