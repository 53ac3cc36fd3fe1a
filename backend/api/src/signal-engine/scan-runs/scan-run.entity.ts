import { Column, Entity } from 'typeorm';
import { bigintAsNumber } from '../../database';

export type ScanRunStatus = 'running' | 'ok' | 'partial' | 'failed' | 'skipped';

/** One entry of a series that failed in a scan. */
export interface ScanRunError {
  symbol: string;
  interval: string;
  error: string;
}

/** One market scan (a `scan-market` tick and its batches): read by the dashboard and admin status. */
@Entity({ name: 'scan_runs' })
export class ScanRunEntity {
  @Column({ primary: true, type: 'bigint', generated: 'increment', transformer: bigintAsNumber })
  id!: number;

  @Column({ type: 'varchar', length: 20 })
  trigger!: string;

  @Column({ type: 'varchar', length: 12 })
  status!: ScanRunStatus;

  @Column({ type: 'timestamptz', nullable: true })
  tick!: Date | null;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ name: 'duration_ms', type: 'integer', nullable: true })
  durationMs!: number | null;

  @Column({ type: 'integer', default: 0 })
  symbols!: number;

  /** Symbol × timeframe pairs in the scan. */
  @Column({ type: 'integer', default: 0 })
  series!: number;

  @Column({ name: 'series_failed', type: 'integer', default: 0 })
  seriesFailed!: number;

  @Column({ type: 'integer', default: 0 })
  batches!: number;

  @Column({ name: 'batches_done', type: 'integer', default: 0 })
  batchesDone!: number;

  @Column({ name: 'candles_fetched', type: 'integer', default: 0 })
  candlesFetched!: number;

  /** Request weight this scan's batches charged (as counted by the processes that ran them). */
  @Column({ name: 'weight_used', type: 'integer', default: 0 })
  weightUsed!: number;

  @Column({ name: 'signals_changed', type: 'integer', default: 0 })
  signalsChanged!: number;

  /** The first errors of each batch (all are counted in seriesFailed). */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  errors!: ScanRunError[];
}
