import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { AppConfig } from '../config';
import { BinanceClient } from './binance-client';
import { ExchangeInfo } from './binance.types';
import { ExchangeClock } from './exchange-clock';
import { MarketSymbolEntity } from './market-symbol.entity';
import { selectUniverse, UniverseMember } from './universe-filter';

export interface UniverseRefreshResult {
  symbols: string[];
  added: string[];
  removed: string[];
}

/** A symbol whose signals cannot go on: why, in words for the signal's close reason. */
export interface SymbolDeparture {
  symbol: string;
  reason: string;
}

/** Status written for a symbol exchangeInfo no longer lists. */
export const NOT_LISTED = 'NOT_LISTED';

/** Picks the symbols to scan (refresh-universe, weight 20 + 80) and keeps them in `market_symbols`. */
@Injectable()
export class UniverseService {
  private readonly logger = new Logger(UniverseService.name);

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly client: BinanceClient,
    @InjectRepository(MarketSymbolEntity) private readonly repository: Repository<MarketSymbolEntity>,
    private readonly clock: ExchangeClock,
  ) {}

  /** The universe, best ranked first. */
  async symbols(): Promise<string[]> {
    return (await this.members()).map((member) => member.symbol);
  }

  async members(): Promise<MarketSymbolEntity[]> {
    return this.repository.find({ where: { inUniverse: true }, order: { universeRank: 'ASC' } });
  }

  async isEmpty(): Promise<boolean> {
    return (await this.repository.count({ where: { inUniverse: true } })) === 0;
  }

  async refresh(): Promise<UniverseRefreshResult> {
    const [info, tickers] = await Promise.all([
      this.client.exchangeInfo(),
      this.client.ticker24hr(),
      this.clock.refresh(),
    ]);
    if (!info.symbols.some((symbol) => symbol.status === 'TRADING')) {
      // A whole-exchange halt (every pair in BREAK): nothing left the market, so nothing leaves the universe.
      const kept = await this.symbols();
      this.logger.warn(
        `universe kept (${kept.length} symbols): exchangeInfo lists no symbol as TRADING (exchange halted)`,
      );
      return { symbols: kept, added: [], removed: [] };
    }
    const picked = selectUniverse(info.symbols, tickers, {
      topN: this.config.scanTopN,
      allow: this.config.scanSymbolsAllow,
      deny: this.config.scanSymbolsDeny,
    });
    const previous = new Set(await this.symbols());
    await this.save(picked, info);
    const symbols = picked.map((member) => member.info.symbol);
    const added = symbols.filter((symbol) => !previous.has(symbol));
    const removed = [...previous].filter((symbol) => !symbols.includes(symbol));
    this.logger.log(`universe: ${symbols.length} symbols (${added.length} added, ${removed.length} removed)`);
    if (
      this.config.scanSymbolsAllow.length > 0 &&
      symbols.length < Math.min(this.config.scanTopN, this.config.scanSymbolsAllow.length)
    ) {
      this.logger.warn(
        `SCAN_SYMBOLS_ALLOW: only ${symbols.join(',') || 'none'} are TRADING USDT pairs on the exchange`,
      );
    }
    return { symbols, added, removed };
  }

  /**
   * Of `symbols`, those whose signals must be cancelled: not TRADING on the exchange (halted, in BREAK,
   * no longer listed), or out of the universe for longer than `graceMs` of exchange time.
   */
  async departures(symbols: readonly string[], graceMs: number): Promise<SymbolDeparture[]> {
    if (symbols.length === 0) return [];
    const rows = await this.repository.find({ where: { symbol: In([...symbols]) } });
    const now = this.clock.now();
    const departures: SymbolDeparture[] = [];
    for (const row of rows) {
      if (row.status !== 'TRADING') {
        departures.push({
          symbol: row.symbol,
          reason:
            row.status === NOT_LISTED
              ? `${row.symbol} is no longer listed by the exchange (delisted)`
              : `${row.symbol} is ${row.status} on the exchange, not TRADING`,
        });
      } else if (
        !row.inUniverse &&
        row.leftUniverseAt !== null &&
        now - row.leftUniverseAt.getTime() > graceMs
      ) {
        departures.push({
          symbol: row.symbol,
          reason: `${row.symbol} left the scan universe at ${row.leftUniverseAt.toISOString()} and has not come back within ${Math.round(graceMs / 60_000)} minutes`,
        });
      }
    }
    return departures;
  }

  /**
   * The exchange answered -1121 for the symbol: it is out of the universe (no more requests for it)
   * until a refresh finds it TRADING again.
   */
  async markUnknown(symbol: string): Promise<void> {
    await this.repository.manager.query(
      `UPDATE market_symbols SET status = $2, in_universe = false, universe_rank = NULL,
              left_universe_at = COALESCE(left_universe_at, $3)
        WHERE symbol = $1`,
      [symbol, NOT_LISTED, new Date(this.clock.now())],
    );
  }

  private async save(picked: UniverseMember[], exchange: ExchangeInfo): Promise<void> {
    const now = new Date();
    const exchangeNow = new Date(this.clock.now());
    const listed = exchange.symbols.map((symbol) => symbol.symbol);
    await this.repository.manager.transaction(async (manager) => {
      // Statuses of every symbol known here, members or not, so a halted or delisted one is seen as such.
      await manager.query(
        `UPDATE market_symbols m SET status = data.status FROM unnest($1::varchar[], $2::varchar[]) AS data(symbol, status)
          WHERE m.symbol = data.symbol AND m.status <> data.status`,
        [listed, exchange.symbols.map((symbol) => symbol.status)],
      );
      await manager.query(
        `UPDATE market_symbols SET status = $2 WHERE symbol <> ALL($1::varchar[]) AND status <> $2`,
        [listed, NOT_LISTED],
      );
      const pickedSymbols = picked.map((member) => member.info.symbol);
      await manager.query(
        `UPDATE market_symbols SET in_universe = false, universe_rank = NULL, left_universe_at = $2
          WHERE in_universe AND symbol <> ALL($1::varchar[])`,
        [pickedSymbols, exchangeNow],
      );
      if (picked.length === 0) return;
      await manager.upsert(
        MarketSymbolEntity,
        picked.map(({ rank, info, ticker }) => ({
          symbol: info.symbol,
          baseAsset: info.baseAsset,
          quoteAsset: info.quoteAsset,
          status: info.status,
          tickSize: info.tickSize,
          inUniverse: true,
          universeRank: rank,
          quoteVolume: ticker.quoteVolume,
          lastPrice: ticker.lastPrice,
          priceChangePercent: ticker.priceChangePercent,
          highPrice: ticker.highPrice,
          lowPrice: ticker.lowPrice,
          volume: ticker.volume,
          updatedAt: now,
          leftUniverseAt: null,
        })),
        ['symbol'],
      );
    });
  }
}
