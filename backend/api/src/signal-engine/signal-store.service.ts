import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { SignalEvent, SignalEventType } from '@scanner/contracts';
import type { EngineEvent, SignalChangeEvent, SignalEngineSnapshot } from '@scanner/signal-core';
import { DataSource, EntityManager } from 'typeorm';
import { EngineStateEntity, StoredEngineState } from './entities/engine-state.entity';
import { SignalEntity } from './entities/signal.entity';
import { defaultStamp, toSignalEntity, toWireSignal, type CreationStamp } from './signal.mapper';
import { SignalChangeNotices } from './signal-change-notices';
import {
  eventInserts,
  refusedForItsRows,
  signalUpsertShape,
  signalUpserts,
  type EventRow,
  type SignalUpsertShape,
} from './signal-store.statements';
import { EngineStateConflictError } from './signal-store.errors';

export { SIGNAL_EVENTS_LOCK_KEY } from './signal-store.statements';

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

/** Engine steps written together at most: one flush's statements stay a few MB at most. */
export const MAX_STEPS_PER_FLUSH = 400;
/** A step that commits waits this long for the other steps of its close instant to join its flush. */
export const COMMIT_BATCH_MS = 2;
/** With no flush in flight, this many waiting steps are written at once, without waiting out the delay. */
export const FLUSH_AT_STEPS = 128;

/**
 * Flushes in flight at once: while the database writes one, the next is already on its way on another
 * connection (a multi-core database writes both; their engine-state rows are disjoint, and their
 * events are numbered in commit order by the signal_events lock).
 */
export const MAX_FLUSHES_IN_FLIGHT = 2;

/** One engine step waiting for its flush. */
interface PendingStep {
  step: EngineCommit;
  key: string;
  lastOpenTime: number;
  /** The stored state as JSON (built when the step is queued, so a flush only sends it). */
  state: string;
  revision: number;
  changes: SignalChangeEvent[];
  resolve: (committed: CommittedChanges) => void;
  reject: (error: Error) => void;
}

/** How a flush ended for one step. */
type StepOutcome = { ok: true; committed: CommittedChanges } | { ok: false; error: Error };

/**
 * Write side of the signal lifecycle: an engine step lands atomically (signals rows, signal_events rows,
 * engine state), so a crash at any point leaves the database and the engine state consistent with each
 * other; its promise settles only once that is committed.
 *
 * Steps are group-committed: the steps that finish within COMMIT_BATCH_MS of each other (a close instant
 * brings thousands; FLUSH_AT_STEPS of them go without waiting), and those that finish while a flush is in
 * flight, are written by the next flush: every engine state in one multi-row statement that checks each
 * row's revision, their signal changes in the same transaction. A step whose revision moved (another
 * process advanced that series) is left out and only it fails with EngineStateConflictError (the scanner
 * reloads and redoes that series); a flush refused for one step's rows is written again step by step, so
 * that step fails alone. At most MAX_FLUSHES_IN_FLIGHT flushes are in flight, never two with the same
 * series, so the row locks of one process never wait for each other (a flush waits for the other only at
 * the signal_events lock, which it takes last).
 */
@Injectable()
export class SignalStore {
  private pending: PendingStep[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** The series of each flush in flight. */
  private readonly inFlight = new Set<Set<string>>();
  private readonly flushCount = { flushes: 0, steps: 0, largest: 0 };
  private upsertShape: SignalUpsertShape | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notices: SignalChangeNotices,
  ) {}

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
   * Persists one engine step (with the other steps of the moment, see the class); rejects with
   * EngineStateConflictError (nothing of it written) if another writer got there first.
   */
  commit(step: EngineCommit): Promise<CommittedChanges> {
    const lastOpenTime = step.snapshot.lastOpenTime;
    if (lastOpenTime === null)
      return Promise.reject(
        new Error(`engine of ${step.symbol} ${step.timeframe} has processed no candle: nothing to save`),
      );
    const revision = step.expectedRevision + 1;
    const state: StoredEngineState = { revision, snapshot: step.snapshot };
    return new Promise<CommittedChanges>((resolve, reject) => {
      this.pending.push({
        step,
        key: `${step.symbol}|${step.timeframe}`,
        lastOpenTime,
        state: JSON.stringify(state),
        revision,
        changes: step.events.filter((e): e is SignalChangeEvent => e.type !== 'gap'),
        resolve,
        reject,
      });
      this.schedule();
    });
  }

  /** Steps waiting for a flush (metrics, tests). */
  get queued(): number {
    return this.pending.length;
  }

  /** Flushes written so far by this process, the steps they carried, and the largest (benchmarks). */
  get flushStats(): { flushes: number; steps: number; largest: number } {
    return { ...this.flushCount };
  }

