import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A signal's confluence (issue 17 §1): the same symbol's state on the other scanned timeframes when the
 * signal was created, stored with it (part of its creation stamp). Null for signals created before.
 */
export class SignalConfluence1733130000000 implements MigrationInterface {
  name = 'SignalConfluence1733130000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE signals ADD COLUMN confluence jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE signals DROP COLUMN confluence`);
  }
}
