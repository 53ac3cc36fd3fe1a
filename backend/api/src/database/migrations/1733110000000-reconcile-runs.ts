import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reconciliation runs (issue 14 §7): each replays every series' stored candles through the engine and
 * compares with the stored signals. One row per run; the first differences and the per-series summary
 * are kept as JSON (the run is read whole, by the admin API and the system page).
 */
export class ReconcileRuns1733110000000 implements MigrationInterface {
  name = 'ReconcileRuns1733110000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE reconcile_runs (
        id bigserial PRIMARY KEY,
        trigger varchar(20) NOT NULL,
        status varchar(12) NOT NULL CHECK (status IN ('running', 'ok', 'mismatches', 'failed')),
        started_at timestamptz NOT NULL,
        finished_at timestamptz,
        series integer NOT NULL DEFAULT 0,
        candles_replayed integer NOT NULL DEFAULT 0,
        signals_compared integer NOT NULL DEFAULT 0,
        signals_levels_only integer NOT NULL DEFAULT 0,
        signals_purged integer NOT NULL DEFAULT 0,
        mismatch_count integer NOT NULL DEFAULT 0,
        mismatched_series jsonb NOT NULL DEFAULT '[]'::jsonb,
        mismatches jsonb NOT NULL DEFAULT '[]'::jsonb,
        skipped jsonb NOT NULL DEFAULT '[]'::jsonb,
        error text
      )`);
    await queryRunner.query(`CREATE INDEX reconcile_runs_started_at ON reconcile_runs (started_at DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE reconcile_runs`);
  }
}
