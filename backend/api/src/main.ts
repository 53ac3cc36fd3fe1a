import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { startApp } from './bootstrap';
import { ConfigError } from './config/config-error';
import { parseEnv } from './config/env-schema';

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
  const where = running.url === null ? 'worker (no HTTP)' : `http://localhost:${config.port}`;
  process.stdout.write(
    `signal scanner up: role=${config.role} ${where} database=${config.databaseUrl ? 'postgres' : 'embedded PGlite'} jobs=${config.redisUrl ? 'bull/redis' : 'in-process'}\n`,
  );
}

main().catch((error: Error) => {
  process.stderr.write(`signal scanner failed to start: ${error.message}\n`);
  process.exit(1);
});
