import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  ReconcileMismatch,
  ReconcileRun,
  ReconcileRunStatus,
  ReconcileSeriesMismatch,
  ReconcileSkippedSeries,
} from '@scanner/contracts';
import { fineCandleSource } from '@scanner/signal-core';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config';
import { CandleStore, FineCandleService, toCoreCandle } from '../../market-data';
import { MetricsService } from '../../metrics';
import { EngineConfigService } from '../engine-config.service';
import { replaySeries, type StoredSignalView } from './replay-series';

/** Differences kept in a run row (the count covers all of them). */
export const MISMATCHES_KEPT = 50;
const DAY_MS = 86_400_000;

interface EngineRow {
  symbol: string;
  timeframe: string;
  last_candle_open_time: string | number;
  processed: string | number | null;
}

interface SignalRow {
  id: string;
  symbol: string;
  timeframe: string;
  status: string;
  entry_price: number;
  stop_loss: number;
  take_profit: number;
  outcome_r: number | null;
  exit_price: number | null;
  candle_open_time: Date;
  closed_at: Date | null;
  close_reason: string | null;
  resolution: string | null;
}

interface RunRow {
  id: string | number;
  trigger: string;
  status: ReconcileRunStatus;
  started_at: Date;
  finished_at: Date | null;
  series: number;
  candles_replayed: number;
  signals_compared: number;
  signals_levels_only: number;
  signals_purged: number;
  mismatch_count: number;
  mismatched_series: ReconcileSeriesMismatch[];
  mismatches: ReconcileMismatch[];
  skipped: ReconcileSkippedSeries[];
  error: string | null;
}

/**
 * Reconciliation (issue 14 §7): replays each series' stored closed candles through signal-core with
 * the engine configuration in force and compares the result with the stored signals of that period.
 *
 * The period of a series is exactly what its live engine processed: the stored engine state says up to
 * which candle (`last_candle_open_time`) and how many closed candles it took (the snapshot's count,
 * warm-up included). Those are the newest that many stored candles up to its last one, so the replay
 * starts from the same first candle the live engine started from. Fewer stored candles than that
 * (candles deleted under it) cannot be replayed honestly: the series is skipped with the reason. Stored
 * signals created before that first candle (an engine reset since, which warmed up again from later
 * candles) are outside the period and left out. The engine state and the signals are read in one
 * snapshot of the database, so a scan committing meanwhile cannot make them disagree.
 */
