import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every committed write of `engine_states` wakes the market matrix feeds of all api processes
 * (`LISTEN engine_states`), instead of each polling the table every second. One notification per
 * statement, without payload (a flush of many steps is one): the feed reads the changed revisions
 * itself, so a lost notification costs at most its slow safety refresh.
 */
export class EngineStatesNotify1733175000000 implements MigrationInterface {
  name = 'EngineStatesNotify1733175000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION engine_states_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('engine_states', '');
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER engine_states_notify AFTER INSERT OR UPDATE ON engine_states
        FOR EACH STATEMENT EXECUTE FUNCTION engine_states_notify()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER IF EXISTS engine_states_notify ON engine_states');
    await queryRunner.query('DROP FUNCTION IF EXISTS engine_states_notify()');
  }
}
