import { MigrationInterface, QueryRunner } from 'typeorm';

/** `health_snapshots` was written every 10 minutes and never read: readiness is asked live (GET /api/health/ready). */
export class DropHealthSnapshots1732900000000 implements MigrationInterface {
  name = 'DropHealthSnapshots1732900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS health_snapshots');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE health_snapshots (
        id bigserial PRIMARY KEY,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        healthy boolean NOT NULL,
        details jsonb NOT NULL
      )`);
  }
}
