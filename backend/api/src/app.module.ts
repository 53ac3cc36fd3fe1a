import { DynamicModule, Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { MetricsModule } from './health/metrics.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { GatewayModule } from './gateway/gateway.module';
import { HealthModule } from './health/health.module';
import { IndicatorsModule } from './indicators/indicators.module';
import { MarketDataModule } from './market-data/market-data.module';
import { RedisModule } from './redis/redis.module';
import { SchedulerModule } from './scheduler/scheduler.module';
import { SignalEngineModule } from './signal-engine/signal-engine.module';

/** Wiring only. The role (APP_ROLE) decides which edges run; the modules are the same in every role. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        MetricsModule,
        ThrottlerModule.forRoot({ throttlers: [{ name: 'default', ttl: 60_000, limit: config.apiRateLimit }] }),
        RedisModule,
        DatabaseModule.forRoot(),
        MarketDataModule,
        IndicatorsModule,
        SignalEngineModule,
        SchedulerModule.forRoot(config),
        HealthModule,
        ...(config.runsApi ? [GatewayModule] : []),
      ],
      providers: [
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
        },
      ],
    };
  }
}
