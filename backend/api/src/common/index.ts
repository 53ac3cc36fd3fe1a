/** Public entry of common (shared infrastructure): admin key guard, HTTP error mapping, CORS, logging. */
export { ADMIN_KEY_HEADER, AdminKeyGuard, secretsEqual } from './admin-key.guard';
export { corsOriginCheck, isOriginAllowed } from './cors';
export { HttpExceptionFilter } from './http-exception.filter';
export { httpLogging, requestId } from './http-logging';
export { InvalidRequestError } from './invalid-request.error';
export { createPino, PinoNestLogger } from './pino-logger';
export { parseUtcTime, UtcTimeParam } from './utc-time';
