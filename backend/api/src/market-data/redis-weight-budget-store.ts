import type Redis from 'ioredis';
import { ChargeResult, MINUTE_KEY_TTL_MS, RejectionStatus, WeightBudgetStore } from './weight-budget-store';

// KEYS: minute counter, pause key. ARGV: weight, limit, now, ttl. Returns {charged, used, pausedUntil}.
const CHARGE = `
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused > tonumber(ARGV[3]) then return {0, tonumber(redis.call('GET', KEYS[1]) or '0'), paused} end
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local weight = tonumber(ARGV[1])
if used + weight > tonumber(ARGV[2]) and used > 0 then return {0, used, 0} end
used = redis.call('INCRBY', KEYS[1], weight)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return {1, used, 0}`;

// KEYS: minute counter. ARGV: reported used, ttl. Keeps the larger of ours and the exchange's count.
const RAISE = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local reported = tonumber(ARGV[1])
if reported > used then redis.call('SET', KEYS[1], reported, 'PX', ARGV[2]) return reported end
return used`;

// KEYS: pause key, rejection counts. ARGV: until, now, status. Keeps the later pause.
const PAUSE = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local untilMs = tonumber(ARGV[1])
if untilMs > current then
  redis.call('SET', KEYS[1], untilMs, 'PX', math.max(1, untilMs - tonumber(ARGV[2])))
  current = untilMs
end
redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
return current`;

/**
 * The budget shared by every process of a deployment: per-minute counters and the 429/418 pause in
 * Redis, each operation one Lua script (atomic). Keys expire by themselves.
 */
export class RedisWeightBudgetStore implements WeightBudgetStore {
  readonly kind = 'redis' as const;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async charge(minute: number, weight: number, limit: number, now: number): Promise<ChargeResult> {
    const [charged, used, paused] = (await this.redis.eval(
      CHARGE,
      2,
      this.minuteKey(minute),
      this.pauseKey(),
      weight,
      limit,
      now,
      MINUTE_KEY_TTL_MS,
    )) as [number, number, number];
    return { charged: charged === 1, used, pausedUntil: paused > 0 ? paused : null };
  }

  async raiseUsed(minute: number, used: number): Promise<number> {
    return (await this.redis.eval(RAISE, 1, this.minuteKey(minute), used, MINUTE_KEY_TTL_MS)) as number;
  }

  async used(minute: number): Promise<number> {
    return Number((await this.redis.get(this.minuteKey(minute))) ?? 0);
  }

  async pause(until: number, status: RejectionStatus, now: number): Promise<number> {
    return (await this.redis.eval(
      PAUSE,
      2,
      this.pauseKey(),
      this.rejectionsKey(),
      until,
      now,
      status,
    )) as number;
  }

  async pausedUntil(now: number): Promise<number | null> {
    const value = Number((await this.redis.get(this.pauseKey())) ?? 0);
    return value > now ? value : null;
  }

  async rejections(): Promise<Record<RejectionStatus, number>> {
    const counts = await this.redis.hgetall(this.rejectionsKey());
    return { 429: Number(counts['429'] ?? 0), 418: Number(counts['418'] ?? 0) };
  }

  private minuteKey(minute: number): string {
    return `${this.prefix}:binance:weight:${minute}`;
  }

  private pauseKey(): string {
    return `${this.prefix}:binance:pause`;
  }

  private rejectionsKey(): string {
    return `${this.prefix}:binance:rejections`;
  }
}