@Injectable()
export class ReconcileService implements OnModuleInit {
  private readonly logger = new Logger(ReconcileService.name);
  private readonly gauge: Gauge;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
    private readonly candles: CandleStore,
    private readonly fine: FineCandleService,
    private readonly engineConfig: EngineConfigService,
    private readonly metrics: MetricsService,
  ) {
    this.gauge = new Gauge({
      name: 'signals_reconcile_mismatches',
      help: 'Differences between stored signals and a replay of their stored candles, in the last finished reconciliation',
      registers: [metrics.registry],
    });
  }

  onModuleInit(): void {
    // Every process shows the last finished run, whichever process ran it.
    this.metrics.addCollector(async () => {
      const rows = (await this.db.query(
        `SELECT mismatch_count FROM reconcile_runs WHERE status IN ('ok', 'mismatches')
          ORDER BY started_at DESC, id DESC LIMIT 1`,
      )) as { mismatch_count: number }[];
      if (rows[0] !== undefined) this.gauge.set(Number(rows[0].mismatch_count));
    });
  }

  /** The newest run (running or finished), null before the first. */
  async last(): Promise<ReconcileRun | null> {
    const rows = (await this.db.query(
      `SELECT * FROM reconcile_runs ORDER BY started_at DESC, id DESC LIMIT 1`,
    )) as RunRow[];
    return rows[0] === undefined ? null : toRun(rows[0]);
  }

  /** Runs one reconciliation over every stored engine; records and returns its result. */
  async run(trigger: string, now: Date = new Date()): Promise<ReconcileRun> {
    const [{ id }] = (await this.db.query(
      `INSERT INTO reconcile_runs (trigger, status, started_at) VALUES ($1, 'running', $2) RETURNING id`,
      [trigger, now],
    )) as { id: string }[];
    try {
      const result = await this.reconcile(now);
      await this.db.query(
        `UPDATE reconcile_runs SET status = $2, finished_at = now(), series = $3, candles_replayed = $4,
                signals_compared = $5, signals_levels_only = $6, signals_purged = $7, mismatch_count = $8,
                mismatched_series = $9::jsonb, mismatches = $10::jsonb, skipped = $11::jsonb
          WHERE id = $1`,
        [
          id,
          result.mismatchCount === 0 ? 'ok' : 'mismatches',
          result.series,
          result.candles,
          result.signalsCompared,
          result.signalsLevelsOnly,
          result.signalsPurged,
          result.mismatchCount,
          JSON.stringify(result.mismatchedSeries),
          JSON.stringify(result.mismatches),
          JSON.stringify(result.skipped),
        ],
      );
      this.gauge.set(result.mismatchCount);
      const run = await this.byId(id);
      this.logger.log({
        msg: 'reconciliation done',
        id: run.id,
        series: run.series,
        signalsCompared: run.signalsCompared,
        mismatches: run.mismatchCount,
        skipped: run.skipped.length,
      });
      return run;
    } catch (error) {
      const message = (error as Error).message;
      this.logger.error({ msg: 'reconciliation failed', id, error: message });
      await this.db.query(
        `UPDATE reconcile_runs SET status = 'failed', finished_at = now(), error = $2 WHERE id = $1`,
        [id, message],
      );
      return this.byId(id);
    }
  }

  private async byId(id: string): Promise<ReconcileRun> {
    const rows = (await this.db.query(`SELECT * FROM reconcile_runs WHERE id = $1`, [id])) as RunRow[];
    return toRun(rows[0]);
  }

  private async reconcile(now: Date) {
    const config = await this.engineConfig.get();
    const { engines, signals } = await this.db.transaction('REPEATABLE READ', async (manager) => ({
      engines: (await manager.query(
        // The snapshot's count of processed candles. Its JSON key is the candles table's name: passed as a
        // parameter, so that the table-ownership check does not read it as that table.
        `SELECT symbol, timeframe, last_candle_open_time, state->'snapshot'->>$1 AS processed
           FROM engine_states ORDER BY symbol, timeframe`,
        ['candles'],
      )) as EngineRow[],
      signals: (await manager.query(
        `SELECT id, symbol, timeframe, status, entry_price, stop_loss, take_profit, outcome_r, exit_price,
                candle_open_time, closed_at, close_reason, resolution
           FROM signals ORDER BY symbol, timeframe, candle_open_time`,
      )) as SignalRow[],
    }));
    const bySeries = new Map<string, StoredSignalView[]>();
    for (const row of signals) {
      const key = `${row.symbol}|${row.timeframe}`;
      const list = bySeries.get(key) ?? [];
      list.push(toView(row));
      bySeries.set(key, list);
    }
    const purgedBefore = now.getTime() - this.config.historyRetentionDays * DAY_MS;
    const totals = {
      series: 0,
      candles: 0,
      signalsCompared: 0,
      signalsLevelsOnly: 0,
      signalsPurged: 0,
      mismatchCount: 0,
      mismatchedSeries: [] as ReconcileSeriesMismatch[],
      mismatches: [] as ReconcileMismatch[],
      skipped: [] as ReconcileSkippedSeries[],
    };
    for (const engine of engines) {
      const { symbol, timeframe } = engine;
      const lastOpen = Number(engine.last_candle_open_time);
      const processed = Number(engine.processed ?? NaN);
      if (!Number.isSafeInteger(processed) || processed <= 0) {
        totals.skipped.push({ symbol, timeframe, reason: 'its engine state has no candle count' });
        continue;
      }
      // The newest `processed` stored candles up to the engine's last one: what the live engine took.
      const stored = await this.candles.before(symbol, timeframe, lastOpen + 1, processed);
      if (stored.length < processed || stored.at(-1)?.openTime !== lastOpen) {
        totals.skipped.push({
          symbol,
          timeframe,
          reason: `its engine processed ${processed} candles up to ${new Date(lastOpen).toISOString()}, but ${stored.length} are stored: the replay could not start where the live engine did`,
        });
        continue;
      }
      // The 1m candles the live engine decided its same-candle ambiguities from (market-data stored them).
      const fine = await this.fine.stored(symbol, stored[0].openTime, stored[stored.length - 1].closeTime);
      const result = replaySeries({
        symbol,
        timeframe,
        config,
        candles: stored.map(toCoreCandle),
        stored: bySeries.get(`${symbol}|${timeframe}`) ?? [],
        purgedBefore,
        fineCandles: fine.length === 0 ? undefined : fineCandleSource({ [symbol]: fine.map(toCoreCandle) }),
      });
      totals.series++;
      totals.candles += result.candles;
      totals.signalsCompared += result.compared;
      totals.signalsLevelsOnly += result.levelsOnly;
      totals.signalsPurged += result.purged;
      if (result.firstDifferingCandle === null) continue;
      const firstDifferingCandle = new Date(result.firstDifferingCandle).toISOString();
      totals.mismatchCount += result.mismatches.length;
      totals.mismatchedSeries.push({
        symbol,
        timeframe,
        firstDifferingCandle,
        mismatches: result.mismatches.length,
      });
      for (const mismatch of result.mismatches) {
        if (totals.mismatches.length >= MISMATCHES_KEPT) break;
        totals.mismatches.push({
          symbol,
          timeframe,
          signalId: mismatch.signalId,
          field: mismatch.field,
          stored: mismatch.stored,
          replayed: mismatch.replayed,
          candleOpenTime: new Date(mismatch.candleOpenTime).toISOString(),
        });
      }
      const firstMismatch = result.mismatches[0];
      this.logger.warn({
        msg: 'reconciliation mismatch: the replay of the stored candles disagrees with the stored signals',
        symbol,
        timeframe,
        firstDifferingCandle,
        mismatches: result.mismatches.length,
        signalId: firstMismatch.signalId,
        field: firstMismatch.field,
        stored: firstMismatch.stored,
        replayed: firstMismatch.replayed,
      });
    }
    const withEngine = new Set(engines.map((engine) => `${engine.symbol}|${engine.timeframe}`));
    for (const [key, stored] of bySeries) {
      if (withEngine.has(key)) continue;
      const [symbol, timeframe] = key.split('|');
      totals.skipped.push({
        symbol,
        timeframe,
        reason: `${stored.length} stored signal(s) but no stored engine state: which candles the live engine saw is unknown`,
      });
    }
    totals.mismatchedSeries.sort((a, b) =>
      a.firstDifferingCandle < b.firstDifferingCandle
        ? -1
        : a.firstDifferingCandle > b.firstDifferingCandle
          ? 1
          : 0,
    );
    return totals;
  }
}

function toView(row: SignalRow): StoredSignalView {
  return {
    id: row.id,
    status: row.status,
    entryPrice: row.entry_price,
    stopLoss: row.stop_loss,
    takeProfit: row.take_profit,
    outcomeR: row.outcome_r,
    exitPrice: row.exit_price,
    candleOpenTime: new Date(row.candle_open_time).getTime(),
    closedAt: row.closed_at === null ? null : new Date(row.closed_at).getTime(),
    closeReason: row.close_reason,
    resolution: row.resolution,
  };
}

function toRun(row: RunRow): ReconcileRun {
  return {
    id: Number(row.id),
    trigger: row.trigger,
    status: row.status,
    startedAt: new Date(row.started_at).toISOString(),
    finishedAt: row.finished_at === null ? null : new Date(row.finished_at).toISOString(),
    series: Number(row.series),
    candles: Number(row.candles_replayed),
    signalsCompared: Number(row.signals_compared),
    signalsLevelsOnly: Number(row.signals_levels_only),
    signalsPurged: Number(row.signals_purged),
    mismatchCount: Number(row.mismatch_count),
    mismatchedSeries: row.mismatched_series,
    mismatches: row.mismatches,
    skipped: row.skipped,
    error: row.error,
  };
}
