import { DynamicModule, INestApplication, Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_PIPE, NestFactory } from '@nestjs/core';
import { parseBinanceKlines, type Candle } from '@scanner/signal-core';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DataSource } from 'typeorm';
import { HttpExceptionFilter } from '../../src/common/http-exception.filter';
import { AppConfig } from '../../src/config/app-config';
import { ConfigModule } from '../../src/config/config.module';
import { DatabaseModule } from '../../src/database/database.module';
import { MetricsModule } from '../../src/metrics/metrics.module';
import { RedisModule } from '../../src/redis/redis.module';
import { SignalEngineModule } from '../../src/signal-engine/signal-engine.module';

/**
 * Only the signal engine (and the market data it reads candles through) over the real database, with
 * the app's validation pipe, exception filter and /api prefix.
 */
@Module({})
class SignalEngineTestRoot {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: SignalEngineTestRoot,
      imports: [
        ConfigModule.forRoot(config),
        MetricsModule,
        RedisModule,
        DatabaseModule.forRoot(),
        SignalEngineModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
        },
      ],
    };
  }
}

export interface SignalEngineApp {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

export async function startSignalEngineApp(config: AppConfig): Promise<SignalEngineApp> {
  const app = await NestFactory.create(SignalEngineTestRoot.forRoot(config), {
    logger: ['error'],
    abortOnError: false,
  });
  app.setGlobalPrefix('api');
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  return { app, url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}

/** Real Binance candles bundled with the exchange simulator (2024-07-29 .. 2024-08-11). */
export function simulatorCandles(symbol: string, interval: string): Candle[] {
  const file = path.resolve(__dirname, '../../../exchange-sim/data', `${symbol}-${interval}.json.gz`);
  return parseBinanceKlines(JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')), {
    symbol,
    interval,
  });
}

/** Writes 5m candles of `symbol` straight into the candles table (as a scan stores them), 500 rows a statement. */
export async function storeCandles(db: DataSource, symbol: string, rows: readonly Candle[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await db.query(
      `INSERT INTO candles (symbol, interval, open_time, open, high, low, close, volume, quote_volume, close_time)
       SELECT $1, '5m', t.o, t.op, t.h, t.l, t.c, t.v, 0, t.ct FROM unnest($2::bigint[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::bigint[]) AS t(o, op, h, l, c, v, ct)`,
      [
        symbol,
        chunk.map((c) => c.openTime),
        chunk.map((c) => c.open),
        chunk.map((c) => c.high),
        chunk.map((c) => c.low),
        chunk.map((c) => c.close),
        chunk.map((c) => c.volume),
        chunk.map((c) => c.closeTime),
      ],
    );
  }
}
