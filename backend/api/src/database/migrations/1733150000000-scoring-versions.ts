import { DEFAULT_ENGINE_CONFIG, validateEngineConfig, type EngineConfig } from '@scanner/signal-core';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scoring versions (issue 18 §1): the engine configuration as numbered versions, exactly one active
 * (a partial unique index), and on every signal the version that created it. Version 1 is the
 * configuration stored until now in app_settings ('engine-config'), or the defaults when none (or an
 * invalid one) was stored; every existing signal and every recorded event payload gets version 1.
 */
export class ScoringVersions1733150000000 implements MigrationInterface {
  name = 'ScoringVersions1733150000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE scoring_versions (
        id integer PRIMARY KEY CHECK (id >= 1),
        config jsonb NOT NULL,
        note text NOT NULL DEFAULT '',
        active boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        activated_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX scoring_versions_one_active ON scoring_versions ((true)) WHERE active`,
    );
    const stored: { value: unknown }[] = await queryRunner.query(
      `SELECT value FROM app_settings WHERE key = 'engine-config'`,
    );
    let config: EngineConfig = DEFAULT_ENGINE_CONFIG;
    let note = 'the defaults (no engine config was stored)';
    if (stored.length > 0) {
      try {
        config = validateEngineConfig(stored[0].value);
        note = 'the engine config in force before scoring versions';
      } catch {
        note = 'the defaults (the stored engine config was invalid)';
      }
    }
    await queryRunner.query(
      `INSERT INTO scoring_versions (id, config, note, active, activated_at) VALUES (1, $1, $2, true, now())`,
      [JSON.stringify(config), note],
    );
    // DEFAULT 1: rows written without a creation stamp (before versions existed) are version 1's.
    await queryRunner.query(
      `ALTER TABLE signals ADD COLUMN scoring_version integer NOT NULL DEFAULT 1 REFERENCES scoring_versions (id)`,
    );
    await queryRunner.query(`CREATE INDEX signals_scoring_version_idx ON signals (scoring_version)`);
    await queryRunner.query(
      `UPDATE signal_events SET payload = payload || '{"scoringVersion": 1}'::jsonb
       WHERE jsonb_typeof(payload) = 'object' AND NOT payload ? 'scoringVersion'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The active version's config goes back to app_settings, where the engine read it before.
    await queryRunner.query(
      `INSERT INTO app_settings (key, value, updated_at)
       SELECT 'engine-config', config, now() FROM scoring_versions WHERE active
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    );
    await queryRunner.query(`UPDATE signal_events SET payload = payload - 'scoringVersion'`);
    await queryRunner.query(`ALTER TABLE signals DROP COLUMN scoring_version`);
    await queryRunner.query(`DROP TABLE scoring_versions`);
  }
}
