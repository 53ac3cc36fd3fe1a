import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MarketCandle } from './market-candle';

/** Closed candles to store for one symbol + interval. */
export interface CandleSeriesBatch {
  symbol: string;
  interval: string;
  candles: readonly MarketCandle[];
}

export interface StoredSeriesInfo {
  symbol: string;
  interval: string;
  lastOpenTime: number;
  lastCloseTime: number;
  count: number;
}

const ROWS_PER_INSERT = 5_000;

interface CandleRow {
  open_time: string | number;
  close_time: string | number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  quote_volume: number;
}

/**
 * The `candles` table: closed candles only, each (symbol, interval, open time) stored once
 * (INSERT … ON CONFLICT DO NOTHING). Inserts take whole arrays (unnest), so a scan costs a handful
 * of statements whatever the number of series.
 */
@Injectable()
export class CandleStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Open time of the newest stored candle of every symbol × interval asked for, in one query. */
  async lastOpenTimes(
    symbols: readonly string[],
    intervals: readonly string[],
  ): Promise<Map<string, number>> {
    if (symbols.length === 0 || intervals.length === 0) return new Map();
    const rows = (await this.db.query(
      `SELECT s.symbol, i.interval,
              (SELECT c.open_time FROM candles c WHERE c.symbol = s.symbol AND c.interval = i.interval
                ORDER BY c.open_time DESC LIMIT 1) AS last_open_time
         FROM unnest($1::varchar[]) AS s(symbol) CROSS JOIN unnest($2::varchar[]) AS i(interval)`,
      [symbols, intervals],
    )) as { symbol: string; interval: string; last_open_time: string | number | null }[];
    const result = new Map<string, number>();
    for (const row of rows) {
      if (row.last_open_time !== null)
        result.set(seriesKey(row.symbol, row.interval), Number(row.last_open_time));
    }
    return result;
  }

  /** Stores closed candles; returns how many were new (duplicates are ignored, never updated). */
  async insert(batches: readonly CandleSeriesBatch[]): Promise<number> {
    const rows = batches.flatMap((batch) =>
      batch.candles.map((candle) => ({ symbol: batch.symbol, interval: batch.interval, candle })),
    );
    let inserted = 0;
    for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
      const chunk = rows.slice(start, start + ROWS_PER_INSERT);
      const result = (await this.db.query(
        `INSERT INTO candles (symbol, interval, open_time, open, high, low, close, volume, quote_volume, close_time)
         SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::bigint[], $4::float8[], $5::float8[], $6::float8[],
                              $7::float8[], $8::float8[], $9::float8[], $10::bigint[])
         ON CONFLICT (symbol, interval, open_time) DO NOTHING
         RETURNING 1`,
        [
          chunk.map((row) => row.symbol),
          chunk.map((row) => row.interval),
          chunk.map((row) => row.candle.openTime),
          chunk.map((row) => row.candle.open),
          chunk.map((row) => row.candle.high),
          chunk.map((row) => row.candle.low),
          chunk.map((row) => row.candle.close),
          chunk.map((row) => row.candle.volume),
          chunk.map((row) => row.candle.quoteVolume),
          chunk.map((row) => row.candle.closeTime),
        ],
      )) as unknown[];
      inserted += result.length;
    }
    return inserted;
  }

  /** The newest `limit` stored candles, oldest first. */
  async recent(symbol: string, interval: string, limit: number): Promise<MarketCandle[]> {
    const rows = (await this.db.query(
      `SELECT open_time, close_time, open, high, low, close, volume, quote_volume FROM (
         SELECT * FROM candles WHERE symbol = $1 AND interval = $2 ORDER BY open_time DESC LIMIT $3
       ) newest ORDER BY open_time`,
      [symbol, interval, limit],
    )) as CandleRow[];
    return rows.map(toCandle);
  }

  /** Stored candles opening strictly between the two open times, oldest first (what an engine missed). */
  async between(
    symbol: string,
    interval: string,
    afterOpenTime: number,
    beforeOpenTime: number,
  ): Promise<MarketCandle[]> {
    const rows = (await this.db.query(
      `SELECT open_time, close_time, open, high, low, close, volume, quote_volume FROM candles
        WHERE symbol = $1 AND interval = $2 AND open_time > $3::bigint AND open_time < $4::bigint
        ORDER BY open_time`,
      [symbol, interval, afterOpenTime, beforeOpenTime],
    )) as CandleRow[];
    return rows.map(toCandle);
  }

  /** The newest `limit` stored candles opening before `beforeOpenTime` (any when null), oldest first (an engine's warm-up). */
  async before(
    symbol: string,
    interval: string,
    beforeOpenTime: number | null,
    limit: number,
  ): Promise<MarketCandle[]> {
    const rows = (await this.db.query(
      `SELECT open_time, close_time, open, high, low, close, volume, quote_volume FROM candles
        WHERE symbol = $1 AND interval = $2 AND ($3::bigint IS NULL OR open_time < $3::bigint)
        ORDER BY open_time DESC LIMIT $4`,
      [symbol, interval, beforeOpenTime, limit],
    )) as CandleRow[];
    return rows.reverse().map(toCandle);
  }

  /** Newest stored candle and count per symbol × interval, for freshness reports. */
  async seriesInfo(symbols: readonly string[]): Promise<StoredSeriesInfo[]> {
    if (symbols.length === 0) return [];
    const rows = (await this.db.query(
      `SELECT symbol, interval, max(open_time) AS last_open_time, max(close_time) AS last_close_time, count(*)::int AS count
         FROM candles WHERE symbol = ANY($1::varchar[]) GROUP BY symbol, interval`,
      [symbols],
    )) as {
      symbol: string;
      interval: string;
      last_open_time: string;
      last_close_time: string;
      count: number;
    }[];
    return rows.map((row) => ({
      symbol: row.symbol,
      interval: row.interval,
      lastOpenTime: Number(row.last_open_time),
      lastCloseTime: Number(row.last_close_time),
      count: Number(row.count),
    }));
  }
}

export function seriesKey(symbol: string, interval: string): string {
  return `${symbol}|${interval}`;
}

function toCandle(row: CandleRow): MarketCandle {
  return {
    openTime: Number(row.open_time),
    closeTime: Number(row.close_time),
    open: row.open,
    high: row.high,
    low: row.low,
    close: row.close,
    volume: row.volume,
    quoteVolume: row.quote_volume,
  };
}
