import type Redis from 'ioredis';
import { ReachabilitySnapshot, ReachabilityStore } from './reachability-store';

// KEYS: the reachability hash. ARGV: at, ttl. A success older than the newest failure keeps `reachable`.
const SUCCESS = `
local at = tonumber(ARGV[1])
local lastSuccess = tonumber(redis.call('HGET', KEYS[1], 'lastSuccessAt') or '-1')
local lastFailure = tonumber(redis.call('HGET', KEYS[1], 'lastFailureAt') or '-1')
if at > lastSuccess then redis.call('HSET', KEYS[1], 'lastSuccessAt', ARGV[1]) end
if at >= lastFailure then
  redis.call('HSET', KEYS[1], 'reachable', '1')
  redis.call('HDEL', KEYS[1], 'failingSince')
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])`;

// KEYS: the reachability hash. ARGV: at, error, ttl. Keeps the earliest failingSince of the outage.
const FAILURE = `
local at = tonumber(ARGV[1])
local lastSuccess = tonumber(redis.call('HGET', KEYS[1], 'lastSuccessAt') or '-1')
local lastFailure = tonumber(redis.call('HGET', KEYS[1], 'lastFailureAt') or '-1')
if at >= lastFailure then redis.call('HSET', KEYS[1], 'lastFailureAt', ARGV[1], 'lastError', ARGV[2]) end
if at >= lastSuccess then
  redis.call('HSET', KEYS[1], 'reachable', '0')
  local since = tonumber(redis.call('HGET', KEYS[1], 'failingSince') or '-1')
  if since < 0 or at < since then redis.call('HSET', KEYS[1], 'failingSince', ARGV[1]) end
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])`;

/**
 * What nobody has refreshed for a day is forgotten (reachability unknown again): the hash lives as long
 * as some process keeps talking to the exchange.
 */
const TTL_MS = 24 * 3_600_000;

/** The reachability every process of a deployment records and reads: one hash, each write one Lua script. */
export class RedisReachabilityStore implements ReachabilityStore {
  readonly kind = 'redis' as const;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async recordSuccess(at: number): Promise<void> {
    await this.redis.eval(SUCCESS, 1, this.key(), at, TTL_MS);
  }

  async recordFailure(at: number, error: string): Promise<void> {
    await this.redis.eval(FAILURE, 1, this.key(), at, error, TTL_MS);
  }

  async snapshot(): Promise<ReachabilitySnapshot> {
    const fields = await this.redis.hgetall(this.key());
    const time = (field: string): number | null =>
      fields[field] === undefined ? null : Number(fields[field]);
    return {
      reachable: fields.reachable === undefined ? null : fields.reachable === '1',
      lastSuccessAt: time('lastSuccessAt'),
      lastFailureAt: time('lastFailureAt'),
      lastError: fields.lastError ?? null,
      failingSince: time('failingSince'),
    };
  }

  private key(): string {
    return `${this.prefix}:binance:reachability`;
  }
}
