import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { AppConfig } from '../config';

export const ADMIN_KEY_HEADER = 'x-api-key';

/** Compares two secrets in time independent of where they differ (and of their lengths). */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * Admin routes need `X-API-Key: $ADMIN_API_KEY`. Without a configured key they are disabled (403),
 * never open.
 */
@Injectable()
export class AdminKeyGuard implements CanActivate {
  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.config.adminApiKey;
    if (expected === null)
      throw new ForbiddenException('Admin API is disabled: set ADMIN_API_KEY to enable it');
    const request = context.switchToHttp().getRequest<Request>();
    const given = request.headers[ADMIN_KEY_HEADER];
    if (typeof given !== 'string' || given === '')
      throw new UnauthorizedException('Missing X-API-Key header');
    if (!secretsEqual(given, expected)) throw new UnauthorizedException('Invalid X-API-Key');
    return true;
  }
}
