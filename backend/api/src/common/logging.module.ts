import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppConfig, LogLevel } from '../config/app-config';

const PINO_LEVELS: Record<LogLevel, string> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  info: 'info',
  debug: 'debug',
  verbose: 'trace',
};

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** A request id per HTTP request: the caller's X-Request-Id when sane, a fresh UUID otherwise. */
export function requestId(request: IncomingMessage, response: ServerResponse): string {
  const given = request.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  response.setHeader('X-Request-Id', id);
  return id;
}

/** Structured JSON logs (pino) at LOG_LEVEL; pretty on a terminal; secrets redacted. */
@Module({})
export class LoggingModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: PINO_LEVELS[config.logLevel],
            genReqId: requestId,
            redact: {
              paths: ['req.headers["x-api-key"]', 'req.headers.authorization', 'req.headers.cookie'],
              censor: '[redacted]',
            },
            autoLogging: { ignore: (request) => /^\/(api\/health|metrics)/.test(request.url ?? '') },
            customLogLevel: (_request, response, error) =>
              error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
            transport: process.stdout.isTTY ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
          },
        }),
      ],
    };
  }
}
