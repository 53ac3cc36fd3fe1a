import {
  SIGNAL_SORTS,
  type ClosedSignalStatus,
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

export interface HistoryFilters {
  direction: 'ALL' | SignalDirection;
  timeframe: string | null;
  status: HistoryStatus;
  symbol: string;
  sort: SignalSort;
}

export type HistoryQueryParams = Partial<Record<keyof HistoryFilters, string | undefined>>;

export function parseHistoryFilters(q: HistoryQueryParams): HistoryFilters {
  return {
    direction: q.direction === 'LONG' || q.direction === 'SHORT' ? q.direction : 'ALL',
    timeframe: q.timeframe && /^[0-9]+[mhdwM]$/.test(q.timeframe) ? q.timeframe : null,
    status: HISTORY_STATUSES.find((s) => s === q.status) ?? 'CLOSED',
    symbol: (q.symbol ?? '').trim().toUpperCase().slice(0, 20),
    sort: SIGNAL_SORTS.find((s) => s === q.sort) ?? 'latest',
  };
}

export function historyFiltersToQuery(f: HistoryFilters): Record<keyof HistoryFilters, string | null> {
  return {
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
  if (cursor) q.cursor = cursor;
  return q as Record<string, string | number>;
}
