import type {
  ConditionKey,
  IndicatorSnapshot,
  OptionalConditionKey,
  SameCandleResolution,
  SignalDirection,
  SignalConfluence,
  SignalOrigin,
  SignalStatus,
} from '@scanner/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export interface StoredCondition {
  key: ConditionKey | OptionalConditionKey;
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

  /** Outcome R after FEE_BPS + SLIPPAGE_BPS on entry and exit (outcome_r is the gross one). */
  @Column({ name: 'net_r', type: 'double precision', nullable: true })
  netR!: number | null;

  @Column({ type: 'varchar', length: 12, nullable: true })
  resolution!: SameCandleResolution | null;

  @Column({ name: 'initial_confidence', type: 'double precision' })
  initialConfidence!: number;

  /** Conditions met at creation: bit i = CONDITION_KEYS[i]. */
  @Column({ name: 'initial_condition_mask', type: 'integer' })
  initialConditionMask!: number;

  /** Fixed at creation (see signal-origin.ts). */
  @Column({ type: 'varchar', length: 6 })
  origin!: SignalOrigin;

  /** pTarget from the fit current at creation (null with a note while there is none). */
  @Column({ name: 'p_target', type: 'double precision', nullable: true })
  pTarget!: number | null;

  @Column({ name: 'p_target_samples', type: 'integer' })
  pTargetSamples!: number;

  @Column({ name: 'p_target_note', type: 'text', nullable: true })
  pTargetNote!: string | null;

  /** The other scanned timeframes at creation (null for signals created before it was recorded). */
  @Column({ type: 'jsonb', nullable: true })
  confluence!: SignalConfluence | null;

  /** The scoring version that created the signal (scoring_versions.id; 1 for those before versions). */
  @Column({ name: 'scoring_version', type: 'integer' })
  scoringVersion!: number;

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
