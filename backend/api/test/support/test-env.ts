import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { AppConfig } from '../../src/config/app-config';
import { parseEnv } from '../../src/config/env-schema';

/**
 * Where an app under test looks for Binance unless its test points it at a simulator: a loopback port
 * nothing listens on, so a scan fails at once with ECONNREFUSED and never leaves the machine (the app's
 * own defaults are api.binance.com and stream.binance.com). Port 4: unassigned, privileged (no test
 * server gets it from port 0) and not on fetch's blocked-port list (9, "discard", is: fetch would fail
 * with "bad port" before connecting).
 */
export const UNREACHABLE_EXCHANGE = {
  BINANCE_REST_URL: 'http://127.0.0.1:4',
  BINANCE_WS_URL: 'ws://127.0.0.1:4',
} as const;

/** A unique name for this test run's database, Bull prefix and temp folders. */
export function runId(): string {
  return `e2e_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export interface TestEnvironment {
  /** Environment variables for an app of this run (merge role/port overrides on top). */
  env: Record<string, string>;
  config(overrides?: Record<string, string>): AppConfig;
  cleanup(): Promise<void>;
}

/**
 * Postgres when DATABASE_URL is set (a fresh database per run, dropped at the end), PGlite in a temp
 * folder otherwise; Bull on REDIS_URL (a fresh key prefix per run) or in-process jobs otherwise. The
 * exchange is UNREACHABLE_EXCHANGE unless the test overrides BINANCE_REST_URL with a local server.
 */
export async function createTestEnvironment(options: { redis?: boolean } = {}): Promise<TestEnvironment> {
  const id = runId();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'scanner-e2e-'));
  const env: Record<string, string> = {
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    QUEUE_PREFIX: id,
    ...UNREACHABLE_EXCHANGE,
    // Suites drive scans themselves; the stream suites set MARKET_DATA_SOURCE=stream and a simulator URL.
    MARKET_DATA_SOURCE: 'poll',
  };
  let dropDatabase: (() => Promise<void>) | null = null;
  const baseUrl = process.env.DATABASE_URL;
  if (baseUrl) {
    env.DATABASE_URL = await createDatabase(baseUrl, id);
    dropDatabase = () => dropDatabaseNamed(baseUrl, id);
  }
  const useRedis = options.redis ?? true;
  if (useRedis && process.env.REDIS_URL) env.REDIS_URL = process.env.REDIS_URL;
  return {
    env,
    config: (overrides = {}) => parseEnv({ ...env, ...overrides }),
    cleanup: async () => {
      await dropDatabase?.();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function adminClient(baseUrl: string): Promise<Client> {
  const client = new Client({ connectionString: baseUrl });
  await client.connect();
  return client;
}

async function createDatabase(baseUrl: string, name: string): Promise<string> {
  const client = await adminClient(baseUrl);
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabaseNamed(baseUrl: string, name: string): Promise<void> {
  const client = await adminClient(baseUrl);
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/**
 * Thrown by a probe of `eventually` for "not yet, and here is why" (e.g. a refused connection to an app
 * still starting): polling goes on, and a timeout names the last reason. Any other error ends the wait.
 */
export class NotYet extends Error {}

/** Polls until `probe` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastReason: string | null = null;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as T;
      lastReason = null;
    } catch (error) {
      if (!(error instanceof NotYet)) throw error;
      lastReason = error.message;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastReason === null ? '' : ` (last attempt: ${lastReason})`}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
