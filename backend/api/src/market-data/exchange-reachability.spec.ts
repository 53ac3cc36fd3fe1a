import Redis from 'ioredis';
import { ExchangeReachability, REACHABILITY_WRITE_EVERY_MS } from './exchange-reachability';
import { MemoryReachabilityStore } from './memory-reachability-store';
import { ReachabilityStore } from './reachability-store';
import { RedisReachabilityStore } from './redis-reachability-store';

const T0 = Date.UTC(2024, 7, 5, 12, 0, 0);

function storeContract(name: string, makeStore: () => ReachabilityStore): void {
  describe(name, () => {
    it('is unknown before any outcome', async () => {
      expect(await makeStore().snapshot()).toEqual({
        reachable: null,
        lastSuccessAt: null,
        lastFailureAt: null,
        lastError: null,
        failingSince: null,
      });
    });

    it('keeps the start of an outage through later failures and clears it on the next success', async () => {
      const store = makeStore();
      await store.recordSuccess(T0);
      await store.recordFailure(T0 + 1_000, 'klines BTCUSDT 5m: ECONNREFUSED');
      await store.recordFailure(T0 + 9_000, 'ping: ECONNREFUSED');
      expect(await store.snapshot()).toEqual({
        reachable: false,
        lastSuccessAt: T0,
        lastFailureAt: T0 + 9_000,
        lastError: 'ping: ECONNREFUSED',
        failingSince: T0 + 1_000,
      });
      await store.recordSuccess(T0 + 10_000);
      expect(await store.snapshot()).toMatchObject({
        reachable: true,
        lastSuccessAt: T0 + 10_000,
        failingSince: null,
        lastError: 'ping: ECONNREFUSED',
      });
    });

    it('an outcome older than the newest of the other kind does not flip reachable (writes from several processes)', async () => {
      const store = makeStore();
      await store.recordFailure(T0 + 5_000, 'late failure');
      await store.recordSuccess(T0 + 1_000);
      expect(await store.snapshot()).toMatchObject({
        reachable: false,
        lastSuccessAt: T0 + 1_000,
        failingSince: T0 + 5_000,
      });
      await store.recordSuccess(T0 + 6_000);
      await store.recordFailure(T0 + 2_000, 'older failure');
      expect(await store.snapshot()).toMatchObject({
        reachable: true,
        failingSince: null,
        lastFailureAt: T0 + 5_000,
        lastError: 'late failure',
      });
    });
  });
}

storeContract('MemoryReachabilityStore', () => new MemoryReachabilityStore());

const redisUrl = process.env.REDIS_URL;
if (redisUrl) {
  let redis: Redis;
  const prefix = `reachability-spec-${process.pid}-${Date.now()}`;
  beforeAll(() => {
    redis = new Redis(redisUrl);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}-*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });
  storeContract(
    'RedisReachabilityStore',
    () => new RedisReachabilityStore(redis, `${prefix}-${Math.random().toString(36).slice(2)}`),
  );
  it('the Redis hash expires when nobody refreshes it for a day', async () => {
    await new RedisReachabilityStore(redis, `${prefix}-ttl`).recordSuccess(T0);
    const ttl = await redis.pttl(`${prefix}-ttl:binance:reachability`);
    expect(ttl).toBeGreaterThan(23 * 3_600_000);
    expect(ttl).toBeLessThanOrEqual(24 * 3_600_000);
  });
}

/** A store that counts its writes (the memory store underneath keeps the state). */
class CountingStore extends MemoryReachabilityStore {
  writes: string[] = [];
  override async recordSuccess(at: number): Promise<void> {
    this.writes.push(`ok@${at - T0}`);
    await super.recordSuccess(at);
  }
  override async recordFailure(at: number, error: string): Promise<void> {
    this.writes.push(`fail@${at - T0}`);
    await super.recordFailure(at, error);
  }
}

describe('ExchangeReachability', () => {
  it('writes a change of outcome at once and a repeated outcome at most every few seconds', async () => {
    const store = new CountingStore();
    const reachability = new ExchangeReachability(store);
    for (let at = T0; at < T0 + 12_000; at += 100) reachability.recordSuccess(at);
    reachability.recordFailure(T0 + 12_000, 'ECONNREFUSED');
    reachability.recordFailure(T0 + 12_100, 'ECONNREFUSED');
    reachability.recordSuccess(T0 + 12_200);
    expect(REACHABILITY_WRITE_EVERY_MS).toBe(5_000);
    expect(store.writes).toEqual(['ok@0', 'ok@5000', 'ok@10000', 'fail@12000', 'ok@12200']);
    expect(await reachability.snapshot()).toMatchObject({
      reachable: true,
      lastSuccessAt: T0 + 12_200,
      failingSince: null,
    });
  });

  it('a failed write does not hold back the next outcome, and never fails the request that reported it', async () => {
    const store = new CountingStore();
    let broken = true;
    const original = store.recordSuccess.bind(store);
    store.recordSuccess = async (at) => {
      if (broken) throw new Error('Redis down');
      await original(at);
    };
    const reachability = new ExchangeReachability(store);
    reachability.recordSuccess(T0);
    await new Promise((resolve) => setImmediate(resolve));
    broken = false;
    reachability.recordSuccess(T0 + 100);
    expect((await reachability.snapshot()).lastSuccessAt).toBe(T0 + 100);
  });
});
