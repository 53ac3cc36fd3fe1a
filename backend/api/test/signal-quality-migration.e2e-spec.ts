import type { DataSource } from 'typeorm';
import { SignalQuality1733100000000 } from '../src/database/migrations/1733100000000-signal-quality';
import { migrateFrom, suiteDatabaseBefore } from './support/migration-step';

const T0 = Date.UTC(2024, 7, 5);
const FIVE_MIN = 300_000;

/** A signals row as stored before issue 14 (no net R, origin or creation values). */
async function insertLegacy(
  db: DataSource,
  row: {
    id: string;
    timeframe: string;
    direction: 'LONG' | 'SHORT';
    status: string;
    confidence: number;
    stop: number;
    exit: number | null;
    outcomeR: number | null;
    conditions: { key: string; met: boolean }[];
  },
): Promise<void> {
  await db.query(
    `INSERT INTO signals (id, symbol, timeframe, direction, status, confidence, entry_price, stop_loss, take_profit,
       risk_reward, conditions, indicators, candle_open_time, created_at, updated_at, closed_at, exit_price, outcome_r)
     VALUES ($1, $1, $2, $3, $4, $5, 100, $6, 105, 1.67, $7, '{}', $8, $9, $9, $10, $11, $12)`,
    [
      row.id,
      row.timeframe,
      row.direction,
      row.status,
      row.confidence,
      row.stop,
      JSON.stringify(row.conditions.map((c) => ({ ...c, weight: 10, detail: '' }))),
      new Date(T0),
      new Date(T0 + FIVE_MIN - 1),
      row.status === 'ACTIVE' ? null : new Date(T0 + 12 * FIVE_MIN),
      row.exit,
      row.outcomeR,
    ],
  );
}

async function insertCreatedEvent(
  db: DataSource,
  id: string,
  payload: Record<string, unknown>,
  marketTime: number | null,
): Promise<void> {
  await db.query(
    `INSERT INTO signal_events (signal_id, type, payload, market_time) VALUES ($1, 'created', $2, $3)`,
    [id, JSON.stringify(payload), marketTime],
  );
}

describe('migration 1733100000000-signal-quality: backfill of the rows stored before it', () => {
  const migratedUpTo = suiteDatabaseBefore(SignalQuality1733100000000);

  it('net R with the default costs, confidence and conditions at creation, and origin live only where provable', async () => {
    const db = await migratedUpTo();

    // Closed at TP; its created event says confidence 80 with macd_cross and trend_ema50 met, and was
    // written by a step 1 s after the candle closed: live.
    await insertLegacy(db, {
      id: 'L1',
      timeframe: '5m',
      direction: 'LONG',
      status: 'TP_HIT',
      confidence: 60,
      stop: 97,
      exit: 105,
      outcomeR: 5 / 3,
      conditions: [],
    });
    await insertCreatedEvent(
      db,
      'L1',
      {
        confidence: 80,
        stopLoss: 97,
        conditions: [
          { key: 'macd_cross', met: true },
          { key: 'rsi_zone', met: false },
          { key: 'trend_ema50', met: true },
        ],
      },
      T0 + FIVE_MIN + 1_000,
    );
    // Closed at the entry price (gross 0): the risk comes from the stop; no event left: replay.
    await insertLegacy(db, {
      id: 'L2',
      timeframe: '5m',
      direction: 'SHORT',
      status: 'EXPIRED',
      confidence: 75,
      stop: 103,
      exit: 100,
      outcomeR: 0,
      conditions: [
        { key: 'rsi_zone', met: true },
        { key: 'bb_position', met: true },
      ],
    });
    // Its event was recorded before market times were stored: not provably live.
    await insertLegacy(db, {
      id: 'L3',
      timeframe: '1h',
      direction: 'LONG',
      status: 'SL_HIT',
      confidence: 72,
      stop: 97,
      exit: 97,
      outcomeR: -1,
      conditions: [],
    });
    await insertCreatedEvent(db, 'L3', { confidence: 72, stopLoss: 97, conditions: [] }, null);
    // Still active, created by a step three hours after its candle closed (a warm-up): replay, no net R.
    await insertLegacy(db, {
      id: 'L4',
      timeframe: '5m',
      direction: 'LONG',
      status: 'ACTIVE',
      confidence: 85,
      stop: 97,
      exit: null,
      outcomeR: null,
      conditions: [],
    });
    await insertCreatedEvent(db, 'L4', { confidence: 85, stopLoss: 97, conditions: [] }, T0 + 3 * 3_600_000);
    // The migrations from this one on, on the same connection (an embedded database has only one).
    await migrateFrom(db, SignalQuality1733100000000);
    const rows: Record<string, unknown>[] = await db.query(
      `SELECT id, net_r, initial_confidence, initial_condition_mask, origin, p_target, p_target_samples, p_target_note
       FROM signals ORDER BY id`,
    );
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    // FEE_BPS 10 + SLIPPAGE_BPS 0 per side: net = gross − 0.001 × (entry + exit) / risk.
    expect(byId.L1).toMatchObject({
      initial_confidence: 80,
      initial_condition_mask: 0b101,
      origin: 'live',
      p_target: null,
      p_target_samples: 0,
      p_target_note: 'created before pTarget existed',
    });
    expect(byId.L1.net_r).toBeCloseTo(5 / 3 - (0.001 * 205) / 3, 12);
    expect(byId.L2).toMatchObject({
      initial_confidence: 75,
      initial_condition_mask: 0b10000010,
      origin: 'replay',
    });
    expect(byId.L2.net_r).toBeCloseTo((-0.001 * 200) / 3, 12);
    expect(byId.L3).toMatchObject({ initial_confidence: 72, origin: 'replay' });
    expect(byId.L3.net_r).toBeCloseTo(-1 - (0.001 * 197) / 3, 12);
    expect(byId.L4).toMatchObject({ net_r: null, initial_confidence: 85, origin: 'replay' });
    expect((await db.query(`SELECT count(*)::int AS n FROM target_fits`))[0].n).toBe(0);
  });
});
