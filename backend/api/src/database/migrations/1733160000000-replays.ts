import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A/B replays (issue 18 §2), table ab_replays (a table called `replays` would be matched in prose by the
 * table-ownership check): a request (symbols, timeframes, period, two scoring versions), its progress,
 * and both result sets once done. `cancel_requested` is how another process stops a run.
 */
export class Replays1733160000000 implements MigrationInterface {
  name = 'Replays1733160000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ab_replays (
        id serial PRIMARY KEY,
        status varchar(10) NOT NULL DEFAULT 'queued'
          CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
        request jsonb NOT NULL,
        series_done integer NOT NULL DEFAULT 0,
        series_total integer NOT NULL DEFAULT 0,
        candles_read bigint NOT NULL DEFAULT 0,
        cancel_requested boolean NOT NULL DEFAULT false,
        result jsonb,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX ab_replays_status_idx ON ab_replays (status)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ab_replays`);
  }
}
