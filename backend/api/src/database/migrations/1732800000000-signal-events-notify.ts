import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every committed `signal_events` row wakes the live-feed publishers of all api processes
 * (`LISTEN signal_events`, payload = the seq). A notification is only a wake-up: publishers read the
 * rows themselves, so a lost notification costs at most one poll interval, never an event.
 */
export class SignalEventsNotify1732800000000 implements MigrationInterface {
  name = 'SignalEventsNotify1732800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION signal_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('signal_events', NEW.seq::text);
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER signal_events_notify AFTER INSERT ON signal_events
        FOR EACH ROW EXECUTE FUNCTION signal_events_notify()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER IF EXISTS signal_events_notify ON signal_events');
    await queryRunner.query('DROP FUNCTION IF EXISTS signal_events_notify()');
  }
}
