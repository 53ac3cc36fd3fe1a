import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BinanceInterval } from '../config';
import { CandleSyncService, intervalMs } from '../market-data';
import { EngineConfigService } from './engine-config.service';
import { SignalScannerService } from './signal-scanner.service';
import { SymbolDeparturesService } from './symbol-departures.service';

export interface ExpirySweep {
  overdue: number;
  caughtUp: number;
  failed: number;
  /** Signals closed as CANCELLED because their symbol left (halted, delisted, out of the universe past the grace). */
  cancelled: number;
}

/**
 * Expiry is decided by the engine when a signal's Nth candle arrives, so a series that stopped being
 * scanned (its symbol left the universe, its timeframe left SCAN_TIMEFRAMES) would keep a signal open
 * forever. This finds ACTIVE signals past their expiry (plus one candle of grace) whose series lags the
 * others, and catches it up through the same path as a scan: the engine then closes them by candle, at
 * market time. A symbol the exchange no longer knows (-1121) cannot catch up: its signal is cancelled.
 */
@Injectable()
export class OverdueSignalsService {
  private readonly logger = new Logger(OverdueSignalsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly engineConfig: EngineConfigService,
    private readonly candles: CandleSyncService,
    private readonly scanner: SignalScannerService,
    private readonly departures: SymbolDeparturesService,
  ) {}

  /**
   * Judged on the market's own clock (the newest candle any engine of the timeframe has processed), so a
   * replay or backtest-time data is not "overdue" against the wall clock, and a series that keeps up
   * with the others costs nothing here.
   */
  async sweep(): Promise<ExpirySweep> {
    // Departed symbols first (also in stream mode, where no polling scan plans and would do it).
    let cancelled = 0;
    try {
      cancelled = (await this.departures.cancelDeparted()).events.length;
    } catch (error) {
      this.logger.warn({
        msg: 'could not cancel the signals of departed symbols',
        error: (error as Error).message,
      });
    }
    const { expiryCandles } = await this.engineConfig.get();
    const active: Array<{
      symbol: string;
      timeframe: string;
      created_at: Date;
      processed: string | null;
      market_now: string | null;
    }> = await this.dataSource.query(
      `SELECT s.symbol, s.timeframe, s.created_at, e.last_candle_open_time AS processed, m.market_now
           FROM signals s
           LEFT JOIN engine_states e ON e.symbol = s.symbol AND e.timeframe = s.timeframe
           LEFT JOIN (SELECT timeframe, max(last_candle_open_time) AS market_now FROM engine_states GROUP BY timeframe) m
             ON m.timeframe = s.timeframe
          WHERE s.status = 'ACTIVE'`,
    );
    const overdue = active.filter((row) => {
      if (row.market_now === null) return false;
      const step = intervalMs(row.timeframe);
      const marketNow = Number(row.market_now);
      const lagging = Number(row.processed ?? 0) < marketNow - step;
      return lagging && row.created_at.getTime() + (expiryCandles + 1) * step < marketNow;
    });
    let caughtUp = 0;
    let failed = 0;
    for (const { symbol, timeframe } of overdue) {
      try {
        const [result] = await this.candles.sync([symbol], [timeframe as BinanceInterval]);
        if (result.unknownSymbol === true) {
          // -1121: the symbol is gone and will not trade again here; its signal closes as CANCELLED.
          const cancelled = await this.departures.cancelUnknown([result]);
          if (cancelled.failures.length > 0) throw new Error(cancelled.failures[0].error);
          caughtUp++;
          continue;
        }
        if (result.error !== undefined && result.newClosed.length === 0) throw new Error(result.error);
        await this.scanner.processSymbol(symbol, timeframe, result);
        caughtUp++;
      } catch (error) {
        failed++;
        this.logger.warn({
          msg: 'could not catch up an overdue signal',
          symbol,
          timeframe,
          error: (error as Error).message,
        });
      }
    }
    return { overdue: overdue.length, caughtUp, failed, cancelled };
  }
}
