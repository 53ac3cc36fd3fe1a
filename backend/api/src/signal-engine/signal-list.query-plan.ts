import type { SignalListQuery, SignalSort } from '@scanner/contracts';
import { CLOSED_SIGNAL_STATUSES } from '@scanner/signal-core';
import type { SignalCursor } from './signal-cursor';
import { SignalEntity } from './entities/signal.entity';

/** WHERE clauses (ANDed, alias `s`), their named parameters and the ORDER BY of one page. */
export interface SignalListPlan {
  where: string[];
  params: Record<string, unknown>;
  orderBy: [column: string, direction: 'ASC' | 'DESC'][];
}

interface SortSpec {
  column: string;
  direction: 'ASC' | 'DESC';
  /** The id tie-breaker runs the same way, so the keyset comparison is a plain row comparison. */
  cursorValue: (key: number | string) => unknown;
  keyOf: (row: SignalEntity) => number | string;
}

const SORTS: Record<SignalSort, SortSpec> = {
  confidence: {
    column: 's.confidence',
    direction: 'DESC',
    cursorValue: (k) => k,
    keyOf: (r) => r.confidence,
  },
  latest: {
    column: 's.createdAt',
    direction: 'DESC',
    cursorValue: (k) => new Date(k as number),
    keyOf: (r) => r.createdAt.getTime(),
  },
  symbol: { column: 's.symbol', direction: 'ASC', cursorValue: (k) => k, keyOf: (r) => r.symbol },
};

export const DEFAULT_SIGNAL_SORT: SignalSort = 'confidence';

/** Filters, keyset position and order of `GET /api/signals` (DESIGN §8); pure, for the query builder. */
export function planSignalList(query: SignalListQuery, cursor: SignalCursor | null): SignalListPlan {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (query.status === 'CLOSED') {
    where.push('s.status IN (:...closedStatuses)');
    params.closedStatuses = [...CLOSED_SIGNAL_STATUSES];
  } else if (query.status !== undefined) {
    where.push('s.status = :status');
    params.status = query.status;
  }
  if (query.direction !== undefined) {
    where.push('s.direction = :direction');
    params.direction = query.direction;
  }
  if (query.timeframe !== undefined) {
    where.push('s.timeframe = :timeframe');
    params.timeframe = query.timeframe;
  }
  if (query.minConfidence !== undefined) {
    where.push('s.confidence >= :minConfidence');
    params.minConfidence = query.minConfidence;
  }
  if (query.symbol !== undefined) {
    where.push('s.symbol = :symbol');
    params.symbol = query.symbol;
  }
  if (query.origin !== undefined) {
    where.push('s.origin = :origin');
    params.origin = query.origin;
  }
  const sort = SORTS[query.sort ?? DEFAULT_SIGNAL_SORT];
  if (cursor !== null) {
    const op = sort.direction === 'DESC' ? '<' : '>';
    where.push(`(${sort.column} ${op} :cursorKey OR (${sort.column} = :cursorKey AND s.id ${op} :cursorId))`);
    params.cursorKey = sort.cursorValue(cursor.key);
    params.cursorId = cursor.id;
  }
  return {
    where,
    params,
    orderBy: [
      [sort.column, sort.direction],
      ['s.id', sort.direction],
    ],
  };
}

/** The cursor that continues after `row` in `sort` order. */
export function cursorAfter(row: SignalEntity, sort: SignalSort): SignalCursor {
  return { sort, key: SORTS[sort].keyOf(row), id: row.id };
}
