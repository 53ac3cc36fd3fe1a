import type { IsotonicBlock } from '@scanner/signal-core';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The current isotonic fit of P(TP before SL) on confidence at creation, for one timeframe. */
@Entity({ name: 'target_fits' })
export class TargetFitEntity {
  @PrimaryColumn({ type: 'varchar', length: 4 })
  timeframe!: string;

  /** TP/SL closes the fit was made from (live + replay). */
  @Column({ type: 'integer' })
  samples!: number;

  @Column({ name: 'live_samples', type: 'integer' })
  liveSamples!: number;

  @Column({ name: 'replay_samples', type: 'integer' })
  replaySamples!: number;

  @Column({ name: 'min_samples', type: 'integer' })
  minSamples!: number;

  /** signal-core's IsotonicModel blocks; empty while there is no fit. */
  @Column({ type: 'jsonb' })
  blocks!: IsotonicBlock[];

  /** Why there is no fit (null when there is one). */
  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ name: 'fitted_at', type: 'timestamptz' })
  fittedAt!: Date;
}
