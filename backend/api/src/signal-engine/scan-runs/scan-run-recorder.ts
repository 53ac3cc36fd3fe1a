import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { ScanRunSummary } from '@scanner/contracts';
import { DataSource, In, IsNull, MoreThan, Not, Repository } from 'typeorm';
import { ScanRunEntity, ScanRunError } from './scan-run.entity';

/** Errors kept per batch in the run row (the count covers all of them). */
const ERRORS_KEPT_PER_BATCH = 25;

export interface BatchOutcome {
  candlesFetched: number;
  weightUsed: number;
  series: number;
  /** Signal changes the engine made from this batch's candles. */
  signalsChanged: number;
  errors: ScanRunError[];
}

/** The last scan that ended ok or partial. */
export interface SuccessfulScan {
  finishedAt: Date;
  durationMs: number | null;
  symbols: number;
}

/** What the scanner is doing, from the runs every process records. */
export interface ScanActivity {
  lastSuccess: SuccessfulScan | null;
  /** Status of the last finished, not skipped, run (null when none). */
  lastFinishedStatus: ScanRunEntity['status'] | null;
  /** A run started less than `staleAfterMs` ago is still `running`. */
  scanning: boolean;
}

/** `scan_runs`: a row per scan, completed atomically by whichever batch finishes last. */
@Injectable()
export class ScanRunRecorder {
  constructor(
    @InjectRepository(ScanRunEntity) private readonly runs: Repository<ScanRunEntity>,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async start(
    trigger: string,
    tick: Date | null,
    symbols: number,
    series: number,
    batches: number,
  ): Promise<number> {
    const empty = batches === 0;
    const run = await this.runs.save(
      this.runs.create({
        trigger,
        tick,
        status: empty ? 'ok' : 'running',
        startedAt: new Date(),
        symbols,
        series,
        batches,
        finishedAt: empty ? new Date() : null,
        durationMs: empty ? 0 : null,
      }),
    );
    return run.id;
  }

  async skipped(trigger: string, tick: Date | null, reason: string): Promise<number> {
    const now = new Date();
    const run = await this.runs.save(
      this.runs.create({
        trigger,
        tick,
        status: 'skipped',
        startedAt: now,
        finishedAt: now,
        durationMs: 0,
        errors: [{ symbol: '*', interval: '*', error: reason }],
      }),
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
         signals_changed = signals_changed + $6,
         status = CASE WHEN batches_done + 1 < batches THEN status
                       WHEN series_failed + $4 = 0 THEN 'ok'
                       WHEN series_failed + $4 >= series THEN 'failed'
                       ELSE 'partial' END,
         finished_at = CASE WHEN batches_done + 1 < batches THEN finished_at ELSE now() END,
         duration_ms = CASE WHEN batches_done + 1 < batches THEN duration_ms
                            ELSE (extract(epoch FROM (now() - started_at)) * 1000)::int END
       WHERE id = $1`,
      [
        runId,
        outcome.candlesFetched,
        outcome.weightUsed,
        failed,
        JSON.stringify(outcome.errors.slice(0, ERRORS_KEPT_PER_BATCH)),
        outcome.signalsChanged,
      ],
    );
  }

  /** The newest runs, newest first, as the admin API shows them. */
  async latest(limit = 20): Promise<ScanRunSummary[]> {
    const rows = await this.runs.find({ order: { startedAt: 'DESC', id: 'DESC' }, take: limit });
    return rows.map(toScanRunSummary);
  }

  /** End of the last ok or partial scan, null when none yet. */
  async lastSuccessAt(): Promise<Date | null> {
    return (await this.lastSuccess())?.finishedAt ?? null;
  }

  async activity(staleAfterMs: number, now: Date = new Date()): Promise<ScanActivity> {
    const [lastSuccess, lastFinished, running] = await Promise.all([
      this.lastSuccess(),
      this.runs.findOne({
        select: { status: true },
        where: { finishedAt: Not(IsNull()), status: Not('skipped') },
        order: { finishedAt: 'DESC', id: 'DESC' },
      }),
      this.runs.existsBy({ status: 'running', startedAt: MoreThan(new Date(now.getTime() - staleAfterMs)) }),
    ]);
    return { lastSuccess, lastFinishedStatus: lastFinished?.status ?? null, scanning: running };
  }

  private async lastSuccess(): Promise<SuccessfulScan | null> {
    const row = await this.runs.findOne({
      where: { finishedAt: Not(IsNull()), status: In(['ok', 'partial']) },
      order: { finishedAt: 'DESC', id: 'DESC' },
    });
    if (row === null || row.finishedAt === null) return null;
    return { finishedAt: row.finishedAt, durationMs: row.durationMs, symbols: row.symbols };
  }
}

/** The one mapping of a run row to the wire. */
export function toScanRunSummary(run: ScanRunEntity): ScanRunSummary {
  return {
    id: run.id,
    trigger: run.trigger,
    status: run.status,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    durationMs: run.durationMs,
    symbols: run.symbols,
    candlesFetched: run.candlesFetched,
    signalsChanged: run.signalsChanged,
    errors: run.errors,
  };
}
