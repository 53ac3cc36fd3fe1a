import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SignalEngineSnapshot } from '@scanner/signal-core';
import { bigintAsNumber } from '../../database';

/** What `engine_states.state` holds: the engine snapshot and a revision bumped on every save. */
export interface StoredEngineState {
  /** Optimistic-concurrency token: a writer that read revision N may only save N + 1. */
  revision: number;
  snapshot: SignalEngineSnapshot;
}

/** The signal engine of one symbol + timeframe as of its last processed closed candle. */
@Entity({ name: 'engine_states' })
export class EngineStateEntity {
  @PrimaryColumn({ type: 'varchar', length: 20 })
  symbol!: string;

  @PrimaryColumn({ type: 'varchar', length: 4 })
  timeframe!: string;

  @Column({ name: 'last_candle_open_time', type: 'bigint', transformer: bigintAsNumber })
  lastCandleOpenTime!: number;

  /** json, not jsonb: written and read whole, and jsonb's parse of its numbers was most of a write. */
  @Column({ type: 'json' })
  state!: StoredEngineState;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
