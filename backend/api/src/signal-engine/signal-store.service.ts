import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Signal, SignalEvent, SignalEventType } from '@scanner/contracts';
import type { EngineEvent, SignalChangeEvent, SignalEngineSnapshot } from '@scanner/signal-core';
import { DataSource, EntityManager } from 'typeorm';
import { EngineStateEntity, StoredEngineState } from './entities/engine-state.entity';
import { SignalEntity } from './entities/signal.entity';
import { defaultStamp, toSignalEntity, toWireSignal, type CreationStamp } from './signal.mapper';
import { EngineStateConflictError } from './signal-store.errors';

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

const EVENT_TYPE: Record<SignalChangeEvent['type'], SignalEventType> = {
  created: 'created',
  updated: 'updated',
  closed: 'deleted',
};

/** One engine step to persist: the events it emitted and the state it reached. */
export interface EngineCommit {
  symbol: string;
  timeframe: string;
  /** The revision read before processing (0 when the engine had no stored state). */
  expectedRevision: number;
  snapshot: SignalEngineSnapshot;
  events: readonly EngineEvent[];
  /**
   * Market time of the step (the newest market data it saw), stored with its events: notifications
   * judge an event's freshness against it, never against the host's clock.
   */
  marketTime?: number;
  /**
   * The creation stamp (origin, pTarget) of every signal the events touch, by id: decided at creation
   * and carried unchanged by its later changes. A signal without one gets defaultStamp (tests).
   */
  stamps?: ReadonlyMap<string, CreationStamp>;
}

export interface CommittedChanges {
  revision: number;
  /** The signal_events rows written, in seq order. */
  events: SignalEvent[];
}

export interface LoadedEngineState {
  revision: number;
  lastCandleOpenTime: number;
  snapshot: SignalEngineSnapshot;
}

/**
 * Write side of the signal lifecycle: an engine step lands in ONE transaction (signals rows,
 * signal_events rows, engine state), so a crash at any point leaves the database and the engine
 * state consistent with each other.
 */
