import type {
  AlertAttempt,
  AlertChannel,
  AlertDeliveryStatus,
  AlertEvent,
  SignalConfluence,
} from '@scanner/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '../database';

/** A trader's alert rule (see AlertRule in contracts for the meaning of each field). */
@Entity({ name: 'alert_rules' })
export class AlertRuleEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  symbols!: string[];

  @Column({ name: 'symbol_pattern', type: 'varchar', length: 200, nullable: true })
  symbolPattern!: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  timeframes!: string[];

  @Column({ type: 'varchar', length: 5, default: 'ANY' })
  direction!: 'LONG' | 'SHORT' | 'ANY';

  @Column({ name: 'min_confidence', type: 'double precision', default: 0 })
  minConfidence!: number;

  @Column({ name: 'min_p_target', type: 'double precision', nullable: true })
  minPTarget!: number | null;

  @Column({ name: 'min_agreeing_timeframes', type: 'integer', default: 1 })
  minAgreeingTimeframes!: number;

  @Column({ type: 'jsonb' })
  events!: AlertEvent[];

  @Column({ name: 'cooldown_minutes', type: 'integer', default: 0 })
  cooldownMinutes!: number;

  @Column({ type: 'jsonb' })
  channels!: AlertChannel[];

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

/** One rule × event × channel; the primary key is the idempotency key `rule:<rule>:<seq>:<channel>`. */
@Entity({ name: 'alert_deliveries' })
export class AlertDeliveryEntity {
  @PrimaryColumn({ name: 'idempotency_key', type: 'varchar', length: 200 })
  idempotencyKey!: string;

  @Column({ name: 'rule_id', type: 'varchar', length: 36 })
  ruleId!: string;

  @Column({ name: 'channel_id', type: 'varchar', length: 40 })
  channelId!: string;

  @Column({ name: 'channel_type', type: 'varchar', length: 10 })
  channelType!: AlertChannel['type'];

  @Column({ type: 'varchar', length: 10 })
  event!: AlertEvent | 'test';

  @Column({ name: 'event_seq', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  eventSeq!: number | null;

  @Column({ name: 'signal_id', type: 'varchar', length: 100, nullable: true })
  signalId!: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  symbol!: string | null;

  @Column({ type: 'varchar', length: 4, nullable: true })
  timeframe!: string | null;

  @Column({ type: 'varchar', length: 5, nullable: true })
  direction!: 'LONG' | 'SHORT' | null;

  /** Market time of the event (creation or close): cooldowns are measured on it. */
  @Column({ name: 'signal_time', type: 'timestamptz', nullable: true })
  signalTime!: Date | null;

  @Column({ type: 'varchar', length: 12 })
  status!: AlertDeliveryStatus;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** While an attempt is in flight: until when its sender holds it (another sender skips it). */
  @Column({ name: 'claimed_until', type: 'timestamptz', nullable: true })
  claimedUntil!: Date | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  log!: AlertAttempt[];

  @Column({ type: 'jsonb', nullable: true })
  confluence!: SignalConfluence | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;
}
