import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../config';

/** The shared Redis connection of this process, or null when REDIS_URL is unset. */
@Injectable()
export class RedisConnection implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisConnection.name);
  readonly client: Redis | null;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.client =
      config.redisUrl === null
        ? null
        : new Redis(config.redisUrl, {
            maxRetriesPerRequest: 2,
            enableOfflineQueue: false,
            lazyConnect: false,
          });
    this.client?.on('error', (error: Error) => this.logger.warn(`Redis: ${error.message}`));
  }

  async ping(timeoutMs = 2000): Promise<void> {
    if (this.client === null) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.client.ping(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client?.quit().catch(() => this.client?.disconnect());
  }
}

@Global()
@Module({
  providers: [RedisConnection],
  exports: [RedisConnection],
})
export class RedisModule {}
