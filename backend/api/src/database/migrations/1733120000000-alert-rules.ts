import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alert rules traders configure (issue 17): filters, required confluence, cooldown and channels per
 * rule, and one delivery row per rule × event × channel (its primary key is the idempotency key, so
 * however many workers plan or send, a delivery exists and goes out once). Owner: notifications.
 */
export class AlertRules1733120000000 implements MigrationInterface {
  name = 'AlertRules1733120000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE alert_rules (
        id varchar(36) PRIMARY KEY,
        name varchar(100) NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        symbols jsonb NOT NULL DEFAULT '[]',
        symbol_pattern varchar(200),
        timeframes jsonb NOT NULL DEFAULT '[]',
        direction varchar(5) NOT NULL DEFAULT 'ANY' CHECK (direction IN ('LONG', 'SHORT', 'ANY')),
        min_confidence double precision NOT NULL DEFAULT 0,
        min_p_target double precision,
        min_agreeing_timeframes integer NOT NULL DEFAULT 1,
        events jsonb NOT NULL,
        cooldown_minutes integer NOT NULL DEFAULT 0,
        channels jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE alert_deliveries (
        idempotency_key varchar(200) PRIMARY KEY,
        rule_id varchar(36) NOT NULL REFERENCES alert_rules (id) ON DELETE CASCADE,
        channel_id varchar(40) NOT NULL,
        channel_type varchar(10) NOT NULL,
        event varchar(10) NOT NULL,
        event_seq bigint,
        signal_id varchar(100),
        symbol varchar(20),
        timeframe varchar(4),
        direction varchar(5),
        signal_time timestamptz,
        status varchar(12) NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'suppressed')),
        reason text,
        attempts integer NOT NULL DEFAULT 0,
        claimed_until timestamptz,
        log jsonb NOT NULL DEFAULT '[]',
        confluence jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX alert_deliveries_rule_created ON alert_deliveries (rule_id, created_at DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX alert_deliveries_cooldown ON alert_deliveries (rule_id, symbol, direction, signal_time)
         WHERE event = 'created' AND status <> 'suppressed'`,
    );
    await queryRunner.query(
      `CREATE INDEX alert_deliveries_pending ON alert_deliveries (event_seq) WHERE status = 'pending'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE alert_deliveries`);
    await queryRunner.query(`DROP TABLE alert_rules`);
  }
}
