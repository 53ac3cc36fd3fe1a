import type { ClosedSignalStatus, Signal, SignalEventType } from '@scanner/contracts';
import { CONDITION_KEYS, INDICATOR_KEYS } from '@scanner/contracts';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

import { SIGNAL_EVENTS_LOCK_KEY } from '../../src/signal-engine/signal-store.service';

export { SIGNAL_EVENTS_LOCK_KEY };

export interface SqlSession {
  query(sql: string, parameters?: unknown[]): Promise<unknown[]>;
}

export type TransactionRunner = <T>(work: (session: SqlSession) => Promise<T>) => Promise<T>;

/** Transactions on an app's DataSource (the only way in to an embedded PGlite). */
export function dataSourceTransactions(db: DataSource): TransactionRunner {
  return (work) =>
    db.transaction((manager) => work({ query: (sql, parameters) => manager.query(sql, parameters) }));
}

/** Transactions on a separate `pg` connection: another process committing. */
export function pgClientTransactions(client: Client): TransactionRunner {
  return async (work) => {
    await client.query('BEGIN');
    try {
      const result = await work({
        query: async (sql, parameters) => (await client.query(sql, parameters)).rows,
      });
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  };
}

export interface WrittenEvent {
  seq: number;
  type: SignalEventType;
  signal: Signal;
}

let counter = 0;
const BASE_TIME = Date.UTC(2024, 7, 5, 0, 0);

/** A complete, valid wire signal (ms-precision ISO times, so it round-trips through timestamptz). */
export function makeSignal(overrides: Partial<Signal> = {}): Signal {
  counter += 1;
  const openTime = new Date(BASE_TIME + counter * 300_000);
  return {
    id: `test-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`,
    symbol: `T${counter}USDT`,
    timeframe: '5m',
    direction: 'LONG',
    status: 'ACTIVE',
    confidence: 75,
    entryPrice: 100 + counter,
    stopLoss: 97 + counter,
    takeProfit: 105 + counter,
    riskReward: 2.5 / 1.5,
    conditions: CONDITION_KEYS.map((key) => ({ key, met: true, weight: 12.5, detail: `${key} met` })),
    indicators: Object.fromEntries(
      INDICATOR_KEYS.map((key, index) => [key, index + 0.5]),
    ) as Signal['indicators'],
    candleOpenTime: openTime.toISOString(),
    createdAt: new Date(openTime.getTime() + 300_000).toISOString(),
    updatedAt: new Date(openTime.getTime() + 300_000).toISOString(),
    closedAt: null,
    closeReason: null,
    exitPrice: null,
    outcomeR: null,
    netR: null,
    resolution: null,
    initialConfidence: overrides.confidence ?? 75,
    origin: 'live',
    pTarget: null,
    pTargetSamples: 0,
    pTargetNote: '0 of 200 TP/SL closes on 5m so far',
    confluence: null,
    scoringVersion: 1,
    version: 1,
    ...overrides,
  };
}

/**
 * Writes signal changes the way SignalStore does: the `signals` row and its `signal_events` row in one
 * transaction, after taking the advisory lock.
 */
export class SignalEventWriter {
  constructor(private readonly transaction: TransactionRunner) {}

  async write(type: SignalEventType, signal: Signal): Promise<WrittenEvent> {
    return this.transaction(async (session) => {
      await session.query('SELECT pg_advisory_xact_lock($1)', [SIGNAL_EVENTS_LOCK_KEY]);
      await session.query(
        `INSERT INTO signals (id, symbol, timeframe, direction, status, confidence, entry_price, stop_loss, take_profit,
           risk_reward, conditions, indicators, candle_open_time, created_at, updated_at, closed_at, exit_price, outcome_r, version,
           net_r, initial_confidence, initial_condition_mask, origin, p_target, p_target_samples, p_target_note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
           $20, $21, $22, $23, $24, $25, $26)
         ON CONFLICT (id) DO UPDATE SET status = $5, confidence = $6, stop_loss = $8, take_profit = $9, conditions = $11,
           indicators = $12, updated_at = $15, closed_at = $16, exit_price = $17, outcome_r = $18, version = $19, net_r = $20`,
        [
          signal.id,
          signal.symbol,
          signal.timeframe,
          signal.direction,
          signal.status,
          signal.confidence,
          signal.entryPrice,
          signal.stopLoss,
          signal.takeProfit,
          signal.riskReward,
          JSON.stringify(signal.conditions),
          JSON.stringify(signal.indicators),
          signal.candleOpenTime,
          signal.createdAt,
          signal.updatedAt,
          signal.closedAt,
          signal.exitPrice,
          signal.outcomeR,
          signal.version,
          signal.netR,
          signal.initialConfidence,
          signal.conditions.reduce((mask, c, i) => (c.met ? mask | (1 << i) : mask), 0),
          signal.origin,
          signal.pTarget,
          signal.pTargetSamples,
          signal.pTargetNote,
        ],
      );
      const rows = (await session.query(
        'INSERT INTO signal_events (signal_id, type, payload) VALUES ($1, $2, $3) RETURNING seq',
        [signal.id, type, JSON.stringify(signal)],
      )) as Array<{ seq: string | number }>;
      return { seq: Number(rows[0].seq), type, signal };
    });
  }

  create(overrides: Partial<Signal> = {}): Promise<WrittenEvent> {
    return this.write('created', makeSignal(overrides));
  }

  update(signal: Signal, changes: Partial<Signal> = {}): Promise<WrittenEvent> {
    const updatedAt = new Date(Date.parse(signal.updatedAt) + 300_000).toISOString();
    return this.write('updated', {
      ...signal,
      confidence: signal.confidence + 5,
      updatedAt,
      ...changes,
      version: signal.version + 1,
    });
  }

  close(signal: Signal, status: ClosedSignalStatus = 'TP_HIT'): Promise<WrittenEvent> {
    const closedAt = new Date(Date.parse(signal.updatedAt) + 300_000).toISOString();
    const exitPrice = status === 'SL_HIT' ? signal.stopLoss : signal.takeProfit;
    const outcomeR = status === 'SL_HIT' ? -1 : status === 'TP_HIT' ? signal.riskReward : 0.2;
    return this.write('deleted', {
      ...signal,
      status,
      closedAt,
      updatedAt: closedAt,
      exitPrice,
      outcomeR,
      // No costs in these fixtures: net R is the gross R.
      netR: outcomeR,
      version: signal.version + 1,
    });
  }
}
