import {
  SIGNAL_ORIGINS,
  SIGNAL_SORTS,
  type ClosedSignalStatus,
  type OriginFilter,
  type SignalDirection,
  type SignalListQuery,
  type SignalSort,
} from '@scanner/contracts';

export type HistoryStatus = ClosedSignalStatus | 'CLOSED';
export const HISTORY_STATUSES: readonly HistoryStatus[] = [
  'CLOSED',
  'TP_HIT',
  'SL_HIT',
  'INVALIDATED',
  'EXPIRED',
  'CANCELLED',
];

/** Headline figures are live-only by default: replayed history is a click away, never mixed in silently. */
export const HISTORY_ORIGINS: readonly OriginFilter[] = ['live', 'replay', 'all'];

export interface HistoryFilters {
  origin: OriginFilter;
  direction: 'ALL' | SignalDirection;
  timeframe: string | null;
  status: HistoryStatus;
  symbol: string;
  sort: SignalSort;
}

export type HistoryQueryParams = Partial<Record<keyof HistoryFilters, string | undefined>>;

export function parseHistoryFilters(q: HistoryQueryParams): HistoryFilters {
  return {
    origin: HISTORY_ORIGINS.find((o) => o === q.origin) ?? 'live',
    direction: q.direction === 'LONG' || q.direction === 'SHORT' ? q.direction : 'ALL',
    timeframe: q.timeframe && /^[0-9]+[mhdwM]$/.test(q.timeframe) ? q.timeframe : null,
    status: HISTORY_STATUSES.find((s) => s === q.status) ?? 'CLOSED',
    symbol: (q.symbol ?? '').trim().toUpperCase().slice(0, 20),
    sort: SIGNAL_SORTS.find((s) => s === q.sort) ?? 'latest',
  };
}

export function historyFiltersToQuery(f: HistoryFilters): Record<keyof HistoryFilters, string | null> {
  return {
    origin: f.origin === 'live' ? null : f.origin,
    direction: f.direction === 'ALL' ? null : f.direction,
    timeframe: f.timeframe,
    status: f.status === 'CLOSED' ? null : f.status,
    symbol: f.symbol || null,
    sort: f.sort === 'latest' ? null : f.sort,
  };
}

/** The REST query for one page of history. */
export function toListQuery(
  f: HistoryFilters,
  limit: number,
  cursor: string | null,
): Record<string, string | number> {
  const q: SignalListQuery = { status: f.status, sort: f.sort, limit };
  if (f.direction !== 'ALL') q.direction = f.direction;
  if (f.timeframe) q.timeframe = f.timeframe;
  if (f.symbol) q.symbol = f.symbol;
  const origin = SIGNAL_ORIGINS.find((o) => o === f.origin);
  if (origin) q.origin = origin;
  if (cursor) q.cursor = cursor;
  return q as Record<string, string | number>;
}

/** Query of stats, calibration and ablation: the filters those endpoints take (`origin=all` is explicit). */
export function toQualityQuery(f: HistoryFilters): Record<string, string> {
  const params: Record<string, string> = { origin: f.origin };
  if (f.timeframe) params['timeframe'] = f.timeframe;
  if (f.direction !== 'ALL') params['direction'] = f.direction;
  return params;
}
