import { LoadedSeries, listKlineFiles, loadKlineFolder } from './data-loader';
import { KlineInterval, alignmentMs } from './intervals';
import { SymbolSeries } from './symbol-series';
import { toEpochMs } from './virtual-clock';

/**
 * Shift from data time to served time. A number is used as given (rounded down to the alignment);
 * `{ mapDataTime, to }` picks the shift that brings data time `mapDataTime` to `to` (e.g. Date.now()).
 * Either way the shift is a whole multiple of the largest loaded interval (weeks and months aside), so
 * every served candle still opens on its interval's boundary: served openTime = data openTime + offset.
 */
export type TimeOffsetOption = number | { mapDataTime: number | string; to: number | string };

export interface ReplayDataOptions {
  dataDir: string;
  symbols?: readonly string[];
  intervals?: readonly KlineInterval[];
  timeOffset?: TimeOffsetOption;
}

export interface LoadReport {
  files: number;
  rows: number;
  symbols: number;
  intervals: KlineInterval[];
  loadMs: number;
  /** Served time − data time, in ms. */
  timeOffset: number;
}

export interface ReplayData {
  symbols: SymbolSeries[];
  report: LoadReport;
}

export function resolveTimeOffset(option: TimeOffsetOption | undefined, alignMs: number): number {
  if (option === undefined) return 0;
  const raw = typeof option === 'number' ? option : toEpochMs(option.to) - toEpochMs(option.mapDataTime);
  return Math.floor(raw / alignMs) * alignMs;
}

export function loadReplayData(options: ReplayDataOptions): ReplayData {
  const started = performance.now();
  const wanted = options.symbols ? new Set(options.symbols) : undefined;
  const intervals = [
    ...new Set(
      listKlineFiles(options.dataDir)
        .filter(
          (f) =>
            (!wanted || wanted.has(f.symbol)) &&
            (!options.intervals || options.intervals.includes(f.interval)),
        )
        .map((f) => f.interval),
    ),
  ];
  const timeOffset = resolveTimeOffset(options.timeOffset, alignmentMs(intervals));
  const loaded = loadKlineFolder({ ...options, timeOffset });
  const symbols = groupBySymbol(loaded);
  return {
    symbols,
    report: {
      files: loaded.length,
      rows: loaded.reduce((n, l) => n + l.series.length, 0),
      symbols: symbols.length,
      intervals,
      loadMs: Math.round(performance.now() - started),
      timeOffset,
    },
  };
}

function groupBySymbol(loaded: readonly LoadedSeries[]): SymbolSeries[] {
  const bySymbol = new Map<string, SymbolSeries>();
  for (const item of loaded) {
    const symbol = item.series.symbol;
    let set = bySymbol.get(symbol);
    if (!set) {
      set = new SymbolSeries(symbol, item.priceDecimals, item.quantityDecimals);
      bySymbol.set(symbol, set);
    }
    set.priceDecimals = Math.max(set.priceDecimals, item.priceDecimals);
    set.quantityDecimals = Math.max(set.quantityDecimals, item.quantityDecimals);
    set.add(item.series);
  }
  return [...bySymbol.values()];
}

/**
 * Default virtual start: in the interval most symbols share (the finest on a tie), 1000 candles after
 * its data begins, so a client can fetch a full 1000-candle history at once (capped at the newest candle).
 * With the shared data set that is 5m, giving 2024-08-01T11:20Z.
 */
export function defaultStartTime(symbols: readonly SymbolSeries[]): number | undefined {
  const cohorts = new Map<number, KlineSeriesLike[]>();
  for (const set of symbols) {
    for (const s of set.all()) {
      if (s.length === 0) continue;
      const list = cohorts.get(s.intervalMs) ?? [];
      list.push(s);
      cohorts.set(s.intervalMs, list);
    }
  }
  let best: KlineSeriesLike[] | undefined;
  let bestMs = Infinity;
  for (const [ms, list] of cohorts) {
    if (!best || list.length > best.length || (list.length === best.length && ms < bestMs)) {
      best = list;
      bestMs = ms;
    }
  }
  if (!best) return undefined;
  const first = Math.min(...best.map((s) => s.firstOpenTime));
  const last = Math.max(...best.map((s) => s.lastOpenTime));
  return Math.min(first + 1000 * bestMs, last);
}

interface KlineSeriesLike {
  intervalMs: number;
  firstOpenTime: number;
  lastOpenTime: number;
}
