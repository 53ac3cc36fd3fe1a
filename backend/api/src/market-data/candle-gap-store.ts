import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CandleGap as WireCandleGap } from '@scanner/contracts';
import { DataSource } from 'typeorm';
import { intervalMs } from './interval-ms';

/** A hole in one series: candles opening in [from, to) do not exist at the exchange (`to` = the first one after it). */
export interface CandleGap {
  symbol: string;
  interval: string;
  from: number;
  to: number;
}

export interface StoredCandleGap extends CandleGap {
  detectedAt: Date;
}

interface GapRow {
  symbol: string;
  interval: string;
  from_open_time: string | number;
  to_open_time: string | number;
  detected_at: Date | string;
}

/**
 * The `candle_gaps` table: holes in the exchange's candles (trading suspended: Binance generates no
 * kline then, and nothing fills the hole later), each stored once whoever detects it again.
 */
@Injectable()
export class CandleGapStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Stores the gaps not stored yet; returns how many were new. */
  async record(gaps: readonly CandleGap[]): Promise<number> {
    if (gaps.length === 0) return 0;
    const rows = (await this.db.query(
      `INSERT INTO candle_gaps (symbol, interval, from_open_time, to_open_time)
       SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::bigint[], $4::bigint[])
       ON CONFLICT (symbol, interval, from_open_time) DO NOTHING
       RETURNING 1`,
      [
        gaps.map((g) => g.symbol),
        gaps.map((g) => g.interval),
        gaps.map((g) => g.from),
        gaps.map((g) => g.to),
      ],
    )) as unknown[];
    return rows.length;
  }

  /** The newest `perSymbol` gaps of each symbol in the given intervals, newest first. */
  async forSymbols(
    symbols: readonly string[],
    intervals: readonly string[],
    perSymbol: number,
  ): Promise<Map<string, StoredCandleGap[]>> {
    const result = new Map<string, StoredCandleGap[]>();
    if (symbols.length === 0 || intervals.length === 0) return result;
    const rows = (await this.db.query(
      `SELECT symbol, interval, from_open_time, to_open_time, detected_at FROM (
         SELECT g.*, row_number() OVER (PARTITION BY symbol ORDER BY from_open_time DESC, interval) AS n
           FROM candle_gaps g WHERE symbol = ANY($1::varchar[]) AND interval = ANY($2::varchar[])
       ) ranked WHERE n <= $3 ORDER BY symbol, from_open_time DESC, interval`,
      [symbols, intervals, perSymbol],
    )) as GapRow[];
    for (const row of rows) {
      const list = result.get(row.symbol) ?? [];
      list.push({
        symbol: row.symbol,
        interval: row.interval,
        from: Number(row.from_open_time),
        to: Number(row.to_open_time),
        detectedAt: new Date(row.detected_at),
      });
      result.set(row.symbol, list);
    }
    return result;
  }

  /** Every gap of one series, oldest first. */
  async forSeries(symbol: string, interval: string): Promise<CandleGap[]> {
    const rows = (await this.db.query(
      `SELECT symbol, interval, from_open_time, to_open_time, detected_at FROM candle_gaps
        WHERE symbol = $1 AND interval = $2 ORDER BY from_open_time`,
      [symbol, interval],
    )) as GapRow[];
    return rows.map((row) => ({
      symbol: row.symbol,
      interval: row.interval,
      from: Number(row.from_open_time),
      to: Number(row.to_open_time),
    }));
  }
}

/** A stored gap as `GET /api/market/symbols` sends it. */
export function toWireGap(gap: StoredCandleGap): WireCandleGap {
  return {
    interval: gap.interval,
    from: new Date(gap.from).toISOString(),
    to: new Date(gap.to).toISOString(),
    missingCandles: Math.round((gap.to - gap.from) / intervalMs(gap.interval)),
    detectedAt: gap.detectedAt.toISOString(),
  };
}
