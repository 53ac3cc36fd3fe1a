import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { ScanRunEntity, ScanRunError } from './scan-run.entity';

/** Errors kept per batch in the run row (the count covers all of them). */
const ERRORS_KEPT_PER_BATCH = 25;

export interface BatchOutcome {
  candlesFetched: number;
  weightUsed: number;
  series: number;
  errors: ScanRunError[];
}

/** Writes `scan_runs`: a row per scan, completed atomically by whichever batch finishes last. */
@Injectable()
export class ScanRunRecorder {
  constructor(
    @InjectRepository(ScanRunEntity) private readonly runs: Repository<ScanRunEntity>,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async start(trigger: string, tick: Date | null, symbols: number, series: number, batches: number): Promise<number> {
    const run = await this.runs.save(
      this.runs.create({ trigger, tick, status: batches === 0 ? 'ok' : 'running', startedAt: new Date(), symbols, series, batches, finishedAt: batches === 0 ? new Date() : null, durationMs: batches === 0 ? 0 : null }),
    );
    return run.id;
  }

  async skipped(trigger: string, tick: Date | null, reason: string): Promise<number> {
    const now = new Date();
    const run = await this.runs.save(
      this.runs.create({ trigger, tick, status: 'skipped', startedAt: now, finishedAt: now, durationMs: 0, errors: [{ symbol: '*', interval: '*', error: reason }] }),
    );
    return run.id;
  }

  /** Closes as failed the runs still `running` after `afterMs`: their process stopped, or their batches failed for good. */
  async closeAbandoned(afterMs: number, now: Date = new Date()): Promise<void> {
    const cutoff = new Date(now.getTime() - afterMs);
    await this.db.query(
      `UPDATE scan_runs SET status = 'failed', finished_at = $2,
              errors = errors || '[{"symbol":"*","interval":"*","error":"abandoned: the scan did not finish (its process stopped or its batches failed)"}]'::jsonb
        WHERE status = 'running' AND started_at < $1`,
      [cutoff, now],
    );
  }

  /** Adds one batch's outcome; the last batch sets the final status, finish time and duration. */
  async batchDone(runId: number, outcome: BatchOutcome): Promise<void> {
    const failed = outcome.errors.length;
    await this.db.query(
      `UPDATE scan_runs SET
         batches_done = batches_done + 1,
         candles_fetched = candles_fetched + $2,
         weight_used = weight_used + $3,
         series_failed = series_failed + $4,
         errors = errors || $5::jsonb,
         status = CASE WHEN batches_done + 1 < batches THEN status
                       WHEN series_failed + $4 = 0 THEN 'ok'
                       WHEN series_failed + $4 >= series THEN 'failed'
                       ELSE 'partial' END,
         finished_at = CASE WHEN batches_done + 1 < batches THEN finished_at ELSE now() END,
         duration_ms = CASE WHEN batches_done + 1 < batches THEN duration_ms
                            ELSE (extract(epoch FROM (now() - started_at)) * 1000)::int END
       WHERE id = $1`,
      [runId, outcome.candlesFetched, outcome.weightUsed, failed, JSON.stringify(outcome.errors.slice(0, ERRORS_KEPT_PER_BATCH))],
    );
  }

  /** For the signal engine: signal changes made from a batch's candles. */
  async addSignalsChanged(runId: number, count: number): Promise<void> {
    if (count === 0) return;
    await this.db.query(`UPDATE scan_runs SET signals_changed = signals_changed + $2 WHERE id = $1`, [runId, count]);
  }

  find(runId: number): Promise<ScanRunEntity | null> {
    return this.runs.findOneBy({ id: runId });
  }

  latest(limit = 20): Promise<ScanRunEntity[]> {
    return this.runs.find({ order: { startedAt: 'DESC', id: 'DESC' }, take: limit });
  }
}
