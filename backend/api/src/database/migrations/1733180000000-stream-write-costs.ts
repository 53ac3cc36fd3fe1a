import { MigrationInterface, QueryRunner } from 'typeorm';

/** The tables rewritten at every close of their series (one row per series, per signal). */
const REWRITTEN = ['engine_states', 'signals'];

/**
 * What a close instant of thousands of series costs the database, made smaller:
 * - `engine_states` and `signals` rows are rewritten at every close of their series. Their jsonb
 *   values (indicator state, conditions) make a row 2–4 kB, past the 2 kB at which Postgres compresses
 *   (pglz) or moves values out of line on every write: a fifth of the database's CPU at a close instant.
 *   Rows stay inline and uncompressed up to a page's worth now (toast_tuple_target 8160, the maximum).
 * - `signal_events` wakes the publishers once per INSERT statement instead of once per row (a flush of
 *   hundreds of events is one statement; the publishers read the rows after their position anyway, and
 *   the notification never carried anything they used).
 */
export class StreamWriteCosts1733180000000 implements MigrationInterface {
  name = 'StreamWriteCosts1733180000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of REWRITTEN)
      await queryRunner.query(`ALTER TABLE ${table} SET (toast_tuple_target = 8160)`);
    await signalEventsTrigger(queryRunner, 'STATEMENT', `''`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of REWRITTEN) await queryRunner.query(`ALTER TABLE ${table} RESET (toast_tuple_target)`);
    await signalEventsTrigger(queryRunner, 'ROW', 'NEW.seq::text');
  }
}

/** (Re)creates the `signal_events` notify trigger, fired per `level` with `payload`. */
async function signalEventsTrigger(
  queryRunner: QueryRunner,
  level: 'ROW' | 'STATEMENT',
  payload: string,
): Promise<void> {
  await queryRunner.query('DROP TRIGGER IF EXISTS signal_events_notify ON signal_events');
  await queryRunner.query(`
    CREATE OR REPLACE FUNCTION signal_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('signal_events', ${payload});
      RETURN NULL;
    END
    $$`);
  await queryRunner.query(`
    CREATE TRIGGER signal_events_notify AFTER INSERT ON signal_events
      FOR EACH ${level} EXECUTE FUNCTION signal_events_notify()`);
}
