import { MigrationInterface, QueryRunner } from 'typeorm';

/** A scan fans out into batches (possibly on several workers): the run knows how many, and how many ended. */
export class ScanRunBatches1732700000000 implements MigrationInterface {
  name = 'ScanRunBatches1732700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE scan_runs
        ADD COLUMN tick timestamptz,
        ADD COLUMN batches integer NOT NULL DEFAULT 0,
        ADD COLUMN batches_done integer NOT NULL DEFAULT 0,
        ADD COLUMN series integer NOT NULL DEFAULT 0,
        ADD COLUMN series_failed integer NOT NULL DEFAULT 0,
        ADD COLUMN weight_used integer NOT NULL DEFAULT 0`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE scan_runs
        DROP COLUMN tick, DROP COLUMN batches, DROP COLUMN batches_done,
        DROP COLUMN series, DROP COLUMN series_failed, DROP COLUMN weight_used`);
  }
}
