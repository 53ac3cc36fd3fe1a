import type { Signal, SignalEventType } from '@scanner/contracts';
import { Column, Entity } from 'typeorm';
import { bigintAsNumber } from '../../database';

/** Append-only outbox row written in the same transaction as the signal change it describes. */
@Entity({ name: 'signal_events' })
export class SignalEventEntity {
  @Column({ primary: true, type: 'bigint', generated: 'increment', transformer: bigintAsNumber })
  seq!: number;

  @Column({ name: 'signal_id', type: 'varchar', length: 100 })
  signalId!: string;

  @Column({ type: 'varchar', length: 10 })
  type!: SignalEventType;

  @Column({ type: 'jsonb' })
  payload!: Signal;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt!: Date;

  /** Market time of the engine step that wrote it (see SignalStore.commit). */
  @Column({ name: 'market_time', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  marketTime!: number | null;
}
