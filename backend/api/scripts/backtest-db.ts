/**
 * Stored candles for `npm run backtest -- --db <url>`: what the scanner collected, read through
 * market-data's CandleStore (the owner of the `candles` table) on a connection that Postgres itself
 * keeps read-only (default_transaction_read_only), so a backtest can never change the data.
 */
import 'reflect-metadata';
import type { Candle } from '@scanner/signal-core';
import { DataSource } from 'typeorm';
import { CandleStore } from '../src/market-data/candle-store';
import { redact } from './backtest-args';

export class StoredCandles {
  private constructor(
    private readonly db: DataSource,
    private readonly store: CandleStore,
  ) {}

  /** Connects read-only; the error names the URL (without its password) when it cannot. */
  static async open(url: string): Promise<StoredCandles> {
    const db = new DataSource({
      type: 'postgres',
      url,
      extra: { options: '-c default_transaction_read_only=on', connectionTimeoutMillis: 10_000, max: 2 },
    });
    try {
      await db.initialize();
    } catch (error) {
      throw new Error(`--db: cannot connect to ${redact(url)}: ${(error as Error).message}`);
    }
    return new StoredCandles(db, new CandleStore(db));
  }

  /** Symbols with stored candles of `interval`, sorted. */
  async symbols(interval: string): Promise<string[]> {
    const rows = (await this.db.query(
      'SELECT DISTINCT symbol FROM candles WHERE interval = $1 ORDER BY symbol',
      [interval],
    )) as { symbol: string }[];
    return rows.map((r) => r.symbol);
  }

  /** Stored candles of one series opening in [from, to) (either end open when null), oldest first. */
  async candles(symbol: string, interval: string, from: number | null, to: number | null): Promise<Candle[]> {
    return this.store.between(
      symbol,
      interval,
      from === null ? Number.MIN_SAFE_INTEGER : from - 1,
      to === null ? Number.MAX_SAFE_INTEGER : to,
    );
  }

  /** Whether Postgres holds this connection read-only (every statement of the backtest runs on it). */
  async readOnly(): Promise<boolean> {
    const [row] = (await this.db.query('SHOW default_transaction_read_only')) as {
      default_transaction_read_only: string;
    }[];
    return row.default_transaction_read_only === 'on';
  }

  close(): Promise<void> {
    return this.db.destroy();
  }
}
