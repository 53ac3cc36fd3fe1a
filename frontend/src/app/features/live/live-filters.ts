import {
  SIGNAL_SORTS,
  SIGNAL_STATUSES,
  type Signal,
  type SignalDirection,
  type SignalSort,
  type SignalStatus,
} from '@scanner/contracts';

export type DirectionFilter = 'ALL' | SignalDirection;
export type StatusFilter = SignalStatus | 'CLOSED';
export const STATUS_FILTERS: readonly StatusFilter[] = [...SIGNAL_STATUSES, 'CLOSED'];

export interface LiveFilters {
  direction: DirectionFilter;
  /** null = every timeframe */
  timeframe: string | null;
  minConfidence: number;
  status: StatusFilter;
  /** Case-insensitive substring of the symbol; '' = all. */
  symbol: string;
  sort: SignalSort;
}

export const DEFAULT_FILTERS: LiveFilters = {
  direction: 'ALL',
  timeframe: null,
  minConfidence: 0,
  status: 'ACTIVE',
  symbol: '',
  sort: 'confidence',
};

/** The URL query as the router hands it over (one optional string per key). */
export type FilterQuery = Partial<Record<keyof LiveFilters, string | null | undefined>>;

/** Reads filters from the URL query; anything invalid falls back to its default. */
export function parseFilters(query: FilterQuery): LiveFilters {
  const direction = query.direction === 'LONG' || query.direction === 'SHORT' ? query.direction : 'ALL';
  const confidence = Number(query.minConfidence);
  const status = STATUS_FILTERS.find((s) => s === query.status) ?? DEFAULT_FILTERS.status;
  const sort = SIGNAL_SORTS.find((s) => s === query.sort) ?? DEFAULT_FILTERS.sort;
  return {
    direction,
    timeframe: query.timeframe && /^[0-9]+[mhdwM]$/.test(query.timeframe) ? query.timeframe : null,
    minConfidence: Number.isFinite(confidence) ? Math.min(100, Math.max(0, Math.round(confidence))) : 0,
    status,
    symbol: (query.symbol ?? '').trim().toUpperCase().slice(0, 20),
    sort,
  };
}

/** The URL query for filters: defaults are left out (null removes the key on merge). */
export function filtersToQuery(filters: LiveFilters): Record<keyof LiveFilters, string | null> {
  return {
    direction: filters.direction === 'ALL' ? null : filters.direction,
    timeframe: filters.timeframe,
    minConfidence: filters.minConfidence > 0 ? String(filters.minConfidence) : null,
    status: filters.status === DEFAULT_FILTERS.status ? null : filters.status,
    symbol: filters.symbol || null,
    sort: filters.sort === DEFAULT_FILTERS.sort ? null : filters.sort,
  };
}

/** Whether a signal passes the filters other than status (the live grid shows active + just-closed). */
export function matchesFilters(signal: Signal, filters: LiveFilters): boolean {
  if (filters.direction !== 'ALL' && signal.direction !== filters.direction) return false;
  if (filters.timeframe !== null && signal.timeframe !== filters.timeframe) return false;
  if (signal.confidence < filters.minConfidence) return false;
  return filters.symbol === '' || signal.symbol.includes(filters.symbol);
}

// Plain comparisons (ISO times and ASCII symbols order correctly): re-sorting 1,000 signals every frame stays cheap.
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const bySymbol = (a: Signal, b: Signal) => compare(a.symbol, b.symbol) || compare(a.timeframe, b.timeframe);
const byLatest = (a: Signal, b: Signal) => compare(b.createdAt, a.createdAt) || compare(a.id, b.id);
const byConfidence = (a: Signal, b: Signal) => b.confidence - a.confidence || byLatest(a, b);

export const SORTERS: Record<SignalSort, (a: Signal, b: Signal) => number> = {
  confidence: byConfidence,
  latest: byLatest,
  symbol: (a, b) => bySymbol(a, b) || compare(a.id, b.id),
};

export function filterAndSort(signals: readonly Signal[], filters: LiveFilters): Signal[] {
  return signals.filter((s) => matchesFilters(s, filters)).sort(SORTERS[filters.sort]);
}
