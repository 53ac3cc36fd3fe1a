import { Injectable } from '@nestjs/common';

/** The last sync outcome of one symbol + interval in this process. */
export interface SeriesStatus {
  symbol: string;
  interval: string;
  syncedAt: number;
  /** Open time of the candle still open at the exchange (null when none came back). */
  openCandleTime: number | null;
  error: string | null;
}

/** What the latest scans found per series: errors, gaps and stale series stay visible until fixed. */
@Injectable()
export class SeriesStatusRegistry {
  private readonly statuses = new Map<string, SeriesStatus>();

  record(status: SeriesStatus): void {
    this.statuses.set(`${status.symbol}|${status.interval}`, status);
  }

  get(symbol: string, interval: string): SeriesStatus | undefined {
    return this.statuses.get(`${symbol}|${interval}`);
  }

  failing(): SeriesStatus[] {
    return [...this.statuses.values()].filter((status) => status.error !== null);
  }

  size(): number {
    return this.statuses.size;
  }
}
