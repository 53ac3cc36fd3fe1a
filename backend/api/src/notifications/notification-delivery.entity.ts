import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '../database';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One event for one channel. The primary key is the idempotency key: `<event seq>:<channel>`. */
@Entity({ name: 'notification_deliveries' })
export class NotificationDeliveryEntity {
  @PrimaryColumn({ name: 'idempotency_key', type: 'varchar', length: 200 })
  idempotencyKey!: string;

  @Column({ type: 'varchar', length: 20 })
  channel!: string;

  @Column({ name: 'event_seq', type: 'bigint', transformer: bigintAsNumber })
  eventSeq!: number;

  @Column({ type: 'varchar', length: 12 })
  status!: DeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;
}
