import type Redis from 'ioredis';
import { STATUS_STALE_MS, StreamCoordinator, type StreamStatus } from './stream-coordinator';

// KEYS: lease. ARGV: holder, ttl. Takes a free lease or renews our own; never steals a live one.
const ACQUIRE = `
local current = redis.call('GET', KEYS[1])
if current == false or current == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

// KEYS: lease. ARGV: holder. Releases only our own lease.
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** The lease and the status in Redis, under the deployment's key prefix. */
export class RedisStreamCoordinator extends StreamCoordinator {
  readonly kind = 'redis' as const;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    super();
  }

  async acquire(holder: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.eval(ACQUIRE, 1, this.key('lease'), holder, ttlMs)) === 1;
  }

  async release(holder: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key('lease'), holder);
  }

  async publish(status: StreamStatus): Promise<void> {
    await this.redis.set(this.key('status'), JSON.stringify(status), 'PX', STATUS_STALE_MS * 2);
  }

  async status(now: number): Promise<StreamStatus | null> {
    const text = await this.redis.get(this.key('status'));
    if (text === null) return null;
    const status = JSON.parse(text) as StreamStatus;
    return now - status.reportedAt <= STATUS_STALE_MS ? status : null;
  }

  private key(name: string): string {
    return `${this.prefix}:binance:stream:${name}`;
  }
}
