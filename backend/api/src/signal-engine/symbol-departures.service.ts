import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { SignalEvent } from '@scanner/contracts';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config';
import { ExchangeClock, type SeriesSyncResult, UniverseService } from '../market-data';
import { SignalScannerService } from './signal-scanner.service';

/** What a cancellation pass did. */
export interface DepartureOutcome {
  events: SignalEvent[];
  /** Series whose cancellation failed, with why (retried on the next pass). */
  failures: Array<{ symbol: string; interval: string; error: string }>;
}

/**
 * Symbols that leave the market (Binance: -1121 for klines, a status other than TRADING in exchangeInfo,
 * or out of the universe for longer than SCAN_UNIVERSE_GRACE_MINUTES) can never close their ACTIVE
 * signals by price: they close as CANCELLED, at the last traded price, with the reason, through the
 * engine (events, live feed, notifications and statistics as for any close).
 */
@Injectable()
export class SymbolDeparturesService {
  private readonly logger = new Logger(SymbolDeparturesService.name);

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly universe: UniverseService,
    private readonly scanner: SignalScannerService,
    private readonly clock: ExchangeClock,
  ) {}

  /** Series of a sync the exchange answered -1121 for: their symbol is gone, their signals are cancelled now. */
  async cancelUnknown(results: readonly SeriesSyncResult[]): Promise<DepartureOutcome> {
    const unknown = results.filter((result) => result.unknownSymbol === true);
    const outcome: DepartureOutcome = { events: [], failures: [] };
    for (const symbol of new Set(unknown.map((result) => result.symbol))) {
      await this.universe.markUnknown(symbol).catch((error: unknown) => {
        this.logger.warn(`could not take ${symbol} out of the universe: ${(error as Error).message}`);
      });
    }
    for (const result of unknown) {
      const reason = `${result.symbol}: the exchange no longer knows the symbol (-1121 Invalid symbol: delisted or halted)`;
      await this.cancel(result.symbol, result.interval, reason, outcome);
    }
    return outcome;
  }

  /** ACTIVE signals of symbols that are not TRADING or out of the universe past the grace: cancelled. */
  async cancelDeparted(): Promise<DepartureOutcome> {
    const outcome: DepartureOutcome = { events: [], failures: [] };
    const active = await this.activeSeries();
    if (active.length === 0) return outcome;
    const departures = await this.universe.departures(
      [...new Set(active.map((series) => series.symbol))],
      this.config.scanUniverseGraceMinutes * 60_000,
    );
    for (const { symbol, reason } of departures) {
      for (const series of active.filter((candidate) => candidate.symbol === symbol)) {
        await this.cancel(symbol, series.timeframe, reason, outcome);
      }
    }
    return outcome;
  }

  private async cancel(
    symbol: string,
    timeframe: string,
    reason: string,
    outcome: DepartureOutcome,
  ): Promise<void> {
    try {
      const result = await this.scanner.cancelActive(symbol, timeframe, reason, this.clock.now());
      outcome.events.push(...result.events);
    } catch (error) {
      const message = `cancelling the signal failed: ${(error as Error).message}`;
      outcome.failures.push({ symbol, interval: timeframe, error: message });
      this.logger.error({ msg: message, symbol, timeframe, reason });
    }
  }

  private async activeSeries(): Promise<Array<{ symbol: string; timeframe: string }>> {
    return this.dataSource.query(
      `SELECT symbol, timeframe FROM signals WHERE status = 'ACTIVE' ORDER BY symbol, timeframe`,
    );
  }
}
