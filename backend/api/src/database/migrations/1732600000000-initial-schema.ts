import { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables of the market data, the signal lifecycle with its durable event log, and operations. */
export class InitialSchema1732600000000 implements MigrationInterface {
  name = 'InitialSchema1732600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE market_symbols (
        symbol varchar(20) PRIMARY KEY,
        base_asset varchar(20) NOT NULL,
        quote_asset varchar(20) NOT NULL,
        status varchar(20) NOT NULL,
        tick_size double precision,
        in_universe boolean NOT NULL DEFAULT false,
        universe_rank integer,
        quote_volume double precision,
        last_price double precision,
        price_change_percent double precision,
        high_price double precision,
        low_price double precision,
        volume double precision,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE candles (
        symbol varchar(20) NOT NULL,
        interval varchar(4) NOT NULL,
        open_time bigint NOT NULL,
        open double precision NOT NULL,
        high double precision NOT NULL,
        low double precision NOT NULL,
        close double precision NOT NULL,
        volume double precision NOT NULL,
        quote_volume double precision NOT NULL,
        close_time bigint NOT NULL,
        PRIMARY KEY (symbol, interval, open_time)
      )`);
    await queryRunner.query(`
      CREATE TABLE signals (
        id varchar(100) PRIMARY KEY,
        symbol varchar(20) NOT NULL,
        timeframe varchar(4) NOT NULL,
        direction varchar(5) NOT NULL CHECK (direction IN ('LONG', 'SHORT')),
        status varchar(12) NOT NULL CHECK (status IN ('ACTIVE', 'TP_HIT', 'SL_HIT', 'INVALIDATED', 'EXPIRED')),
        confidence double precision NOT NULL,
        entry_price double precision NOT NULL,
        stop_loss double precision NOT NULL,
        take_profit double precision NOT NULL,
        risk_reward double precision NOT NULL,
        conditions jsonb NOT NULL,
        indicators jsonb NOT NULL,
        candle_open_time timestamptz NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        closed_at timestamptz,
        exit_price double precision,
        outcome_r double precision,
        max_favorable_r double precision,
        max_adverse_r double precision,
        version integer NOT NULL DEFAULT 1
      )`);
    // At most one ACTIVE signal per symbol + timeframe, enforced by the database itself.
    await queryRunner.query(
      `CREATE UNIQUE INDEX signals_one_active_idx ON signals (symbol, timeframe) WHERE status = 'ACTIVE'`,
    );
    await queryRunner.query(`CREATE INDEX signals_status_created_idx ON signals (status, created_at DESC)`);
    await queryRunner.query(
      `CREATE INDEX signals_closed_at_idx ON signals (closed_at) WHERE closed_at IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE signal_events (
        seq bigserial PRIMARY KEY,
        signal_id varchar(100) NOT NULL REFERENCES signals (id) ON DELETE CASCADE,
        type varchar(10) NOT NULL CHECK (type IN ('created', 'updated', 'deleted')),
        payload jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX signal_events_signal_idx ON signal_events (signal_id, seq)`);
    await queryRunner.query(`
      CREATE TABLE engine_states (
        symbol varchar(20) NOT NULL,
        timeframe varchar(4) NOT NULL,
        last_candle_open_time bigint NOT NULL,
        state jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (symbol, timeframe)
      )`);
    await queryRunner.query(`
      CREATE TABLE scan_runs (
        id bigserial PRIMARY KEY,
        trigger varchar(20) NOT NULL,
        status varchar(12) NOT NULL,
        started_at timestamptz NOT NULL,
        finished_at timestamptz,
        duration_ms integer,
        symbols integer NOT NULL DEFAULT 0,
        candles_fetched integer NOT NULL DEFAULT 0,
        signals_changed integer NOT NULL DEFAULT 0,
        errors jsonb NOT NULL DEFAULT '[]'
      )`);
    await queryRunner.query(`CREATE INDEX scan_runs_started_idx ON scan_runs (started_at DESC)`);
    await queryRunner.query(`
      CREATE TABLE app_settings (
        key varchar(64) PRIMARY KEY,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE notification_deliveries (
        idempotency_key varchar(200) PRIMARY KEY,
        channel varchar(20) NOT NULL,
        event_seq bigint NOT NULL,
        status varchar(12) NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        delivered_at timestamptz
      )`);
    await queryRunner.query(`
      CREATE TABLE health_snapshots (
        id bigserial PRIMARY KEY,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        healthy boolean NOT NULL,
        details jsonb NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'health_snapshots',
      'notification_deliveries',
      'app_settings',
      'scan_runs',
      'engine_states',
      'signal_events',
      'signals',
      'candles',
      'market_symbols',
    ]) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
