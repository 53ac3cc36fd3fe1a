import { Column, Entity } from 'typeorm';
import { bigintAsNumber } from '../database/column-transformers';

@Entity({ name: 'health_snapshots' })
export class HealthSnapshotEntity {
  @Column({ primary: true, type: 'bigint', generated: 'increment', transformer: bigintAsNumber })
  id!: number;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt!: Date;

  @Column({ type: 'boolean' })
  healthy!: boolean;

  @Column({ type: 'jsonb' })
  details!: Record<string, unknown>;
}
