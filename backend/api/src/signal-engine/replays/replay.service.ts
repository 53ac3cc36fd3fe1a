import { Inject, Injectable, Logger, NotFoundException, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  Replay,
  ReplayDeleted,
  ReplayProgress,
  ReplayRequest,
  ReplayResult,
  ReplayStatus,
} from '@scanner/contracts';
import type { Candle, EngineConfig, Signal } from '@scanner/signal-core';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config';
import { CandleStore, FineCandleService, toCoreCandle } from '../../market-data';
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
import {
  addSeries,
  chunkSeries,
  emptyShardSide,
  mergeShards,
  planShards,
  type ReplaySeries,
  type ShardResult,
} from './replay-shards';
import { ReplayThreads } from './replay-threads';
import { WARMUP_CANDLES } from '../signal-scanner.service';

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

/** One side of the replay: a scoring version and its engine configuration. */
interface Side {
  version: number;
  config: EngineConfig;
}

/** What the live engine of a series processed, from its stored state (null fields: unknown). */
interface LiveEngineState {
  lastOpen: number;
  processed: number;
}

/** One series as the replay reads it: warm-up and period candles, and the stored 1m candles over them. */
interface SeriesInput {
  series: ReplaySeries;
  candles: Candle[];
  fine: Candle[];
}

const seriesKeyOf = (symbol: string, timeframe: string) => `${symbol}|${timeframe}`;

/** The candle whose span holds `time` (binary search; null when none does). */
function candleContaining(candles: readonly Candle[], time: number): Candle | null {
  let lo = 0;
  let hi = candles.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (candles[mid].openTime <= time) lo = mid;
    else hi = mid - 1;
  }
  const c = candles[lo];
  return c !== undefined && c.openTime <= time && time <= c.closeTime ? c : null;
}

/**
 * A/B replays (issue 18 §2, §4), tables `ab_replays` and `ab_replay_shards`: stored candles of the
 * requested series replayed through two scoring versions with signal-core's runBacktest (the live
 * engine's code), both result sets stored, and the stored signals each version created in those series
 * compared with its replay.
 *
 * - The `ab-replay` job (run) splits the series into shards (replay-shards.ts); each is an
 *   `ab-replay-shard` job that any worker process may take (runShard). A shard replays its series in
 *   chunks on this process's worker threads (ReplayThreads, REPLAY_THREADS): each chunk is loaded once
 *   and replayed with both versions; progress is recorded and a cancel honoured between chunks. A
 *   finished shard stores its partial result; a retried one starts again and replaces its own figures
 *   (never adds to them). The last shard to finish merges every shard's result, in shard order, into
 *   the replay's: the same whatever ran where.
 * - Fidelity: each series is replayed from where its live engine started (the stored engine state: the
 *   newest `processed` stored candles up to its last one), or else after the live warm-up's length of
 *   stored candles before `from`; only signals created on candles opening in [from, to] are counted.
 *   The stored 1m candles are given, so a candle touching both levels is decided as live decided it.
 */
