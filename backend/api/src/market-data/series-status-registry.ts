import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { seriesKey } from './candle-store';

/** The last sync outcome of one symbol + interval. */
export interface SeriesStatus {
  symbol: string;
  interval: string;
  syncedAt: number;
  /** Open time of the candle still open at the exchange (null when none came back). */
  openCandleTime: number | null;
  error: string | null;
}

/** The series of the current universe whose last sync failed: how many, and the most recent one. */
export interface FailingSeries {
  count: number;
  latest: SeriesStatus | null;
}

interface SeriesStatusRow {
  symbol: string;
  interval: string;
  synced_at: string | number;
  open_candle_time: string | number | null;
  error: string | null;
}

/**
 * What the latest scans found per series (errors, gaps, stale series), in the `series_status` table so
 * that every process, including an `api` process that syncs nothing, reports the same. A sync writes
 * all its series in one statement; a row stays failing until a later sync of that series succeeds.
 */
@Injectable()
export class SeriesStatusRegistry {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Upserts the outcome of every series of one sync; a row already holding a later sync is kept. */
  async recordAll(statuses: readonly SeriesStatus[]): Promise<void> {
    // One row per series (the last wins), in key order so concurrent syncs lock rows in the same order.
    const rows = [
      ...new Map(statuses.map((status) => [seriesKey(status.symbol, status.interval), status])).entries(),
    ]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, status]) => status);
    if (rows.length === 0) return;
    await this.db.query(
      `INSERT INTO series_status (symbol, interval, synced_at, open_candle_time, error)
       SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::bigint[], $4::bigint[], $5::text[])
       ON CONFLICT (symbol, interval) DO UPDATE
         SET synced_at = EXCLUDED.synced_at, open_candle_time = EXCLUDED.open_candle_time, error = EXCLUDED.error
         WHERE series_status.synced_at <= EXCLUDED.synced_at`,
      [
        rows.map((row) => row.symbol),
        rows.map((row) => row.interval),
        rows.map((row) => row.syncedAt),
        rows.map((row) => row.openCandleTime),
        rows.map((row) => row.error),
      ],
    );
  }

  /** The recorded status of these symbols' series, by `seriesKey`. */
  async forSymbols(symbols: readonly string[]): Promise<Map<string, SeriesStatus>> {
    if (symbols.length === 0) return new Map();
    const rows = (await this.db.query(
      `SELECT symbol, interval, synced_at, open_candle_time, error FROM series_status WHERE symbol = ANY($1::varchar[])`,
      [symbols],
    )) as SeriesStatusRow[];
    return new Map(rows.map((row) => [seriesKey(row.symbol, row.interval), toStatus(row)]));
  }

  /**
   * Failing series among the universe's symbols and the scanned intervals: a series that left the
   * universe (or an interval no longer scanned) keeps its row but is no longer a current problem.
   */
  async failing(intervals: readonly string[]): Promise<FailingSeries> {
    const rows = (await this.db.query(
      `SELECT s.symbol, s.interval, s.synced_at, s.open_candle_time, s.error, count(*) OVER ()::int AS total
         FROM series_status s JOIN market_symbols m ON m.symbol = s.symbol AND m.in_universe
        WHERE s.error IS NOT NULL AND s.interval = ANY($1::varchar[])
        ORDER BY s.synced_at DESC, s.symbol, s.interval
        LIMIT 1`,
      [intervals],
    )) as (SeriesStatusRow & { total: number })[];
    return rows.length === 0
      ? { count: 0, latest: null }
      : { count: Number(rows[0].total), latest: toStatus(rows[0]) };
  }
}

function toStatus(row: SeriesStatusRow): SeriesStatus {
  return {
    symbol: row.symbol,
    interval: row.interval,
    syncedAt: Number(row.synced_at),
    openCandleTime: row.open_candle_time === null ? null : Number(row.open_candle_time),
    error: row.error,
  };
}
