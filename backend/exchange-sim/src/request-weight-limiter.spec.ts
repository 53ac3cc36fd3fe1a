import { RequestWeightLimiter } from './request-weight-limiter';

describe('RequestWeightLimiter', () => {
  const MINUTE = 60_000;
  let now = 10 * MINUTE;
  const limiter = () => new RequestWeightLimiter({ limit: 10, now: () => now });
  beforeEach(() => {
    now = 10 * MINUTE;
  });

  it('charges weight per client per calendar minute and resets at the next minute', () => {
    const l = limiter();
    expect(l.admit('a', 4)).toEqual({ outcome: 'ok', used: 4 });
    expect(l.admit('a', 6)).toEqual({ outcome: 'ok', used: 10 });
    expect(l.admit('b', 2)).toEqual({ outcome: 'ok', used: 2 });
    now += MINUTE - 1; // 00:10:59.999 still the same minute
    expect(l.used('a')).toBe(10);
    now += 1;
    expect(l.used('a')).toBe(0);
  });

  it('answers 429 past the limit with Retry-After = seconds to the next minute, counting the weight', () => {
    const l = limiter();
    now += 15_500;
    l.admit('a', 10);
    expect(l.admit('a', 1)).toEqual({ outcome: 'rate-limited', used: 11, retryAfterSeconds: 45 });
  });

  it('bans a client that calls again inside the Retry-After window: 2 min, then doubling', () => {
    const l = limiter();
    l.admit('a', 11);
    const first = l.admit('a', 1);
    expect(first).toMatchObject({ outcome: 'banned', retryAfterSeconds: 120, bannedUntil: now + 2 * MINUTE });
    now += 30_000;
    expect(l.admit('a', 1)).toMatchObject({
      outcome: 'banned',
      retryAfterSeconds: 90,
      bannedUntil: 10 * MINUTE + 2 * MINUTE,
    });
    now = 13 * MINUTE; // ban over, fresh minute
    expect(l.admit('a', 11)).toMatchObject({ outcome: 'rate-limited' });
    expect(l.admit('a', 1)).toMatchObject({ outcome: 'banned', retryAfterSeconds: 240 });
    expect(l.admit('b', 1)).toEqual({ outcome: 'ok', used: 1 });
  });

  it('caps bans at banMaxMs', () => {
    const l = new RequestWeightLimiter({ limit: 1, now: () => now, banBaseMs: 1000, banMaxMs: 1500 });
    for (let i = 0; i < 3; i++) {
      l.admit('a', 2);
      const ban = l.admit('a', 1);
      expect(ban.outcome).toBe('banned');
      if (ban.outcome === 'banned') {
        expect(ban.bannedUntil - now).toBe(Math.min(1500, 1000 * 2 ** i));
        now = ban.bannedUntil + MINUTE;
      }
    }
  });

  it('forces 429 and 418 windows for everyone', () => {
    const l = limiter();
    l.force429(5000);
    expect(l.admit('a', 1)).toMatchObject({ outcome: 'rate-limited', retryAfterSeconds: 5 });
    expect(l.admit('a', 1)).toMatchObject({ outcome: 'banned' });
    l.reset();
    l.forceBan(3000);
    expect(l.admit('c', 1)).toMatchObject({ outcome: 'banned', retryAfterSeconds: 3 });
    now += 3000;
    expect(l.admit('c', 1)).toEqual({ outcome: 'ok', used: 1 });
  });
});
