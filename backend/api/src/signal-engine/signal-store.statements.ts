/** The SQL of SignalStore's flushes: multi-row statements, built before any lock is taken. */
import type { Signal, SignalEventType } from '@scanner/contracts';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { SignalEntity } from './entities/signal.entity';

/**
 * Key of the transaction-scoped advisory lock every writer of signal_events takes before its first
 * insert: seq values are then handed out in commit order across processes, so a publisher tailing
 * by seq never sees N + 1 committed while N is still in flight.
 */
export const SIGNAL_EVENTS_LOCK_KEY = 7_100_001;

/** Bind parameters per statement: Postgres allows 65,535; a margin for anything the builder adds. */
const MAX_PARAMETERS = 60_000;
/** signal_events rows per INSERT (4 parameters each). */
const EVENTS_PER_INSERT = Math.floor((MAX_PARAMETERS - 1) / 4);

/**
 * Whether Postgres refused a statement for the rows it carried: SQLSTATE classes 22 (data exception),
 * 23 (integrity constraint), 40 (deadlock, serialization) and P0 (raised by a trigger).
 */
export function refusedForItsRows(error: unknown): boolean {
  const code =
    (error as { driverError?: { code?: unknown }; code?: unknown })?.driverError?.code ??
    (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^(22|23|40|P0)[0-9A-Z]{3}$/.test(code);
}

/** How a signal row is written: its columns (from the entity's metadata) and the upsert's clauses. */
export interface SignalUpsertShape {
  columns: readonly ColumnMetadata[];
  names: string;
  updates: string;
  /** Per column: sent as JSON text (jsonb/json columns, as TypeORM would). */
  json: readonly boolean[];
}

export function signalUpsertShape(columns: readonly ColumnMetadata[]): SignalUpsertShape {
  return {
    columns,
    names: columns.map((column) => `"${column.databaseName}"`).join(', '),
    updates: columns
      .filter((column) => !column.isPrimary)
      .map((column) => `"${column.databaseName}" = EXCLUDED."${column.databaseName}"`)
      .join(', '),
    json: columns.map((column) => column.type === 'jsonb' || column.type === 'json'),
  };
}

/**
 * The multi-row upserts of a flush's signal rows: the statement TypeORM's `upsert` builds, without its
 * query builder, whose cost grows faster than the rows (a close instant brings hundreds).
 */
export function signalUpserts(
  shape: SignalUpsertShape,
  entities: readonly SignalEntity[],
): Array<{ sql: string; params: unknown[] }> {
  const { columns, json } = shape;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  const upserts: Array<{ sql: string; params: unknown[] }> = [];
  for (let start = 0; start < entities.length; start += perStatement) {
    const params: unknown[] = [];
    const tuples = entities.slice(start, start + perStatement).map((entity) => {
      const first = params.length + 1;
      columns.forEach((column, i) => {
        const value = column.getEntityValue(entity) as unknown;
        params.push(
          json[i] && value !== null && value !== undefined ? JSON.stringify(value) : (value ?? null),
        );
      });
      return `(${columns.map((_, i) => `$${first + i}`).join(', ')})`;
    });
    upserts.push({
      sql: `INSERT INTO signals (${shape.names}) VALUES ${tuples.join(', ')}
            ON CONFLICT (id) DO UPDATE SET ${shape.updates}`,
      params,
    });
  }
  return upserts;
}

export interface EventRow {
  /** Index of the step in its flush. */
  step: number;
  type: SignalEventType;
  signal: Signal;
  marketTime: number | null;
}

interface EventInsert {
  sql: string;
  params: unknown[];
  rows: EventRow[];
}

/**
 * The multi-row INSERTs of a flush's events, built before any lock is taken. Each takes the
 * signal_events advisory lock before its first row (a scalar subquery joined to the rows) and draws
 * seq in the order of the changes (ORDER BY ord).
 */
export function eventInserts(rows: readonly EventRow[]): EventInsert[] {
  const inserts: EventInsert[] = [];
  for (let start = 0; start < rows.length; start += EVENTS_PER_INSERT) {
    const chunk = rows.slice(start, start + EVENTS_PER_INSERT);
    const params: unknown[] = [SIGNAL_EVENTS_LOCK_KEY];
    const tuples = chunk.map(({ type, signal, marketTime }, i) => {
      params.push(signal.id, type, JSON.stringify(signal), marketTime);
      const n = params.length;
      return `($${n - 3}, $${n - 2}, $${n - 1}, $${n}, ${i})`;
    });
    inserts.push({
      sql: `INSERT INTO signal_events (signal_id, type, payload, market_time)
            SELECT v.signal_id, v.type, v.payload::jsonb, v.market_time::bigint
              FROM (SELECT pg_advisory_xact_lock($1)) AS locked,
                   (VALUES ${tuples.join(', ')}) AS v(signal_id, type, payload, market_time, ord)
             ORDER BY v.ord
            RETURNING seq`,
      params,
      rows: chunk,
    });
  }
  return inserts;
}
