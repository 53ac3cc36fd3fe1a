import { DynamicModule, INestApplication, Module, ValidationPipe } from '@nestjs/common';
import { APP_PIPE, NestFactory } from '@nestjs/core';
import { parseBinanceKlines, type Candle } from '@scanner/signal-core';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { AppConfig } from '../../src/config/app-config';
import { ConfigModule } from '../../src/config/config.module';
import { DatabaseModule } from '../../src/database/database.module';
import { SignalEngineModule } from '../../src/signal-engine/signal-engine.module';

/** Only the signal engine over the real database, with the app's validation pipe and /api prefix. */
@Module({})
class SignalEngineTestRoot {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: SignalEngineTestRoot,
      imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot(), SignalEngineModule],
      providers: [{ provide: APP_PIPE, useValue: new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }) }],
    };
  }
}

export interface SignalEngineApp {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

export async function startSignalEngineApp(config: AppConfig): Promise<SignalEngineApp> {
  const app = await NestFactory.create(SignalEngineTestRoot.forRoot(config), { logger: ['error'], abortOnError: false });
  app.setGlobalPrefix('api');
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  return { app, url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}

/** Real Binance candles bundled with the exchange simulator (2024-07-29 .. 2024-08-11). */
export function simulatorCandles(symbol: string, interval: string): Candle[] {
  const file = path.resolve(__dirname, '../../../exchange-sim/data', `${symbol}-${interval}.json.gz`);
  return parseBinanceKlines(JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')));
}
