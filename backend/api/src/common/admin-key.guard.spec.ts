import { ExecutionContext, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { AppConfig } from '../config';
import { parseEnv } from '../config';
import { AdminKeyGuard, secretsEqual } from './admin-key.guard';

const KEY = 'an-admin-key-of-32-characters-xx';

function contextWith(headers: Record<string, string>): ExecutionContext {
  return { switchToHttp: () => ({ getRequest: () => ({ headers }) }) } as unknown as ExecutionContext;
}

function guard(config: AppConfig): AdminKeyGuard {
  return new AdminKeyGuard(config);
}

describe('AdminKeyGuard', () => {
  const withKey = parseEnv({ ADMIN_API_KEY: KEY });

  it('lets the right key through', () => {
    expect(guard(withKey).canActivate(contextWith({ 'x-api-key': KEY }))).toBe(true);
  });

  it('refuses a missing key with 401', () => {
    expect(() => guard(withKey).canActivate(contextWith({}))).toThrow(UnauthorizedException);
  });

  it('refuses a wrong key, a prefix of the key and a longer key with 401', () => {
    for (const wrong of ['nope', KEY.slice(0, -1), `${KEY}x`, KEY.toUpperCase()]) {
      expect(() => guard(withKey).canActivate(contextWith({ 'x-api-key': wrong }))).toThrow(
        UnauthorizedException,
      );
    }
  });

  it('keeps admin routes disabled, not open, when no key is configured', () => {
    expect(() => guard(parseEnv({})).canActivate(contextWith({ 'x-api-key': 'anything' }))).toThrow(
      ForbiddenException,
    );
  });

  it('compares secrets of different lengths without throwing', () => {
    expect(secretsEqual('a', 'ab')).toBe(false);
    expect(secretsEqual(KEY, KEY)).toBe(true);
  });
});
