import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BinanceInterval } from '../config/app-config';
import { CandleSyncService } from '../market-data/candle-sync.service';
import { intervalMs } from '../market-data/interval-ms';
import { EngineConfigService } from '../signal-engine/engine-config.service';
import { SignalScannerService } from '../signal-engine/signal-scanner.service';

export interface ExpirySweep {
  overdue: number;
  caughtUp: number;
  failed: number;
}

/**
 * Expiry is decided by the engine when a signal's Nth candle arrives, so a series that stopped being
 * scanned (its symbol left the universe, its timeframe left SCAN_TIMEFRAMES) would keep a signal open
 * forever. This finds ACTIVE signals past their expiry (plus one candle of grace) and catches their
 * series up through the same path as a scan: the engine then closes them by candle, at market time.
 */
@Injectable()
export class OverdueSignalsService {
  private readonly logger = new Logger(OverdueSignalsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly engineConfig: EngineConfigService,
    private readonly candles: CandleSyncService,
    private readonly scanner: SignalScannerService,
  ) {}

  async sweep(now: Date): Promise<ExpirySweep> {
    const { expiryCandles } = await this.engineConfig.get();
    const active: Array<{ symbol: string; timeframe: string; created_at: Date }> = await this.dataSource.query(
      `SELECT symbol, timeframe, created_at FROM signals WHERE status = 'ACTIVE'`,
    );
    const overdue = active.filter((row) => {
      const step = intervalMs(row.timeframe as BinanceInterval);
      return row.created_at.getTime() + (expiryCandles + 1) * step < now.getTime();
    });
    let caughtUp = 0;
    let failed = 0;
    for (const { symbol, timeframe } of overdue) {
      try {
        const [result] = await this.candles.sync([symbol], [timeframe as BinanceInterval]);
        if (result.error !== undefined && result.newClosed.length === 0) throw new Error(result.error);
        await this.scanner.processSymbol(symbol, timeframe, result);
        caughtUp++;
      } catch (error) {
        failed++;
        this.logger.warn({ msg: 'could not catch up an overdue signal', symbol, timeframe, error: (error as Error).message });
      }
    }
    return { overdue: overdue.length, caughtUp, failed };
  }
}