@Injectable()
export class ReplayService implements OnModuleDestroy {
  private readonly logger = new Logger(ReplayService.name);
  readonly threads: ReplayThreads;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly candles: CandleStore,
    private readonly fine: FineCandleService,
    private readonly versions: ScoringVersionsService,
    private readonly engineConfig: EngineConfigService,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.threads = new ReplayThreads(config.replayThreads);
  }

  async onModuleDestroy(): Promise<void> {
    await this.threads.close();
  }

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

  /** A queued replay is cancelled at once, a running one at its next chunk of series; a finished one is deleted. */
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

  /**
   * The `ab-replay` job: starts a queued replay and records its shards; returns the shard numbers to
   * run as `ab-replay-shard` jobs (none when it was cancelled, deleted or is over). Run again on a
   * replay already running (the job retried after a crash), it returns the same shards again.
   */
  async run(id: number): Promise<number[]> {
    const started = returned<ReplayRow>(
      await this.dataSource.query(
        `UPDATE ab_replays SET status = 'running', started_at = now()
        WHERE id = $1 AND status = 'queued' AND NOT cancel_requested RETURNING ${SUMMARY}`,
        [id],
      ),
    );
    let request: ReplayRequest;
    if (started.length > 0) request = started[0].request;
    else {
      const row = await this.replayRow(id);
      if (row === null || row.status !== 'running' || row.cancel_requested) return [];
      request = row.request;
    }
    try {
      const shards = planShards(request);
      await this.dataSource.query(
        `INSERT INTO ab_replay_shards (replay_id, shard, series)
         SELECT $1, (s.value->>'shard')::int, s.value->'series' FROM jsonb_array_elements($2::jsonb) s
         ON CONFLICT (replay_id, shard) DO NOTHING`,
        [id, JSON.stringify(shards.map((series, shard) => ({ shard, series })))],
      );
      return shards.map((_, shard) => shard);
    } catch (error) {
      const message = (error as Error).message;
      this.logger.error(`replay ${id} failed: ${message}`);
      await this.finish(id, 'failed', null, message);
      return [];
    }
  }

  /**
   * The `ab-replay-shard` job: replays one shard's series and stores its result; the last shard to
   * finish merges them all. A failure is recorded on the shard and thrown (the job is retried); on the
   * `lastAttempt` it also fails the replay.
   */
  async runShard(id: number, shard: number, lastAttempt = true): Promise<void> {
    const replay = await this.replayRow(id);
    if (replay === null || replay.status !== 'running') return;
    if (replay.cancel_requested) return this.cancelled(id);
    const claimed = returned<{ series: ReplaySeries[] }>(
      await this.dataSource.query(
        `UPDATE ab_replay_shards
            SET status = 'running', series_done = 0, candles_read = 0, attempts = attempts + 1,
                error = NULL, updated_at = now()
          WHERE replay_id = $1 AND shard = $2 AND status IN ('queued', 'running') RETURNING series`,
        [id, shard],
      ),
    );
    try {
      // Already done (its job retried after the merge step failed): only the merge is left.
      if (claimed.length > 0) {
        const outcome = await this.replayShard(id, shard, replay.request, claimed[0].series);
        if (outcome === 'cancelled') {
          await this.dataSource.query(
            `UPDATE ab_replay_shards SET status = 'cancelled', updated_at = now() WHERE replay_id = $1 AND shard = $2`,
            [id, shard],
          );
          return this.cancelled(id);
        }
      }
      await this.merge(id);
    } catch (error) {
      const message = (error as Error).message;
      await this.dataSource.query(
        `UPDATE ab_replay_shards SET error = $3, updated_at = now() WHERE replay_id = $1 AND shard = $2`,
        [id, shard, message],
      );
      if (lastAttempt) {
        this.logger.error(`replay ${id} failed (shard ${shard}): ${message}`);
        await this.finish(id, 'failed', null, message);
      } else this.logger.warn(`replay ${id} shard ${shard} failed, to be retried: ${message}`);
      throw error;
    }
  }

  private async replayRow(
    id: number,
  ): Promise<{ status: ReplayStatus; request: ReplayRequest; cancel_requested: boolean } | null> {
    const rows: { status: ReplayStatus; request: ReplayRequest; cancel_requested: boolean }[] =
      await this.dataSource.query(`SELECT status, request, cancel_requested FROM ab_replays WHERE id = $1`, [
        id,
      ]);
    return rows[0] ?? null;
  }

  private async sides(request: ReplayRequest): Promise<[Side, Side]> {
    const side = async (version: number): Promise<Side> => ({
      version,
      config: this.engineConfig.configOf(await this.versions.get(version)),
    });
    return [await side(request.versionA), await side(request.versionB)];
  }

  /** Series per chunk: two per thread (so the threads share the load evenly), one in a single thread. */
  private get chunkSize(): number {
    return this.threads.threads === 1 ? 1 : 2 * this.threads.threads;
  }

  private async replayShard(
    id: number,
    shard: number,
    request: ReplayRequest,
    series: readonly ReplaySeries[],
  ): Promise<'done' | 'cancelled'> {
    const sides = await this.sides(request);
    const from = Date.parse(request.from);
    const to = Date.parse(request.to);
    const states = await this.liveEngineStates(series);
    const result: ShardResult = { a: emptyShardSide(), b: emptyShardSide() };
    let done = 0;
    let candleCount = 0;
    const chunks = chunkSeries(series, this.chunkSize);
    const load = (chunk: readonly ReplaySeries[]) => {
      const loading = this.loadChunk(chunk, from, to, states);
      loading.catch(() => undefined); // awaited below; not an unhandled rejection if the replay stops first
      return loading;
    };
    // The next chunk is read from the database while the threads replay this one.
    let next: Promise<SeriesInput[]> | null = null;
    for (let c = 0; c < chunks.length; c++) {
      const chunk = chunks[c];
      if (await this.cancelRequested(id)) return 'cancelled';
      const inputs = await (next ?? load(chunk));
      next = c + 1 < chunks.length ? load(chunks[c + 1]) : null;
      for (const input of inputs) candleCount += input.candles.length;
      const replayed = inputs.filter((input) => input.candles.length > 0);
      if (replayed.length > 0) {
        const results = await this.threads.replay(
          {
            timeframe: chunk[0].timeframe,
            candles: Object.fromEntries(replayed.map((input) => [input.series.symbol, input.candles])),
            fineCandles: Object.fromEntries(
              replayed
                .filter((input) => input.fine.length > 0)
                .map((input) => [input.series.symbol, input.fine]),
            ),
          },
          sides.map((side) => side.config),
        );
        for (const [k, key] of (['a', 'b'] as const).entries()) {
          const bySymbol = new Map<string, Signal[]>();
          for (const signal of results[k].signals)
            if (signal.candleOpenTime >= from && signal.candleOpenTime <= to) {
              const list = bySymbol.get(signal.symbol) ?? [];
              list.push(signal);
              bySymbol.set(signal.symbol, list);
            }
          const periods = new Map(
            replayed.map((input) => [input.series.symbol, input.candles.filter((c) => c.openTime >= from)]),
          );
          const stored = await this.storedSignals(sides[k].version, chunk[0].timeframe, periods);
          for (const input of replayed) {
            const signals = bySymbol.get(input.series.symbol) ?? [];
            addSeries(result[key], input.series, signals);
            const period = periods.get(input.series.symbol)!;
            if (period.length === 0) continue;
            const live = compareLive(
              stored.get(input.series.symbol) ?? [],
              signals,
              period[period.length - 1].closeTime,
            );
            result[key].stored += live.stored;
            result[key].matching += live.matching;
          }
        }
      }
      done += chunk.length;
      await this.progress(id, shard, done, candleCount);
    }
    await this.dataSource.query(
      `UPDATE ab_replay_shards SET status = 'done', result = $3, series_done = $4, candles_read = $5, updated_at = now()
        WHERE replay_id = $1 AND shard = $2 AND status = 'running'`,
      [id, shard, JSON.stringify(result), done, candleCount],
    );
    return 'done';
  }

  /**
   * A chunk's series as the replay reads them: candles (warm-up included) and the stored 1m candles over
   * them, less those of a candle the live engine decided as SL without 1m candles (`conservative`: its
   * fetch failed then; 1m candles of that span stored since, for another timeframe, do not count).
   */
  private async loadChunk(
    chunk: readonly ReplaySeries[],
    from: number,
    to: number,
    states: ReadonlyMap<string, LiveEngineState>,
  ): Promise<SeriesInput[]> {
    const inputs: SeriesInput[] = [];
    for (const s of chunk) {
      const candles = await this.seriesCandles(s, from, to, states.get(seriesKeyOf(s.symbol, s.timeframe)));
      if (candles.length === 0) {
        inputs.push({ series: s, candles, fine: [] });
        continue;
      }
      const first = candles[0].openTime;
      const last = candles[candles.length - 1].closeTime;
      const decidedWithout = (await this.conservativeCloses(s, first, last)).map((t) =>
        candleContaining(candles, t),
      );
      const fine = (await this.fine.stored(s.symbol, first, last))
        .filter(
          (m) =>
            !decidedWithout.some((c) => c !== null && m.openTime >= c.openTime && m.openTime <= c.closeTime),
        )
        .map(toCoreCandle);
      inputs.push({ series: s, candles, fine });
    }
    return inputs;
  }

  /** Close times of the series' stored signals (any version) the live engine decided as SL without 1m candles. */
  private async conservativeCloses(
    { symbol, timeframe }: ReplaySeries,
    firstOpen: number,
    lastClose: number,
  ): Promise<number[]> {
    const rows: { closed_ms: number | string }[] = await this.dataSource.query(
      `SELECT round(extract(epoch FROM closed_at) * 1000)::float8 AS closed_ms FROM signals
        WHERE symbol = $1 AND timeframe = $2 AND resolution = 'conservative'
          AND closed_at >= $3 AND closed_at <= $4`,
      [symbol, timeframe, new Date(firstOpen), new Date(lastClose)],
    );
    return rows.map((r) => Number(r.closed_ms));
  }

  /** A shard's progress, and the replay's as the sum over its shards (a retried shard replaces its own). */
  private async progress(id: number, shard: number, done: number, candleCount: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE ab_replay_shards SET series_done = $3, candles_read = $4, updated_at = now()
        WHERE replay_id = $1 AND shard = $2`,
      [id, shard, done, candleCount],
    );
    await this.dataSource.query(
      `UPDATE ab_replays SET
          series_done = (SELECT coalesce(sum(series_done), 0) FROM ab_replay_shards WHERE replay_id = $1),
          candles_read = (SELECT coalesce(sum(candles_read), 0) FROM ab_replay_shards WHERE replay_id = $1)
        WHERE id = $1`,
      [id],
    );
  }

  /** Once every shard is done: both sides over all of them, in shard order, as the replay's result. */
  private async merge(id: number): Promise<void> {
    const replay = await this.replayRow(id);
    if (replay === null || replay.status !== 'running') return;
    const shards: { status: string; result: ShardResult | string | null }[] = await this.dataSource.query(
      `SELECT status, result FROM ab_replay_shards WHERE replay_id = $1 ORDER BY shard`,
      [id],
    );
    if (shards.length === 0 || shards.some((s) => s.status !== 'done' || s.result === null)) return;
    const request = replay.request;
    const [a, b] = await this.sides(request);
    const merged = mergeShards(
      shards.map((s) => (typeof s.result === 'string' ? JSON.parse(s.result) : s.result) as ShardResult),
      { a: a.config, b: b.config },
    );
    const side = (s: Side, m: (typeof merged)['a']) =>
      replaySide(
        s.version,
        m.signals,
        m.stored === 0
          ? null
          : { stored: m.stored, matching: m.matching, reproduced: m.matching === m.stored },
        request,
      );
    const result: ReplayResult = {
      a: side(a, merged.a),
      b: side(b, merged.b),
      ...replayDifferences(merged.a.signals, merged.b.signals),
    };
    // Two shards finishing together may both merge: the same result, written once.
    await this.finish(id, 'done', result, null);
  }

  private async cancelled(id: number): Promise<void> {
    if (await this.finish(id, 'cancelled', null, null)) this.logger.log(`replay ${id} cancelled`);
  }

  private async cancelRequested(id: number): Promise<boolean> {
    const rows: { cancel_requested: boolean }[] = await this.dataSource.query(
      `SELECT cancel_requested FROM ab_replays WHERE id = $1`,
      [id],
    );
    return rows.length === 0 || rows[0].cancel_requested;
  }

  /** Ends a running replay; false when it was no longer running (already ended elsewhere). */
  private async finish(
    id: number,
    status: 'done' | 'failed' | 'cancelled',
    result: ReplayResult | null,
    error: string | null,
  ): Promise<boolean> {
    const rows = returned(
      await this.dataSource.query(
        `UPDATE ab_replays SET status = $2, result = $3, error = $4, finished_at = now()
          WHERE id = $1 AND status = 'running' RETURNING id`,
        [id, status, result === null ? null : JSON.stringify(result), error],
      ),
    );
    return rows.length > 0;
  }

  /** The stored state of each series' live engine: its last candle and how many closed candles it took. */
  private async liveEngineStates(series: readonly ReplaySeries[]): Promise<Map<string, LiveEngineState>> {
    const rows: {
      symbol: string;
      timeframe: string;
      last_candle_open_time: string | number;
      processed: string | null;
    }[] = await this.dataSource.query(
      // The snapshot's count of processed candles; its JSON key (the candles table's name) is a
      // parameter, so that the table-ownership check does not read it as that table.
      `SELECT symbol, timeframe, last_candle_open_time, state->'snapshot'->>$1 AS processed
           FROM engine_states WHERE symbol = ANY($2) AND timeframe = ANY($3)`,
      ['candles', [...new Set(series.map((s) => s.symbol))], [...new Set(series.map((s) => s.timeframe))]],
    );
    const states = new Map<string, LiveEngineState>();
    for (const row of rows) {
      const processed = Number(row.processed ?? NaN);
      if (Number.isSafeInteger(processed) && processed > 0)
        states.set(seriesKeyOf(row.symbol, row.timeframe), {
          lastOpen: Number(row.last_candle_open_time),
          processed,
        });
    }
    return states;
  }

  /**
   * The closed candles to replay a series over [from, to] as its live engine saw them: from the candle
   * the live engine started at, when its stored state says so and that is not after `from` (exactly
   * the candles it processed, then those stored since up to `to`); otherwise the live warm-up's length
   * of stored candles before `from` (what a live engine started at `from` would have warmed up on),
   * then the period's.
   */
  private async seriesCandles(
    { symbol, timeframe }: ReplaySeries,
    from: number,
    to: number,
    live: LiveEngineState | undefined,
  ): Promise<Candle[]> {
    if (live !== undefined) {
      const processed = await this.candles.before(symbol, timeframe, live.lastOpen + 1, live.processed);
      if (
        processed.length === live.processed &&
        processed[processed.length - 1].openTime === live.lastOpen &&
        processed[0].openTime <= from
      ) {
        const since =
          to > live.lastOpen ? await this.candles.between(symbol, timeframe, live.lastOpen, to + 1) : [];
        return [...processed.filter((c) => c.openTime <= to), ...since].map(toCoreCandle);
      }
    }
    const warmUp = await this.candles.before(symbol, timeframe, from, WARMUP_CANDLES);
    // Candles opening in [from, to]: `between` excludes both ends.
    const period = await this.candles.between(symbol, timeframe, from - 1, to + 1);
    return [...warmUp, ...period].map(toCoreCandle);
  }

  /**
   * The signals `version` created in the chunk's series (one timeframe), per symbol, on candles opening
   * within that series' period candles: one read for the chunk.
   */
  private async storedSignals(
    version: number,
    timeframe: string,
    periods: ReadonlyMap<string, readonly Candle[]>,
  ): Promise<Map<string, StoredReplayCandidate[]>> {
    const bySymbol = new Map<string, StoredReplayCandidate[]>();
    const spans = [...periods].filter(([, period]) => period.length > 0);
    if (spans.length === 0) return bySymbol;
    const rows: {
      id: string;
      symbol: string;
      open_ms: number | string;
      entry_price: number;
      take_profit: number;
      status: string;
      closed_ms: number | string | null;
    }[] = await this.dataSource.query(
      `SELECT id, symbol, round(extract(epoch FROM candle_open_time) * 1000)::float8 AS open_ms,
              entry_price, take_profit, status, round(extract(epoch FROM closed_at) * 1000)::float8 AS closed_ms
         FROM signals
        WHERE scoring_version = $1 AND timeframe = $2 AND symbol = ANY($3)
          AND candle_open_time >= $4 AND candle_open_time <= $5`,
      [
        version,
        timeframe,
        spans.map(([symbol]) => symbol),
        new Date(Math.min(...spans.map(([, period]) => period[0].openTime))),
        new Date(Math.max(...spans.map(([, period]) => period[period.length - 1].openTime))),
      ],
    );
    for (const r of rows) {
      const period = periods.get(r.symbol)!;
      const open = Number(r.open_ms);
      if (open < period[0].openTime || open > period[period.length - 1].openTime) continue;
      const list = bySymbol.get(r.symbol) ?? [];
      list.push({
        id: r.id,
        entryPrice: r.entry_price,
        takeProfit: r.take_profit,
        status: r.status,
        closedAt: r.closed_ms === null ? null : Number(r.closed_ms),
      });
      bySymbol.set(r.symbol, list);
    }
    return bySymbol;
  }
}
