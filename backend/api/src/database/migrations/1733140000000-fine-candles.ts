import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 1m candles fetched to decide a candle that touched both a signal's stop and its target (issue 14 §8).
 * Closed candles only, each (symbol, open time) stored once; the live engine decides from them and the
 * reconciliation replays with the same rows. Owned by market-data.
 */
export class FineCandles1733140000000 implements MigrationInterface {
  name = 'FineCandles1733140000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE fine_candles (
        symbol varchar(32) NOT NULL,
        open_time bigint NOT NULL,
        close_time bigint NOT NULL,
        open float8 NOT NULL,
        high float8 NOT NULL,
        low float8 NOT NULL,
        close float8 NOT NULL,
        volume float8 NOT NULL,
        quote_volume float8 NOT NULL,
        PRIMARY KEY (symbol, open_time)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE fine_candles`);
  }
}
