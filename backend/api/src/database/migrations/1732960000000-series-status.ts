import { MigrationInterface, QueryRunner } from 'typeorm';

/** The last sync outcome per series, shared by every process (readiness and /api/market/symbols read it). */
export class SeriesStatus1732960000000 implements MigrationInterface {
  name = 'SeriesStatus1732960000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE series_status (
        symbol varchar(20) NOT NULL,
        interval varchar(4) NOT NULL,
        synced_at bigint NOT NULL,
        open_candle_time bigint,
        error text,
        PRIMARY KEY (symbol, interval)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE series_status`);
  }
}
