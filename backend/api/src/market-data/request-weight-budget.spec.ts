import Redis from 'ioredis';
import { ExchangePausedError } from './market-data.errors';
import { MemoryWeightBudgetStore } from './memory-weight-budget-store';
import { RedisWeightBudgetStore } from './redis-weight-budget-store';
import { RequestWeightBudget } from './request-weight-budget';
import { WeightBudgetStore } from './weight-budget-store';

const MINUTE = 60_000;
const T0 = Date.UTC(2024, 7, 5, 12, 0, 10);

/** A budget on a fake clock: `sleep` advances the clock instead of waiting. */
function fakeBudget(store: WeightBudgetStore, limit = 1000, maxPauseWaitMs = 5_000) {
  const clock = { now: T0, slept: [] as number[] };
  const budget = new RequestWeightBudget(store, {
    limit,
    maxPauseWaitMs,
    now: () => clock.now,
    sleep: async (ms) => {
      clock.slept.push(ms);
      clock.now += ms;
    },
  });
  return { budget, clock };
}

function budgetContract(
  name: string,
  makeStore: () => WeightBudgetStore,
  cleanup: () => Promise<void> = async () => undefined,
): void {
  describe(name, () => {
    afterEach(cleanup);

    it('keeps to 90 % of BINANCE_WEIGHT_LIMIT and charges each request before it is sent', async () => {
      const { budget } = fakeBudget(makeStore());
      expect(budget.limit).toBe(900);
      await budget.acquire(20, 'exchangeInfo');
      await budget.acquire(80, 'ticker/24hr');
      const status = await budget.status();
      expect(status.usedThisMinute).toBe(100);
      expect(status.limit).toBe(900);
      expect(status.exchangeLimit).toBe(1000);
      expect(status.pausedUntil).toBeNull();
    });

    it('waits for the next calendar minute rather than pass the limit', async () => {
      const { budget, clock } = fakeBudget(makeStore());
      for (let i = 0; i < 450; i++) await budget.acquire(2, 'klines');
      expect(clock.slept).toEqual([]);
      await budget.acquire(2, 'klines');
      expect(clock.slept).toHaveLength(1);
      const minuteStart = Math.floor(T0 / MINUTE) * MINUTE;
      expect(clock.now).toBeGreaterThanOrEqual(minuteStart + MINUTE);
      expect(clock.now).toBeLessThan(minuteStart + MINUTE + 300);
      expect((await budget.status()).usedThisMinute).toBe(2);
    });

    it('takes the exchange header when it reports more than we counted, never less', async () => {
      const { budget } = fakeBudget(makeStore());
      await budget.acquire(2, 'klines');
      await budget.recordUsedWeight(850);
      expect((await budget.status()).usedThisMinute).toBe(850);
      await budget.recordUsedWeight(10);
      expect((await budget.status()).usedThisMinute).toBe(850);
      await budget.acquire(50, 'klines');
      expect((await budget.status()).usedThisMinute).toBe(900);
    });

    it('fails every request while a long 429/418 pause lasts, and counts it', async () => {
      const { budget, clock } = fakeBudget(makeStore());
      await budget.pause(T0 + 30_000, 429, 'klines BTCUSDT 5m');
      await expect(budget.acquire(2, 'klines ETHUSDT 5m')).rejects.toBeInstanceOf(ExchangePausedError);
      await expect(budget.acquire(2, 'klines ETHUSDT 5m')).rejects.toThrow(
        /paused after a 429\/418 until 2024-08-05T12:00:40.000Z/,
      );
      expect((await budget.status()).usedThisMinute).toBe(0);
      await budget.pause(T0 + 10_000, 418, 'klines');
      const status = await budget.status();
      expect(status.pausedUntil).toBe(new Date(T0 + 30_000).toISOString());
      expect(status.rejections).toEqual({ http429: 1, http418: 1 });
      clock.now = T0 + 30_001;
      await budget.acquire(2, 'klines');
      expect((await budget.status()).pausedUntil).toBeNull();
    });

    it('waits out a short pause instead of failing', async () => {
      const { budget, clock } = fakeBudget(makeStore());
      await budget.pause(T0 + 3_000, 429, 'klines');
      await budget.acquire(2, 'klines');
      expect(clock.now).toBeGreaterThan(T0 + 3_000);
      expect(clock.slept).toEqual([3_001]);
    });
  });
}

budgetContract('RequestWeightBudget (memory)', () => new MemoryWeightBudgetStore());

const redisUrl = process.env.REDIS_URL;
if (redisUrl) {
  let redis: Redis;
  const prefix = `budget-spec-${process.pid}-${Date.now()}`;
  beforeAll(() => {
    redis = new Redis(redisUrl);
  });
  afterAll(async () => {
    await redis.quit();
  });
  budgetContract(
    'RequestWeightBudget (Redis)',
    () => new RedisWeightBudgetStore(redis, `${prefix}-${Math.random().toString(36).slice(2)}`),
    async () => {
      const keys = await redis.keys(`${prefix}-*`);
      if (keys.length > 0) await redis.del(...keys);
    },
  );
  it('Redis minute counters expire by themselves', async () => {
    const store = new RedisWeightBudgetStore(redis, `${prefix}-ttl`);
    await store.charge(T0, 2, 100, T0);
    const ttl = await redis.pttl(`${prefix}-ttl:binance:weight:${T0}`);
    expect(ttl).toBeGreaterThan(60_000);
    expect(ttl).toBeLessThanOrEqual(120_000);
    await redis.del(`${prefix}-ttl:binance:weight:${T0}`);
  });
}
