import { CONDITION_KEYS, DEFAULT_ENGINE_CONFIG, TIMEFRAME_MS } from '@scanner/signal-core';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** A cost from the environment as the app reads it (parseEnv has validated it before migrations run). */
function costBps(name: 'FEE_BPS' | 'SLIPPAGE_BPS', fallback: number): number {
  const value = process.env[name]?.trim();
  const parsed = value === undefined || value === '' ? fallback : Number(value);
  return Number.isFinite(parsed) ? parsed : fallback;
}

/** `CASE timeframe WHEN '5m' THEN 300000 … END` (null for a timeframe the engine does not know). */
const INTERVAL_MS_SQL = `CASE s.timeframe ${Object.entries(TIMEFRAME_MS)
  .map(([tf, ms]) => `WHEN '${tf}' THEN ${ms}`)
  .join(' ')} END`;

/** Bit i of a condition mask = CONDITION_KEYS[i] (signal-core's initialConditionMask). */
const CONDITION_BIT_SQL = `CASE c->>'key' ${CONDITION_KEYS.map((key, i) => `WHEN '${key}' THEN ${1 << i}`).join(' ')} ELSE 0 END`;

/**
 * Honest signal quality (issue 14). On `signals`: net R after costs, how a candle touching both levels
 * was decided, confidence and conditions at creation, `origin`, and the pTarget stamped at creation.
 * `target_fits`: the current isotonic fit of P(TP before SL) on confidence per timeframe (signal-engine).
 *
 * Backfill of the rows already stored, each from what is provable:
 * - confidence and conditions at creation: from the row's `created` event when it is still stored,
 *   else the row's current values (the only ones left);
 * - net R of closed rows: gross R minus FEE_BPS + SLIPPAGE_BPS per side on entry and exit, as a fraction
 *   of the initial risk (signal-core's tradeR). The initial risk is |exit − entry| / |gross R| (exact by
 *   the definition of gross R), or, for a close at the entry price, |entry − stop| with the stop of the
 *   `created` event (else the row's stop: the trailing stop is off by default);
 * - origin: `live` only where it is provable, i.e. the `created` event carries the market time of the
 *   engine step that wrote it and that step ran within two candles + 1 minute of the signal's creation
 *   (the rule the scanner applies from now on, and notifications' freshness); everything else —
 *   events purged, or recorded before market times were stored — is `replay`, since a live origin
 *   cannot be shown for it;
 * - pTarget: null, note "created before pTarget existed".
 */
export class SignalQuality1733100000000 implements MigrationInterface {
  name = 'SignalQuality1733100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE signals
        ADD COLUMN net_r double precision,
        ADD COLUMN resolution varchar(12) CHECK (resolution IN ('fine', 'conservative')),
        ADD COLUMN initial_confidence double precision,
        ADD COLUMN initial_condition_mask integer,
        ADD COLUMN origin varchar(6) NOT NULL DEFAULT 'replay' CHECK (origin IN ('live', 'replay')),
        ADD COLUMN p_target double precision CHECK (p_target >= 0 AND p_target <= 1),
        ADD COLUMN p_target_samples integer NOT NULL DEFAULT 0,
        ADD COLUMN p_target_note text`);
    // Confidence, conditions and origin from the created event where it is still stored.
    await queryRunner.query(`
      UPDATE signals s SET
        initial_confidence = (e.payload->>'confidence')::double precision,
        initial_condition_mask = (
          SELECT COALESCE(sum(${CONDITION_BIT_SQL}), 0)
          FROM jsonb_array_elements(e.payload->'conditions') AS c
          WHERE (c->>'met')::boolean),
        origin = CASE
          WHEN e.market_time IS NOT NULL AND ${INTERVAL_MS_SQL} IS NOT NULL
           AND e.market_time - (extract(epoch FROM s.created_at) * 1000)::bigint <= 2 * ${INTERVAL_MS_SQL} + 60000
          THEN 'live' ELSE 'replay' END
      FROM signal_events e
      WHERE e.signal_id = s.id AND e.type = 'created'`);
    await queryRunner.query(`
      UPDATE signals s SET
        initial_confidence = s.confidence,
        initial_condition_mask = (
          SELECT COALESCE(sum(${CONDITION_BIT_SQL}), 0)
          FROM jsonb_array_elements(s.conditions) AS c
          WHERE (c->>'met')::boolean)
      WHERE s.initial_confidence IS NULL`);
    const perSide =
      (costBps('FEE_BPS', DEFAULT_ENGINE_CONFIG.feeBps) +
        costBps('SLIPPAGE_BPS', DEFAULT_ENGINE_CONFIG.slippageBps)) /
      10_000;
    await queryRunner.query(
      `
      UPDATE signals s SET net_r = s.outcome_r - $1 * (s.entry_price + s.exit_price) / risk.r
      FROM (
        SELECT x.id, CASE
          WHEN x.outcome_r <> 0 THEN abs(x.exit_price - x.entry_price) / abs(x.outcome_r)
          ELSE abs(x.entry_price - COALESCE(
            (SELECT (e.payload->>'stopLoss')::double precision FROM signal_events e
             WHERE e.signal_id = x.id AND e.type = 'created' LIMIT 1),
            x.stop_loss))
          END AS r
        FROM signals x
        WHERE x.status <> 'ACTIVE' AND x.outcome_r IS NOT NULL AND x.exit_price IS NOT NULL
      ) AS risk
      WHERE s.id = risk.id AND risk.r > 0`,
      [perSide],
    );
    await queryRunner.query(`UPDATE signals SET p_target_note = 'created before pTarget existed'`);
    await queryRunner.query(`
      ALTER TABLE signals
        ALTER COLUMN initial_confidence SET NOT NULL,
        ALTER COLUMN initial_condition_mask SET NOT NULL,
        ALTER COLUMN origin DROP DEFAULT`);
    // Stats and calibration read closed rows by origin.
    await queryRunner.query(
      `CREATE INDEX signals_origin_closed_idx ON signals (origin, closed_at) WHERE status <> 'ACTIVE'`,
    );
    // One row per timeframe: the current fit (blocks empty and a note while there are too few closes).
    await queryRunner.query(`
      CREATE TABLE target_fits (
        timeframe varchar(4) PRIMARY KEY,
        samples integer NOT NULL,
        live_samples integer NOT NULL,
        replay_samples integer NOT NULL,
        min_samples integer NOT NULL,
        blocks jsonb NOT NULL,
        note text,
        fitted_at timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE target_fits`);
    await queryRunner.query(`DROP INDEX signals_origin_closed_idx`);
    await queryRunner.query(`
      ALTER TABLE signals
        DROP COLUMN p_target_note,
        DROP COLUMN p_target_samples,
        DROP COLUMN p_target,
        DROP COLUMN origin,
        DROP COLUMN initial_condition_mask,
        DROP COLUMN initial_confidence,
        DROP COLUMN resolution,
        DROP COLUMN net_r`);
  }
}
