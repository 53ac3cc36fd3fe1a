import { IndicatorsModule } from '../indicators';
import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config';
import { RedisConnection } from '../redis';
import { BinanceClient } from './binance-client';
import { BinanceTransport } from './binance-transport';
import { CandleGapStore } from './candle-gap-store';
import { CandleStore } from './candle-store';
import { CandleSyncService } from './candle-sync.service';
import { ExchangeClock } from './exchange-clock';
import { ExchangeHaltMonitor } from './exchange-halt';
import { ExchangeHealth } from './exchange-health';
import { FineCandleService } from './fine-candles';
import { ExchangeReachability } from './exchange-reachability';
import { MarketQueryService } from './market-query.service';
import { MarketSymbolEntity } from './market-symbol.entity';
import { MarketController } from './market.controller';
import { MemoryReachabilityStore } from './memory-reachability-store';
import { MemoryWeightBudgetStore } from './memory-weight-budget-store';
import { RedisReachabilityStore } from './redis-reachability-store';
import { RedisWeightBudgetStore } from './redis-weight-budget-store';
import { RequestWeightBudget } from './request-weight-budget';
import { RequestWeightMetrics } from './request-weight.metrics';
import { SeriesStatusRegistry } from './series-status-registry';
import { MarketStreamService } from './stream/market-stream.service';
import { MemoryStreamCoordinator } from './stream/memory-stream-coordinator';
import { RedisStreamCoordinator } from './stream/redis-stream-coordinator';
import { StreamCoordinator } from './stream/stream-coordinator';
import { UniverseService } from './universe.service';

/**
 * Binance REST client, request-weight budget, universe and closed candles (DESIGN §5). Global: there is
 * one budget per process, and health, scheduler and the signal engine all read from it.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([MarketSymbolEntity]), IndicatorsModule],
  controllers: [MarketController],
  providers: [
    {
      provide: RequestWeightBudget,
      inject: [AppConfig, RedisConnection],
      useFactory: (config: AppConfig, redis: RedisConnection) =>
        new RequestWeightBudget(
          redis.client === null
            ? new MemoryWeightBudgetStore()
            : new RedisWeightBudgetStore(redis.client, config.queuePrefix),
          { limit: config.binanceWeightLimit },
        ),
    },
    {
      provide: ExchangeReachability,
      inject: [AppConfig, RedisConnection],
      useFactory: (config: AppConfig, redis: RedisConnection) =>
        new ExchangeReachability(
          redis.client === null
            ? new MemoryReachabilityStore()
            : new RedisReachabilityStore(redis.client, config.queuePrefix),
        ),
    },
    {
      provide: BinanceTransport,
      inject: [AppConfig, RequestWeightBudget, ExchangeReachability],
      useFactory: (config: AppConfig, budget: RequestWeightBudget, reachability: ExchangeReachability) =>
        new BinanceTransport(budget, reachability, {
          baseUrl: config.binanceRestUrl,
          maxInFlight: config.binanceRestConcurrency,
        }),
    },
    {
      provide: BinanceClient,
      inject: [BinanceTransport],
      useFactory: (transport: BinanceTransport) => new BinanceClient(transport),
    },
    CandleStore,
    SeriesStatusRegistry,
    CandleSyncService,
    UniverseService,
    MarketQueryService,
    ExchangeHealth,
    RequestWeightMetrics,
    CandleGapStore,
    ExchangeClock,
    ExchangeHaltMonitor,
    FineCandleService,
    {
      provide: StreamCoordinator,
      inject: [AppConfig, RedisConnection],
      useFactory: (config: AppConfig, redis: RedisConnection) =>
        redis.client === null
          ? new MemoryStreamCoordinator()
          : new RedisStreamCoordinator(redis.client, config.queuePrefix),
    },
    MarketStreamService,
  ],
  exports: [
    BinanceClient,
    RequestWeightBudget,
    CandleStore,
    CandleSyncService,
    UniverseService,
    ExchangeHealth,
    MarketStreamService,
    CandleGapStore,
    ExchangeClock,
    ExchangeHaltMonitor,
    FineCandleService,
  ],
})
export class MarketDataModule {}
