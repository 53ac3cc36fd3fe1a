import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  Replay,
  ReplayDeleted,
  ReplayProgress,
  ReplayRequest,
  ReplayResult,
  ReplayStatus,
} from '@scanner/contracts';
import { runBacktest, type EngineConfig, type Signal } from '@scanner/signal-core';
import { DataSource } from 'typeorm';
import { CandleStore } from '../../market-data';
import { EngineConfigService } from '../engine-config.service';
import { ScoringVersionNotFoundError, ScoringVersionsService } from '../scoring-versions.service';
import {
  compareLive,
  InvalidReplayRequestError,
  parseReplayRequest,
  replayDifferences,
  replaySide,
  type StoredReplayCandidate,
} from './replay-compare';

export class ReplayNotFoundError extends NotFoundException {
  constructor(readonly id: number) {
    super(`replay ${id} not found`);
  }
}

/** How long a finished replay's last progress is still sent over the socket. */
const FINISHED_PROGRESS_SECONDS = 10;

interface ReplayRow {
  id: number;
  status: ReplayStatus;
  request: ReplayRequest;
  series_done: number;
  series_total: number;
  candles_read: number | string;
  result?: ReplayResult | null;
  error: string | null;
  created_at: Date | string;
  started_at: Date | string | null;
  finished_at: Date | string | null;
}

/** Rows of an UPDATE/DELETE … RETURNING: TypeORM's query() gives [rows, count] on Postgres, the rows on PGlite. */
function returned<T>(result: unknown[]): T[] {
  return (Array.isArray(result[0]) ? result[0] : result) as T[];
}

const iso = (value: Date | string | null): string | null =>
  value === null ? null : new Date(value).toISOString();

function progressOf(row: ReplayRow): ReplayProgress {
  return {
    id: row.id,
    status: row.status,
    seriesDone: row.series_done,
    seriesTotal: row.series_total,
    candles: Number(row.candles_read),
  };
}

function toReplay(row: ReplayRow): Replay {
  return {
    id: row.id,
    status: row.status,
    request: row.request,
    progress: progressOf(row),
    result: row.result ?? null,
    error: row.error,
    createdAt: iso(row.created_at)!,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
  };
}

const SUMMARY = `id, status, request, series_done, series_total, candles_read, error, created_at, started_at, finished_at`;

/** One side's running totals while the series are replayed. */
interface SideRun {
  version: number;
  config: EngineConfig;
  signals: Signal[];
  stored: number;
  matching: number;
}

/**
 * A/B replays (issue 18 §2), the `ab_replays` table: stored candles of the requested series replayed
 * through two scoring versions with signal-core's runBacktest (the live engine's code), in this thread,
 * series by series (progress recorded after each, a cancel honoured between them); both result sets
 * stored. The stored signals each version created in those series are compared with its replay.
 */
@Injectable()
export class ReplayService {
  private readonly logger = new Logger(ReplayService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly candles: CandleStore,
    private readonly versions: ScoringVersionsService,
    private readonly engineConfig: EngineConfigService,
  ) {}

  /** Validates the body (400 naming the problem; unknown versions too) and records a queued replay. */
  async create(body: unknown): Promise<Replay> {
    const request = parseReplayRequest(body);
    for (const field of ['versionA', 'versionB'] as const) {
      try {
        await this.versions.get(request[field]);
      } catch (error) {
        if (error instanceof ScoringVersionNotFoundError)
          throw new InvalidReplayRequestError(`${field}: scoring version ${request[field]} does not exist`);
        throw error;
      }
    }
    const rows: ReplayRow[] = await this.dataSource.query(
      `INSERT INTO ab_replays (request, series_total) VALUES ($1, $2) RETURNING ${SUMMARY}`,
      [JSON.stringify(request), request.symbols.length * request.timeframes.length],
    );
    return toReplay(rows[0]);
  }

  /** The newest replays first, without their results. */
  async list(limit = 50): Promise<Replay[]> {
    const rows: ReplayRow[] = await this.dataSource.query(
      `SELECT ${SUMMARY} FROM ab_replays ORDER BY id DESC LIMIT $1`,
      [limit],
    );
    return rows.map(toReplay);
  }

  async get(id: number): Promise<Replay> {
    const rows: ReplayRow[] = await this.dataSource.query(
      `SELECT ${SUMMARY}, result FROM ab_replays WHERE id = $1`,
      [id],
    );
    if (rows.length === 0) throw new ReplayNotFoundError(id);
    return toReplay(rows[0]);
  }

  /** A queued replay is cancelled at once, a running one at its next series; a finished one is deleted. */
  async remove(id: number): Promise<ReplayDeleted> {
    const queued = returned(
      await this.dataSource.query(
        `UPDATE ab_replays SET status = 'cancelled', cancel_requested = true, finished_at = now()
        WHERE id = $1 AND status = 'queued' RETURNING id`,
        [id],
      ),
    );
    if (queued.length > 0) return { id, cancelled: true, deleted: false };
    const running = returned(
      await this.dataSource.query(
        `UPDATE ab_replays SET cancel_requested = true WHERE id = $1 AND status = 'running' RETURNING id`,
        [id],
      ),
    );
    if (running.length > 0) return { id, cancelled: true, deleted: false };
    const deleted = returned(
      await this.dataSource.query(`DELETE FROM ab_replays WHERE id = $1 RETURNING id`, [id]),
    );
    if (deleted.length === 0) throw new ReplayNotFoundError(id);
    return { id, cancelled: false, deleted: true };
  }

