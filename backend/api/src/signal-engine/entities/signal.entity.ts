import type { ConditionKey, IndicatorSnapshot, SignalDirection, SignalStatus } from '@scanner/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export interface StoredCondition {
  key: ConditionKey;
  met: boolean;
  weight: number;
  detail: string;
}

@Entity({ name: 'signals' })
export class SignalEntity {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  id!: string;

  @Column({ type: 'varchar', length: 20 })
  symbol!: string;

  @Column({ type: 'varchar', length: 4 })
  timeframe!: string;

  @Column({ type: 'varchar', length: 5 })
  direction!: SignalDirection;

  @Column({ type: 'varchar', length: 12 })
  status!: SignalStatus;

  @Column({ type: 'double precision' })
  confidence!: number;

  @Column({ name: 'entry_price', type: 'double precision' })
  entryPrice!: number;

  @Column({ name: 'stop_loss', type: 'double precision' })
  stopLoss!: number;

  @Column({ name: 'take_profit', type: 'double precision' })
  takeProfit!: number;

  @Column({ name: 'risk_reward', type: 'double precision' })
  riskReward!: number;

  @Column({ type: 'jsonb' })
  conditions!: StoredCondition[];

  @Column({ type: 'jsonb' })
  indicators!: IndicatorSnapshot;

  @Column({ name: 'candle_open_time', type: 'timestamptz' })
  candleOpenTime!: Date;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ name: 'exit_price', type: 'double precision', nullable: true })
  exitPrice!: number | null;

  @Column({ name: 'outcome_r', type: 'double precision', nullable: true })
  outcomeR!: number | null;

  @Column({ name: 'max_favorable_r', type: 'double precision', nullable: true })
  maxFavorableR!: number | null;

  @Column({ name: 'max_adverse_r', type: 'double precision', nullable: true })
  maxAdverseR!: number | null;

  /** Why a CANCELLED signal was closed. */
  @Column({ name: 'close_reason', type: 'text', nullable: true })
  closeReason!: string | null;

  @Column({ type: 'integer' })
  version!: number;
}
