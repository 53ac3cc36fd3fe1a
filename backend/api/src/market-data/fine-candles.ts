import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BinanceClient } from './binance-client';
import { MarketCandle } from './market-candle';
import { MarketDataError } from './market-data.errors';

const MINUTE = 60_000;
/** Binance's largest klines page. */
const PAGE = 1000;
/** The longest span asked for at once (a 1w candle: 10 080 minutes). */
const MAX_SPAN_MINUTES = 7 * 24 * 60;

/** The time span of one closed candle of a symbol (open time to close time, inclusive). */
export interface FineCandleSpan {
  symbol: string;
  openTime: number;
  closeTime: number;
}

interface FineRow {
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
 * The `fine_candles` table: 1m candles inside candles that touched both a signal's stop and its target
 * (issue 14 §8), fetched once from the exchange (GET /api/v3/klines interval=1m, through the shared
 * request-weight budget) and kept, so the reconciliation replays with exactly the rows the live engine
 * decided from. Only spans of CLOSED candles are asked for: their 1m children are final.
 */
@Injectable()
export class FineCandleService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly client: BinanceClient,
  ) {}

  /**
   * The 1m candles inside `span` (a closed candle), oldest first: the stored ones when every minute is
   * there, else the exchange's (stored, merged with what was stored). An empty answer is possible (the
   * exchange has no 1m data there). Throws when the exchange cannot be asked (the caller falls back).
   */
  async forClosedSpan(span: FineCandleSpan): Promise<MarketCandle[]> {
    const minutes = (span.closeTime + 1 - span.openTime) / MINUTE;
    if (
      !Number.isInteger(minutes) ||
      minutes < 1 ||
      minutes > MAX_SPAN_MINUTES ||
      span.openTime % MINUTE !== 0
    ) {
      throw new MarketDataError(
        `fine candles of ${span.symbol}: span ${span.openTime}..${span.closeTime} is not a whole number of minutes (1..${MAX_SPAN_MINUTES}) starting on a minute`,
      );
    }
    const stored = await this.stored(span.symbol, span.openTime, span.closeTime);
    if (stored.length === minutes) return stored;
    const fetched: MarketCandle[] = [];
    for (let start = span.openTime; start <= span.closeTime;) {
      const page = await this.client.klines(
        span.symbol,
        '1m',
        { startTime: start, endTime: span.closeTime, limit: PAGE },
        null,
        'allow',
      );
      for (const candle of page) {
        if (candle.openTime >= span.openTime && candle.closeTime <= span.closeTime) fetched.push(candle);
      }
      const last = page.at(-1);
      if (page.length < PAGE || last === undefined) break;
      start = last.openTime + MINUTE;
    }
    await this.insert(span.symbol, fetched);
    const byOpen = new Map<number, MarketCandle>();
    for (const candle of stored) byOpen.set(candle.openTime, candle);
    for (const candle of fetched) if (!byOpen.has(candle.openTime)) byOpen.set(candle.openTime, candle);
    return [...byOpen.values()].sort((a, b) => a.openTime - b.openTime);
  }

  /** Stored 1m candles of `symbol` opening in [fromOpenTime, toOpenTime], oldest first. */
  async stored(symbol: string, fromOpenTime: number, toOpenTime: number): Promise<MarketCandle[]> {
    const rows = (await this.db.query(
      `SELECT open_time, close_time, open, high, low, close, volume, quote_volume FROM fine_candles
        WHERE symbol = $1 AND open_time >= $2::bigint AND open_time <= $3::bigint
        ORDER BY open_time`,
      [symbol, fromOpenTime, toOpenTime],
    )) as FineRow[];
    return rows.map(toCandle);
  }

  /** Stores 1m candles of `symbol` (each open time once; a stored row is never changed). */
  private async insert(symbol: string, candles: readonly MarketCandle[]): Promise<void> {
    if (candles.length === 0) return;
    await this.db.query(
      `INSERT INTO fine_candles (symbol, open_time, close_time, open, high, low, close, volume, quote_volume)
       SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::float8[], $5::float8[], $6::float8[],
                                $7::float8[], $8::float8[], $9::float8[])
       ON CONFLICT (symbol, open_time) DO NOTHING`,
      [
        symbol,
        candles.map((c) => c.openTime),
        candles.map((c) => c.closeTime),
        candles.map((c) => c.open),
        candles.map((c) => c.high),
        candles.map((c) => c.low),
        candles.map((c) => c.close),
        candles.map((c) => c.volume),
        candles.map((c) => c.quoteVolume),
      ],
    );
  }
}

function toCandle(row: FineRow): MarketCandle {
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
