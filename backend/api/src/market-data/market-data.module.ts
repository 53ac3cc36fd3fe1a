import { IndicatorsModule } from '../indicators/indicators.module';
import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { RedisConnection } from '../redis/redis.module';
import { BinanceClient } from './binance-client';
import { BinanceTransport } from './binance-transport';
import { CandleStore } from './candle-store';
import { CandleSyncService } from './candle-sync.service';
import { ExchangeHealth } from './exchange-health';
import { ExchangeReachability } from './exchange-reachability';
import { MarketQueryService } from './market-query.service';
import { MarketScanService } from './market-scan.service';
import { MarketSymbolEntity } from './market-symbol.entity';
import { MarketController } from './market.controller';
import { MemoryWeightBudgetStore } from './memory-weight-budget-store';
import { RedisWeightBudgetStore } from './redis-weight-budget-store';
import { RequestWeightBudget } from './request-weight-budget';
import { ScanRunRecorder } from './scan-run-recorder';
import { ScanRunEntity } from './scan-run.entity';
import { SeriesStatusRegistry } from './series-status-registry';
import { UniverseService } from './universe.service';

/**
 * Binance REST client, request-weight budget, universe and closed candles (DESIGN §5). Global: there is
 * one budget per process, and health, scheduler and the signal engine all read from it.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([MarketSymbolEntity, ScanRunEntity]), IndicatorsModule],
  controllers: [MarketController],
  providers: [
    {
      provide: RequestWeightBudget,
      inject: [AppConfig, RedisConnection],
      useFactory: (config: AppConfig, redis: RedisConnection) =>
        new RequestWeightBudget(
          redis.client === null ? new MemoryWeightBudgetStore() : new RedisWeightBudgetStore(redis.client, config.queuePrefix),
          { limit: config.binanceWeightLimit },
        ),
    },
    { provide: ExchangeReachability, useFactory: () => new ExchangeReachability() },
    {
      provide: BinanceTransport,
      inject: [AppConfig, RequestWeightBudget, ExchangeReachability],
      useFactory: (config: AppConfig, budget: RequestWeightBudget, reachability: ExchangeReachability) =>
        new BinanceTransport(budget, reachability, { baseUrl: config.binanceRestUrl }),
    },
    { provide: BinanceClient, inject: [BinanceTransport], useFactory: (transport: BinanceTransport) => new BinanceClient(transport) },
    CandleStore,
    SeriesStatusRegistry,
    CandleSyncService,
    UniverseService,
    ScanRunRecorder,
    MarketScanService,
    MarketQueryService,
    ExchangeHealth,
  ],
  exports: [BinanceClient, RequestWeightBudget, CandleStore, CandleSyncService, UniverseService, MarketScanService, ScanRunRecorder, ExchangeHealth],
})
export class MarketDataModule {}
