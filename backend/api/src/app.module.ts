import { DynamicModule, Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { HttpExceptionFilter } from './common';
import { AppConfig, ConfigModule } from './config';
import { DatabaseModule } from './database';
import { GatewayModule } from './gateway';
import { HealthModule } from './health';
import { IndicatorsModule } from './indicators';
import { MarketDataModule } from './market-data';
import { MetricsModule } from './metrics';
import { NotificationsModule } from './notifications';
import { RedisModule } from './redis';
import { SchedulerModule } from './scheduler';
import { SignalEngineModule } from './signal-engine';

/** Wiring only. The role (APP_ROLE) decides which edges run; the modules are the same in every role. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        MetricsModule,
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'default', ttl: 60_000, limit: config.apiRateLimit }],
        }),
        RedisModule,
        DatabaseModule.forRoot(),
        MarketDataModule,
        IndicatorsModule,
        SignalEngineModule,
        SchedulerModule.forRoot(config),
        NotificationsModule,
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
