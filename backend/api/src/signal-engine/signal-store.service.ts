import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { SignalEvent, SignalEventType } from '@scanner/contracts';
import type { EngineEvent, SignalChangeEvent, SignalEngineSnapshot } from '@scanner/signal-core';
import { DataSource, EntityManager } from 'typeorm';
import { EngineStateEntity, StoredEngineState } from './entities/engine-state.entity';
import { SignalEntity } from './entities/signal.entity';
import { toSignalEntity, toWireSignal } from './signal.mapper';
import { EngineStateConflictError } from './signal-store.errors';

/**
 * Key of the transaction-scoped advisory lock every writer of signal_events takes before its first
 * insert: seq values are then handed out in commit order across processes, so a publisher tailing
 * by seq never sees N + 1 committed while N is still in flight.
 */
export const SIGNAL_EVENTS_LOCK_KEY = 7_100_001;

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

  /** Persists one engine step; throws EngineStateConflictError (nothing written) if another writer got there first. */
  async commit(step: EngineCommit): Promise<CommittedChanges> {
    const lastOpenTime = step.snapshot.lastOpenTime;
    if (lastOpenTime === null)
      throw new Error(`engine of ${step.symbol} ${step.timeframe} has processed no candle: nothing to save`);
    return this.dataSource.transaction(async (manager) => {
      await this.lockRevision(manager, step);
      const events: SignalEvent[] = [];
      const changes = step.events.filter((e): e is SignalChangeEvent => e.type !== 'gap');
      if (changes.length > 0) {
        await manager.query('SELECT pg_advisory_xact_lock($1)', [SIGNAL_EVENTS_LOCK_KEY]);
        for (const change of changes)
          events.push(await this.writeChange(manager, change, step.marketTime ?? null));
      }
      const revision = step.expectedRevision + 1;
      const state: StoredEngineState = { revision, snapshot: step.snapshot };
      const saved: unknown[] = await manager.query(
        `INSERT INTO engine_states (symbol, timeframe, last_candle_open_time, state, updated_at)
         VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (symbol, timeframe) DO UPDATE
           SET last_candle_open_time = EXCLUDED.last_candle_open_time, state = EXCLUDED.state, updated_at = now()
           WHERE (engine_states.state->>'revision')::bigint = $5
         RETURNING symbol`,
        [step.symbol, step.timeframe, lastOpenTime, JSON.stringify(state), step.expectedRevision],
      );
      if (saved.length !== 1)
        throw new EngineStateConflictError(step.symbol, step.timeframe, step.expectedRevision, null);
      return { revision, events };
    });
  }

  /** Row-locks the stored state (if any) and checks it is still the revision the engine was built from. */
  private async lockRevision(manager: EntityManager, step: EngineCommit): Promise<void> {
    const rows: { revision: string | null }[] = await manager.query(
      `SELECT state->>'revision' AS revision FROM engine_states WHERE symbol = $1 AND timeframe = $2 FOR UPDATE`,
      [step.symbol, step.timeframe],
    );
    const actual = rows.length === 0 ? 0 : Number(rows[0].revision ?? 0);
    if (actual !== step.expectedRevision) {
      throw new EngineStateConflictError(
        step.symbol,
        step.timeframe,
        step.expectedRevision,
        rows.length === 0 ? null : actual,
      );
    }
  }

  private async writeChange(
    manager: EntityManager,
    change: SignalChangeEvent,
    marketTime: number | null,
  ): Promise<SignalEvent> {
    const entity = toSignalEntity(change.signal);
    await manager
      .getRepository(SignalEntity)
      .upsert(entity, { conflictPaths: ['id'], skipUpdateIfNoValuesChanged: false });
    const signal = toWireSignal(entity);
    const type = EVENT_TYPE[change.type];
    const rows: { seq: string }[] = await manager.query(
      `INSERT INTO signal_events (signal_id, type, payload, market_time) VALUES ($1, $2, $3, $4) RETURNING seq`,
      [entity.id, type, JSON.stringify(signal), marketTime],
    );
    return { seq: Number(rows[0].seq), type, signal };
  }
}