  private schedule(): void {
    if (this.pending.length === 0 || this.inFlight.size >= MAX_FLUSHES_IN_FLIGHT) return;
    if (this.pending.length >= FLUSH_AT_STEPS) {
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = null;
      this.flushNext();
      return;
    }
    // A flush in flight takes the steps that wait when it ends.
    if (this.inFlight.size > 0 || this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flushNext();
    }, COMMIT_BATCH_MS);
  }

  /**
   * Writes the next batch: the oldest steps, one per series and none of a series in flight (a series'
   * next step waits for the next flush: it was built on the earlier one's revision), at most
   * MAX_STEPS_PER_FLUSH. The next flush starts as soon as one is done, before the steps' callers run
   * on, so the database writes while the engine computes the next steps.
   */
  private flushNext(): void {
    if (this.inFlight.size >= MAX_FLUSHES_IN_FLIGHT || this.pending.length === 0) return;
    const batch: PendingStep[] = [];
    const rest: PendingStep[] = [];
    const keys = new Set<string>();
    const taken = new Set<string>();
    for (const flush of this.inFlight) for (const key of flush) taken.add(key);
    for (const item of this.pending) {
      if (batch.length < MAX_STEPS_PER_FLUSH && !keys.has(item.key) && !taken.has(item.key)) {
        keys.add(item.key);
        batch.push(item);
      } else rest.push(item);
    }
    if (batch.length === 0) return;
    this.pending = rest;
    this.inFlight.add(keys);
    this.flushCount.flushes++;
    this.flushCount.steps += batch.length;
    this.flushCount.largest = Math.max(this.flushCount.largest, batch.length);
    void this.write(batch).then((outcomes) => {
      this.inFlight.delete(keys);
      // The steps' callers run on after the next flush has been sent.
      setImmediate(() =>
        batch.forEach((item, i) => {
          const outcome = outcomes[i];
          if (outcome.ok) item.resolve(outcome.committed);
          else item.reject(outcome.error);
        }),
      );
      // Told once the flush is committed: the event types it wrote (nothing for steps without changes).
      const kinds = new Set<SignalEventType>();
      outcomes.forEach((outcome) => outcome.ok && outcome.committed.events.forEach((e) => kinds.add(e.type)));
      this.notices.changed(kinds);
      this.flushNext();
    });
  }

  /**
   * One flush; never rejects. A batch the database refused for what one step holds (a constraint, bad
   * data, a deadlock with another process) is written again step by step, so only that step fails; any
   * other failure (the connection) fails the whole batch, as it would each step.
   */
  private async write(batch: readonly PendingStep[]): Promise<StepOutcome[]> {
    try {
      return await this.writeTogether(batch);
    } catch (error) {
      if (batch.length === 1 || !refusedForItsRows(error))
        return batch.map(() => ({ ok: false, error: error as Error }));
      const outcomes: StepOutcome[] = [];
      for (const item of batch) outcomes.push((await this.write([item]))[0]);
      return outcomes;
    }
  }

  /**
   * The engine states of `batch` in one statement per kind (UPDATE for stored ones, INSERT for new ones),
   * each row revision-checked and row-locked; then the signal changes of the steps that were saved, in
   * the same transaction. Steps without changes, all new or all stored, need no transaction: their
   * states are one statement.
   */
  private async writeTogether(batch: readonly PendingStep[]): Promise<StepOutcome[]> {
    const run = async (manager: EntityManager): Promise<StepOutcome[]> => {
      const saved = await this.saveStates(manager, batch);
      const conflicts = batch.filter((item) => !saved.has(item.key));
      const actual =
        conflicts.length === 0 ? new Map<string, number>() : await this.revisions(manager, conflicts);
      const written = batch.filter((item) => saved.has(item.key) && item.changes.length > 0);
      const events = written.length === 0 ? [] : await this.writeChanges(manager, written);
      const eventsOf = new Map(written.map((item, i) => [item, events[i]]));
      return batch.map((item): StepOutcome => {
        if (!saved.has(item.key))
          return {
            ok: false,
            error: new EngineStateConflictError(
              item.step.symbol,
              item.step.timeframe,
              item.step.expectedRevision,
              actual.get(item.key) ?? null,
            ),
          };
        return { ok: true, committed: { revision: item.revision, events: eventsOf.get(item) ?? [] } };
      });
    };
    const oneStatement =
      batch.every((item) => item.changes.length === 0) &&
      (batch.every((item) => item.step.expectedRevision === 0) ||
        batch.every((item) => item.step.expectedRevision !== 0));
    return oneStatement ? run(this.dataSource.manager) : this.dataSource.transaction(run);
  }

  /**
   * Writes each engine state if it is still at the revision its engine was built from (none stored for
   * revision 0), in key order; returns the keys written. The rows stay locked until the transaction ends.
   */
  private async saveStates(manager: EntityManager, batch: readonly PendingStep[]): Promise<Set<string>> {
    const sorted = [...batch].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const fresh = sorted.filter((item) => item.step.expectedRevision === 0);
    const stored = sorted.filter((item) => item.step.expectedRevision !== 0);
    const saved = new Set<string>();
    // The rows returned are the ones written (a statement of one row: whether it returned one).
    const note = (items: readonly PendingStep[], rows: { symbol: string; timeframe: string }[]) => {
      if (items.length === 1) {
        if (rows.length === 1) saved.add(items[0].key);
      } else rows.forEach((row) => saved.add(`${row.symbol}|${row.timeframe}`));
    };
    if (fresh.length > 0) {
      const params: unknown[] = [];
      const tuples = fresh.map(({ step, lastOpenTime, state }) => {
        params.push(step.symbol, step.timeframe, lastOpenTime, state);
        const n = params.length;
        return `($${n - 3}, $${n - 2}, $${n - 1}::bigint, $${n}::json, now())`;
      });
      note(
        fresh,
        await manager.query(
          `INSERT INTO engine_states (symbol, timeframe, last_candle_open_time, state, updated_at)
           VALUES ${tuples.join(', ')}
           ON CONFLICT (symbol, timeframe) DO NOTHING
           RETURNING symbol, timeframe`,
          params,
        ),
      );
    }
    if (stored.length > 0) {
      const params: unknown[] = [];
      const tuples = stored.map(({ step, lastOpenTime, state }) => {
        params.push(step.symbol, step.timeframe, lastOpenTime, state, step.expectedRevision);
        const n = params.length;
        return `($${n - 4}::varchar, $${n - 3}::varchar, $${n - 2}::bigint, $${n - 1}::json, $${n}::bigint)`;
      });
      note(
        stored,
        await manager.query(
          // As a CTE: the driver hands an UPDATE's result back as [rows, count], a SELECT's as rows.
          `WITH v (symbol, timeframe, last_open, state, expected) AS (VALUES ${tuples.join(', ')}),
                saved AS (
                  UPDATE engine_states e
                     SET last_candle_open_time = v.last_open, state = v.state, updated_at = now()
                    FROM v
                   WHERE e.symbol = v.symbol AND e.timeframe = v.timeframe
                     AND (e.state->>'revision')::bigint = v.expected
                  RETURNING e.symbol, e.timeframe)
           SELECT symbol, timeframe FROM saved`,
          params,
        ),
      );
    }
    return saved;
  }

  /** The stored revisions of the steps that were not saved (absent: no state stored). */
  private async revisions(
    manager: EntityManager,
    items: readonly PendingStep[],
  ): Promise<Map<string, number>> {
    const rows: { symbol: string; timeframe: string; revision: string | null }[] = await manager.query(
      `SELECT e.symbol, e.timeframe, e.state->>'revision' AS revision
         FROM engine_states e
         JOIN unnest($1::varchar[], $2::varchar[]) AS k(symbol, timeframe)
           ON e.symbol = k.symbol AND e.timeframe = k.timeframe`,
      [items.map((item) => item.step.symbol), items.map((item) => item.step.timeframe)],
    );
    return new Map(rows.map((row) => [`${row.symbol}|${row.timeframe}`, Number(row.revision ?? 0)]));
  }

  /**
   * The changes of the saved steps in a handful of statements, whatever their number (a warm-up replays
   * long histories): the newest row of each signal in multi-row upserts built from the entity's columns,
   * then every change's signal_events row in multi-row inserts, which take the signal_events advisory
   * lock themselves (held to the commit), step after step in the flush's order. The rows of a series are
   * already locked by its engine state. Returns each step's events, in seq order.
   */
  private async writeChanges(
    manager: EntityManager,
    steps: readonly PendingStep[],
  ): Promise<SignalEvent[][]> {
    const rows: EventRow[] = [];
    const newest = new Map<string, SignalEntity>();
    steps.forEach(({ step, changes }, index) => {
      const marketTime = step.marketTime ?? null;
      for (const change of changes) {
        const entity = toSignalEntity(
          change.signal,
          step.stamps?.get(change.signal.id) ?? defaultStamp(change.signal, marketTime ?? undefined),
        );
        // One statement cannot upsert a row twice: the last change of each signal is its row.
        newest.set(entity.id, entity);
        rows.push({ step: index, type: EVENT_TYPE[change.type], signal: toWireSignal(entity), marketTime });
      }
    });
    const eventBatches = eventInserts(rows);
    this.upsertShape ??= signalUpsertShape(this.dataSource.getMetadata(SignalEntity).columns);
    for (const upsert of signalUpserts(this.upsertShape, [...newest.values()]))
      await manager.query(upsert.sql, upsert.params);
    const events: SignalEvent[][] = steps.map(() => []);
    for (const batch of eventBatches) {
      const inserted: { seq: string }[] = await manager.query(batch.sql, batch.params);
      // seq is drawn row by row in `ord` order; sorted, the seqs line up with the changes.
      const seqs = inserted.map((row) => Number(row.seq)).sort((a, b) => a - b);
      if (seqs.length !== batch.rows.length)
        throw new Error(`signal_events: ${seqs.length} rows inserted for ${batch.rows.length} changes`);
      batch.rows.forEach(({ step, type, signal }, i) => events[step].push({ seq: seqs[i], type, signal }));
    }
    return events;
  }
}