@Injectable()
export class SignalStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async loadState(symbol: string, timeframe: string): Promise<LoadedEngineState | null> {
    const row = await this.dataSource.getRepository(EngineStateEntity).findOneBy({ symbol, timeframe });
    return row === null
      ? null
      : {
          revision: row.state.revision,
          lastCandleOpenTime: row.lastCandleOpenTime,
          snapshot: row.state.snapshot,
        };
  }

  /** The revision of the stored engine state (null when none is stored), without reading the snapshot. */
  async revisionOf(symbol: string, timeframe: string): Promise<number | null> {
    const rows: { revision: string | null }[] = await this.dataSource.query(
      `SELECT state->>'revision' AS revision FROM engine_states WHERE symbol = $1 AND timeframe = $2`,
      [symbol, timeframe],
    );
    return rows.length === 0 ? null : Number(rows[0].revision ?? 0);
  }

  /**
   * Persists one engine step; throws EngineStateConflictError (nothing written) if another writer got
   * there first. The engine state is written first, by a statement that checks the revision and row-locks
   * the state: a step without signal changes (most of them) is that one statement; one with changes adds
   * its signal rows and then its events in the same transaction.
   */
  async commit(step: EngineCommit): Promise<CommittedChanges> {
    const lastOpenTime = step.snapshot.lastOpenTime;
    if (lastOpenTime === null)
      throw new Error(`engine of ${step.symbol} ${step.timeframe} has processed no candle: nothing to save`);
    const revision = step.expectedRevision + 1;
    const state: StoredEngineState = { revision, snapshot: step.snapshot };
    const changes = step.events.filter((e): e is SignalChangeEvent => e.type !== 'gap');
    if (changes.length === 0) {
      await this.saveState(this.dataSource.manager, step, lastOpenTime, state);
      return { revision, events: [] };
    }
    return this.dataSource.transaction(async (manager) => {
      await this.saveState(manager, step, lastOpenTime, state);
      const events = await this.writeChanges(manager, changes, step.marketTime ?? null, step.stamps);
      return { revision, events };
    });
  }

  /**
   * Writes the engine state if it is still at the revision the engine was built from (none stored for
   * revision 0): one statement, which row-locks the state until the transaction ends.
   */
  private async saveState(
    manager: EntityManager,
    step: EngineCommit,
    lastOpenTime: number,
    state: StoredEngineState,
  ): Promise<void> {
    const values = [step.symbol, step.timeframe, lastOpenTime, JSON.stringify(state)];
    const saved: unknown[] =
      step.expectedRevision === 0
        ? await manager.query(
            `INSERT INTO engine_states (symbol, timeframe, last_candle_open_time, state, updated_at)
             VALUES ($1, $2, $3, $4, now())
             ON CONFLICT (symbol, timeframe) DO NOTHING
             RETURNING symbol`,
            values,
          )
        : await manager.query(
            // As a CTE: the driver hands an UPDATE's result back as [rows, count], a SELECT's as rows.
            `WITH saved AS (
               UPDATE engine_states SET last_candle_open_time = $3, state = $4, updated_at = now()
                WHERE symbol = $1 AND timeframe = $2 AND (state->>'revision')::bigint = $5
                RETURNING symbol)
             SELECT symbol FROM saved`,
            [...values, step.expectedRevision],
          );
    if (saved.length === 1) return;
    const rows: { revision: string | null }[] = await manager.query(
      `SELECT state->>'revision' AS revision FROM engine_states WHERE symbol = $1 AND timeframe = $2`,
      [step.symbol, step.timeframe],
    );
    throw new EngineStateConflictError(
      step.symbol,
      step.timeframe,
      step.expectedRevision,
      rows.length === 0 ? null : Number(rows[0].revision ?? 0),
    );
  }

  /**
   * The step's changes in a handful of statements, whatever their number (a warm-up replays long
   * histories): the newest row of each signal in multi-row upserts built from the entity's columns, then
   * every change's signal_events row in multi-row inserts, which take the signal_events advisory lock
   * themselves (held to the commit). The rows of a series are already locked by its engine state, so
   * concurrent steps of other series queue only for the event insert and the commit.
   */
  private async writeChanges(
    manager: EntityManager,
    changes: readonly SignalChangeEvent[],
    marketTime: number | null,
    stamps: EngineCommit['stamps'],
  ): Promise<SignalEvent[]> {
    const entities = changes.map((change) =>
      toSignalEntity(
        change.signal,
        stamps?.get(change.signal.id) ?? defaultStamp(change.signal, marketTime ?? undefined),
      ),
    );
    const eventBatches = eventInserts(
      entities.map((entity, i) => ({ type: EVENT_TYPE[changes[i].type], signal: toWireSignal(entity) })),
      marketTime,
    );
    // One statement cannot upsert a row twice: the last change of each signal is its row.
    const newest = new Map<string, SignalEntity>();
    for (const entity of entities) newest.set(entity.id, entity);
    const rows = [...newest.values()];
    const repository = manager.getRepository(SignalEntity);
    const perUpsert = Math.max(1, Math.floor(MAX_PARAMETERS / repository.metadata.columns.length));
    for (let start = 0; start < rows.length; start += perUpsert) {
      await repository.upsert(rows.slice(start, start + perUpsert), {
        conflictPaths: ['id'],
        skipUpdateIfNoValuesChanged: false,
      });
    }
    const events: SignalEvent[] = [];
    for (const batch of eventBatches) {
      const inserted: { seq: string }[] = await manager.query(batch.sql, batch.params);
      // seq is drawn row by row in `ord` order; sorted, the seqs line up with the changes.
      const seqs = inserted.map((row) => Number(row.seq)).sort((a, b) => a - b);
      if (seqs.length !== batch.rows.length)
        throw new Error(`signal_events: ${seqs.length} rows inserted for ${batch.rows.length} changes`);
      batch.rows.forEach(({ type, signal }, i) => events.push({ seq: seqs[i], type, signal }));
    }
    return events;
  }
}

interface EventInsert {
  sql: string;
  params: unknown[];
  rows: Array<{ type: SignalEventType; signal: Signal }>;
}

/**
 * The multi-row INSERTs of a step's events, built before any lock is taken. Each takes the
 * signal_events advisory lock before its first row (a scalar subquery joined to the rows) and draws
 * seq in the order of the changes (ORDER BY ord).
 */
function eventInserts(
  rows: ReadonlyArray<{ type: SignalEventType; signal: Signal }>,
  marketTime: number | null,
): EventInsert[] {
  const inserts: EventInsert[] = [];
  for (let start = 0; start < rows.length; start += EVENTS_PER_INSERT) {
    const chunk = rows.slice(start, start + EVENTS_PER_INSERT);
    const params: unknown[] = [SIGNAL_EVENTS_LOCK_KEY];
    const tuples = chunk.map(({ type, signal }, i) => {
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
