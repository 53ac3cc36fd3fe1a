import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { AppModule } from './app.module';
import { corsOriginCheck, createPino, httpLogging, PinoNestLogger } from './common';
import { AppConfig } from './config';
import { defaultDashboardDir, serveDashboard } from './dashboard-static';
import { SocketIoAdapter } from './gateway';

/** The dashboard needs inline component styles and websocket connections to its own origin. */
const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'", 'ws:', 'wss:'],
  fontSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  // Plain-HTTP deployments (a LAN address) must keep loading their own assets over HTTP.
  upgradeInsecureRequests: null,
};

export interface RunningApp {
  app: INestApplicationContext;
  /** The HTTP URL (api and all roles), null for a worker. */
  url: string | null;
  close(): Promise<void>;
}

/** Builds and starts the process for its role: HTTP + Socket.IO (+ processors in `all`), or a worker. */
export async function startApp(config: AppConfig, options: { host?: string } = {}): Promise<RunningApp> {
  const module = AppModule.forRoot(config);
  const pino = createPino(config.logLevel);
  const logger = new PinoNestLogger(pino);
  if (!config.runsApi) {
    const context = await NestFactory.createApplicationContext(module, { logger, abortOnError: false });
    await context.init();
    return { app: context, url: null, close: () => context.close() };
  }
  const app = await NestFactory.create<NestExpressApplication>(module, { logger, abortOnError: false });
  app.use(httpLogging(pino));
  // Behind a reverse proxy on a private network (compose, k8s), rate limits apply to the real client IP.
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.use(helmet({ contentSecurityPolicy: { directives: CONTENT_SECURITY_POLICY } }));
  app.setGlobalPrefix('api', { exclude: ['metrics'] });
  app.enableCors({ origin: corsOriginCheck(config.corsOrigins) });
  app.useWebSocketAdapter(new SocketIoAdapter(app, config));
  app.useBodyParser('json', { limit: '100kb' });
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Signal scanner API')
      .setVersion('1')
      .addApiKey({ type: 'apiKey', name: 'X-API-Key', in: 'header' }, 'admin')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document);
  serveDashboard(app, config.dashboardDir ?? defaultDashboardDir());
  await app.listen(config.port, options.host ?? '0.0.0.0');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
