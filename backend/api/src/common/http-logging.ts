import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger as Pino } from 'pino';
import { pinoHttp } from 'pino-http';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** A request id per HTTP request: the caller's X-Request-Id when sane, a fresh UUID otherwise. */
export function requestId(request: IncomingMessage, response: ServerResponse): string {
  const given = request.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  response.setHeader('X-Request-Id', id);
  return id;
}

/** One JSON line per HTTP request (health and metrics excepted) with its request id, status and time. */
export function httpLogging(logger: Pino) {
  return pinoHttp({
    logger,
    genReqId: requestId,
    autoLogging: { ignore: (request) => /^\/(api\/health|metrics)/.test(request.url ?? '') },
    customLogLevel: (_request, response, error) =>
      error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
  });
}
