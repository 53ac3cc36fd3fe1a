import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { BinanceClient } from './binance-client';
import { MarketSymbolEntity } from './market-symbol.entity';
import { selectUniverse, UniverseMember } from './universe-filter';

export interface UniverseRefreshResult {
  symbols: string[];
  added: string[];
  removed: string[];
}

/** Picks the symbols to scan (refresh-universe, weight 20 + 80) and keeps them in `market_symbols`. */
@Injectable()
export class UniverseService {
  private readonly logger = new Logger(UniverseService.name);

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly client: BinanceClient,
    @InjectRepository(MarketSymbolEntity) private readonly repository: Repository<MarketSymbolEntity>,
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
    const [info, tickers] = await Promise.all([this.client.exchangeInfo(), this.client.ticker24hr()]);
    const picked = selectUniverse(info.symbols, tickers, {
      topN: this.config.scanTopN,
      allow: this.config.scanSymbolsAllow,
      deny: this.config.scanSymbolsDeny,
    });
    const previous = new Set(await this.symbols());
    await this.save(picked);
    const symbols = picked.map((member) => member.info.symbol);
    const added = symbols.filter((symbol) => !previous.has(symbol));
    const removed = [...previous].filter((symbol) => !symbols.includes(symbol));
    this.logger.log(`universe: ${symbols.length} symbols (${added.length} added, ${removed.length} removed)`);
    if (this.config.scanSymbolsAllow.length > 0 && symbols.length < Math.min(this.config.scanTopN, this.config.scanSymbolsAllow.length)) {
      this.logger.warn(`SCAN_SYMBOLS_ALLOW: only ${symbols.join(',') || 'none'} are TRADING USDT pairs on the exchange`);
    }
    return { symbols, added, removed };
  }

  private async save(picked: UniverseMember[]): Promise<void> {
    const now = new Date();
    await this.repository.manager.transaction(async (manager) => {
      await manager.update(MarketSymbolEntity, { inUniverse: true }, { inUniverse: false, universeRank: null });
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
        })),
        ['symbol'],
      );
    });
  }
}
