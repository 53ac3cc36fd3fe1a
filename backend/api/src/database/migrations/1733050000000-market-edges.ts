import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The real market's rough edges (issue 15): holes in the exchange's candles as stored facts, the
 * CANCELLED outcome with its reason, the market time an event was recorded at (notification freshness
 * is judged on it, never on the host's clock), and when a symbol left the universe (its grace period).
 */
export class MarketEdges1733050000000 implements MigrationInterface {
  name = 'MarketEdges1733050000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // from/to are open times: candles opening in [from_open_time, to_open_time) do not exist.
    await queryRunner.query(`
      CREATE TABLE candle_gaps (
        symbol varchar(20) NOT NULL,
        interval varchar(4) NOT NULL,
        from_open_time bigint NOT NULL,
        to_open_time bigint NOT NULL,
        detected_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (symbol, interval, from_open_time),
        CHECK (to_open_time > from_open_time)
      )`);
    await queryRunner.query(`ALTER TABLE signals DROP CONSTRAINT IF EXISTS signals_status_check`);
    await queryRunner.query(
      `ALTER TABLE signals ADD CONSTRAINT signals_status_check
         CHECK (status IN ('ACTIVE', 'TP_HIT', 'SL_HIT', 'INVALIDATED', 'EXPIRED', 'CANCELLED'))`,
    );
    await queryRunner.query(`ALTER TABLE signals ADD COLUMN close_reason text`);
    await queryRunner.query(`ALTER TABLE signal_events ADD COLUMN market_time bigint`);
    await queryRunner.query(`ALTER TABLE market_symbols ADD COLUMN left_universe_at timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE market_symbols DROP COLUMN left_universe_at`);
    await queryRunner.query(`ALTER TABLE signal_events DROP COLUMN market_time`);
    await queryRunner.query(`ALTER TABLE signals DROP COLUMN close_reason`);
    await queryRunner.query(`DELETE FROM signals WHERE status = 'CANCELLED'`);
    await queryRunner.query(`ALTER TABLE signals DROP CONSTRAINT IF EXISTS signals_status_check`);
    await queryRunner.query(
      `ALTER TABLE signals ADD CONSTRAINT signals_status_check
         CHECK (status IN ('ACTIVE', 'TP_HIT', 'SL_HIT', 'INVALIDATED', 'EXPIRED'))`,
    );
    await queryRunner.query(`DROP TABLE candle_gaps`);
  }
}
