import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `engine_states` rows (one per series) are rewritten at every close of their series, thousands in the
 * same second at a 4h boundary; what that costs the database, made smaller:
 * - `state` is stored as `json` (the text as written) instead of `jsonb`: a state is hundreds of numbers,
 *   and turning each into jsonb's numeric was most of the write (1,600 states: 45–80 ms instead of
 *   120–200 ms per statement). It is written whole and read back whole; the few paths read in SQL
 *   (revision, indicators, active direction) work on json as they did on jsonb.
 * - Half of each page is kept free (fillfactor 50): packed full, as inserted, a page had no room for a
 *   row's new version, so every update went to another page and into the primary key index; now the new
 *   version fits beside the old one (a HOT update: no index entry, the old version pruned in place).
 * The type change rewrites the table, so the rows stored already get the room too (a few MB at most).
 */
export class EngineStatesHotUpdates1733190000000 implements MigrationInterface {
  name = 'EngineStatesHotUpdates1733190000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE engine_states SET (fillfactor = 50)`);
    await queryRunner.query(`ALTER TABLE engine_states ALTER COLUMN state TYPE json USING state::json`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE engine_states ALTER COLUMN state TYPE jsonb USING state::jsonb`);
    await queryRunner.query(`ALTER TABLE engine_states RESET (fillfactor)`);
  }
}
