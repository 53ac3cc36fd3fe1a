/**
 * Container healthcheck: `node dist/healthcheck.js` exits 0 when healthy. The api/all roles ask their own
 * liveness endpoint; a worker (no HTTP) checks that its database and Redis answer.
 */
import Redis from 'ioredis';
import { Client } from 'pg';

const TIMEOUT_MS = 4_000;

async function checkHttp(port: string): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}/api/health`, {
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`/api/health answered ${response.status}`);
}

async function checkWorkerDependencies(databaseUrl: string, redisUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: TIMEOUT_MS });
  await client.connect();
  try {
    await client.query('SELECT 1');
  } finally {
    await client.end();
  }
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: TIMEOUT_MS,
    maxRetriesPerRequest: 0,
  });
  try {
    await redis.connect();
    await redis.ping();
  } finally {
    redis.disconnect();
  }
}

async function main(): Promise<void> {
  const role = process.env.APP_ROLE ?? 'all';
  if (role === 'worker') {
    await checkWorkerDependencies(process.env.DATABASE_URL ?? '', process.env.REDIS_URL ?? '');
  } else {
    await checkHttp(process.env.PORT || '3000');
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`unhealthy: ${error.message}\n`);
    process.exit(1);
  },
);
