import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from './free-port';
import { DASHBOARD_DIR, REPO_ROOT } from './paths';

const API_MAIN = path.join(REPO_ROOT, 'backend', 'api', 'dist', 'main.js');
const STARTUP_TIMEOUT_MS = 90_000;

/**
 * A second backend, started as on a machine without internet: every Binance request fails at once
 * (REST and streams point at port 4 on loopback, which refuses connections), with its own empty
 * PGlite database. Serves the built dashboard like the seeded one.
 */
export async function startOfflineBackend(): Promise<{ url: string; stop: () => Promise<void> }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'scanner-e2e-offline-'));
  const port = await freePort();
  const child = spawn(process.execPath, [API_MAIN], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      TZ: 'UTC',
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      REDIS_URL: '',
      BINANCE_REST_URL: 'http://127.0.0.1:4',
      BINANCE_WS_URL: 'ws://127.0.0.1:4',
      NOTIFY_WEBHOOK_URL: '',
      TELEGRAM_BOT_TOKEN: '',
      TELEGRAM_CHAT_ID: '',
      SCAN_TIMEFRAMES: '5m',
      SCAN_CRON: '*/2 * * * * *',
      LOG_LEVEL: 'warn',
      DASHBOARD_DIR,
    },
  });
  let logs = '';
  child.stdout?.on('data', (d: Buffer) => (logs = (logs + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (logs = (logs + d.toString()).slice(-4000)));
  const stop = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        rmSync(dataDir, { recursive: true, force: true });
        resolve();
      };
      if (child.exitCode !== null || child.signalCode !== null) return done();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        done();
      });
      child.kill('SIGTERM');
    });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`the offline backend exited with ${child.exitCode}:\n${logs}`);
    }
    try {
      if ((await fetch(`${url}/api/health`)).ok) return { url, stop };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `the offline backend did not answer /api/health within ${STARTUP_TIMEOUT_MS} ms:\n${logs}`,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