  /** Progress of the replays queued or running, and of those finished in the last few seconds. */
  async recentProgress(): Promise<ReplayProgress[]> {
    const rows: ReplayRow[] = await this.dataSource.query(
      `SELECT ${SUMMARY} FROM ab_replays
        WHERE status IN ('queued', 'running') OR finished_at > now() - make_interval(secs => $1)
        ORDER BY id`,
      [FINISHED_PROGRESS_SECONDS],
    );
    return rows.map(progressOf);
  }

  /** The `ab-replay` job: runs a queued replay to its end (done, failed or cancelled). */
  async run(id: number): Promise<void> {
    const started = returned<ReplayRow>(
      await this.dataSource.query(
        `UPDATE ab_replays SET status = 'running', started_at = now()
        WHERE id = $1 AND status = 'queued' AND NOT cancel_requested RETURNING ${SUMMARY}`,
        [id],
      ),
    );
    if (started.length === 0) return; // cancelled, deleted, or already run
    try {
      const outcome = await this.replay(id, started[0].request);
      if (outcome === 'cancelled') {
        await this.finish(id, 'cancelled', null, null);
        this.logger.log(`replay ${id} cancelled`);
      }
    } catch (error) {
      const message = (error as Error).message;
      this.logger.error(`replay ${id} failed: ${message}`);
      await this.finish(id, 'failed', null, message);
    }
  }

  private async replay(id: number, request: ReplayRequest): Promise<'done' | 'cancelled'> {
    const side = async (version: number): Promise<SideRun> => ({
      version,
      config: this.engineConfig.configOf(await this.versions.get(version)),
      signals: [],
      stored: 0,
      matching: 0,
    });
    const sides = [await side(request.versionA), await side(request.versionB)];
    const from = Date.parse(request.from);
    const to = Date.parse(request.to);
    let done = 0;
    let candleCount = 0;
    for (const timeframe of [...request.timeframes].sort())
      for (const symbol of [...request.symbols].sort()) {
        if (await this.cancelRequested(id)) return 'cancelled';
        // Candles opening in [from, to]: `between` excludes both ends.
        const candles = await this.candles.between(symbol, timeframe, from - 1, to + 1);
        if (candles.length > 0) {
          const first = candles[0].closeTime;
          const last = candles[candles.length - 1].closeTime;
          for (const s of sides) {
            const { signals } = runBacktest({ [symbol]: candles }, s.config, { timeframe });
            s.signals.push(...signals);
            const live = compareLive(
              await this.storedSignals(s.version, symbol, timeframe, first, last),
              signals,
              last,
            );
            s.stored += live.stored;
            s.matching += live.matching;
          }
        }
        done++;
        candleCount += candles.length;
        await this.dataSource.query(
          `UPDATE ab_replays SET series_done = $2, candles_read = $3 WHERE id = $1`,
          [id, done, candleCount],
        );
        // Let the process answer between series (the replay runs in this thread).
        await new Promise((resolve) => setImmediate(resolve));
      }
    const [a, b] = sides.map((s) =>
      replaySide(
        s.version,
        s.signals,
        s.stored === 0
          ? null
          : { stored: s.stored, matching: s.matching, reproduced: s.matching === s.stored },
        request,
      ),
    );
    await this.finish(id, 'done', { a, b, ...replayDifferences(sides[0].signals, sides[1].signals) }, null);
    return 'done';
  }

  private async cancelRequested(id: number): Promise<boolean> {
    const rows: { cancel_requested: boolean }[] = await this.dataSource.query(
      `SELECT cancel_requested FROM ab_replays WHERE id = $1`,
      [id],
    );
    return rows.length === 0 || rows[0].cancel_requested;
  }

  private async finish(
    id: number,
    status: 'done' | 'failed' | 'cancelled',
    result: ReplayResult | null,
    error: string | null,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE ab_replays SET status = $2, result = $3, error = $4, finished_at = now() WHERE id = $1`,
      [id, status, result === null ? null : JSON.stringify(result), error],
    );
  }

  /** The signals `version` created in one series with a creation between the two close times. */
  private async storedSignals(
    version: number,
    symbol: string,
    timeframe: string,
    firstClose: number,
    lastClose: number,
  ): Promise<StoredReplayCandidate[]> {
    const rows: {
      id: string;
      entry_price: number;
      take_profit: number;
      status: string;
      closed_ms: number | string | null;
    }[] = await this.dataSource.query(
      `SELECT id, entry_price, take_profit, status, round(extract(epoch FROM closed_at) * 1000)::float8 AS closed_ms
         FROM signals
        WHERE scoring_version = $1 AND symbol = $2 AND timeframe = $3 AND created_at >= $4 AND created_at <= $5`,
      [version, symbol, timeframe, new Date(firstClose), new Date(lastClose)],
    );
    return rows.map((r) => ({
      id: r.id,
      entryPrice: r.entry_price,
      takeProfit: r.take_profit,
      status: r.status,
      closedAt: r.closed_ms === null ? null : Number(r.closed_ms),
    }));
  }
}
