/** Public entry of the redis module (shared infrastructure): the process's Redis connection. */
export { RedisConnection, RedisModule } from './redis.module';
