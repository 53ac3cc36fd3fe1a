import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Shards of an A/B replay (issue 18 §4), table ab_replay_shards: a replay's series split into groups that
 * any worker process may run (`ab-replay-shard` jobs). Each shard keeps its own progress and, once done,
 * its partial result (both sides' signals of its series, packed, and the live comparison counts), so a
 * crash loses nothing finished and a retried shard replaces its own figures instead of adding to them;
 * the last shard to finish merges them all into the replay's result.
 */
export class ReplayShards1733170000000 implements MigrationInterface {
  name = 'ReplayShards1733170000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ab_replay_shards (
        replay_id integer NOT NULL REFERENCES ab_replays (id) ON DELETE CASCADE,
        shard integer NOT NULL,
        series jsonb NOT NULL,
        status varchar(10) NOT NULL DEFAULT 'queued'
          CHECK (status IN ('queued', 'running', 'done', 'cancelled')),
        series_done integer NOT NULL DEFAULT 0,
        candles_read bigint NOT NULL DEFAULT 0,
        attempts integer NOT NULL DEFAULT 0,
        result jsonb,
        error text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (replay_id, shard)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ab_replay_shards`);
  }
}
