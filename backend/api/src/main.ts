import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { startApp } from './bootstrap';
import { ConfigError, parseEnv } from './config';

const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = parseEnv(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const running = await startApp(config);
  // Closing runs every shutdown hook: job drivers stop taking jobs and let running ones finish, the
  // outbox publisher drains, sockets close, then the database and Redis. If any of that hangs, the
  // process still ends within 10 s of the signal.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      process.stdout.write(`signal scanner: ${signal}, shutting down\n`);
      setTimeout(() => {
        process.stderr.write(
          `signal scanner: shutdown took longer than ${SHUTDOWN_DEADLINE_MS} ms, exiting\n`,
        );
        process.exit(1);
      }, SHUTDOWN_DEADLINE_MS).unref();
      running.close().then(
        () => process.exit(0),
        (error: Error) => {
          process.stderr.write(`signal scanner: shutdown failed: ${error.message}\n`);
          process.exit(1);
        },
      );
    });
  }
  const where = running.url === null ? 'worker (no HTTP)' : `http://localhost:${config.port}`;
  process.stdout.write(
    `signal scanner up: role=${config.role} ${where} database=${config.databaseUrl ? 'postgres' : 'embedded PGlite'} jobs=${config.redisUrl ? 'bull/redis' : 'in-process'}\n`,
  );
}

main().catch((error: Error) => {
  process.stderr.write(`signal scanner failed to start: ${error.message}\n`);
  process.exit(1);
});
