/**
 * Offline demo (`npm run demo`): the exchange simulator replays the bundled Binance candles from
 * 2024-08-04T00:00Z at 60× (one market hour per real minute, so the 2024-08-05 crash arrives after
 * ~24 minutes), and the built app follows its kline streams (REST for warm-up and gaps; a scan every 5 s
 * only while the streams are down) with embedded PGlite (./data/demo) and in-process jobs. Candle and signal times are the data's own 2024 market times (no time offset): a replay shows
 * when things happened in the market, like a backtest. Ctrl-C stops both.
 *
 * Options (environment): PORT (default 3000), DEMO_SPEED (60), DEMO_START (2024-08-04T00:00:00Z),
 * DEMO_TIMEFRAMES (5m,15m,1h), DEMO_KEEP=1 keeps ./data/demo from the last run (default: fresh replay).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { SimProcess, startSimProcess, stopChild } from './child-process-sim';

const API_DIR = path.resolve(__dirname, '..');
const REPO_DIR = path.resolve(API_DIR, '..', '..');
const APP_MAIN = path.join(API_DIR, 'dist', 'main.js');
const DATA_DIR = path.join(REPO_DIR, 'data', 'demo');

async function main(): Promise<void> {
  if (!existsSync(APP_MAIN)) throw new Error(`${APP_MAIN} is missing: run \`npm run build\` first`);
  const port = process.env.PORT ?? '3000';
  const speed = process.env.DEMO_SPEED ?? '60';
  const start = process.env.DEMO_START ?? '2024-08-04T00:00:00Z';
  const timeframes = process.env.DEMO_TIMEFRAMES ?? '5m,15m,1h';
  // A fresh replay restarts the market at DEMO_START: candles stored by an earlier run would lie in its future.
  if (process.env.DEMO_KEEP !== '1') rmSync(DATA_DIR, { recursive: true, force: true });

  const sim = await startSimProcess(['--port', '0', '--start', start, '--speed', speed], { echo: true });
  const app = spawn(process.execPath, [APP_MAIN], {
    cwd: REPO_DIR,
    stdio: 'inherit',
    env: {
      ...withoutDeploymentVariables(process.env),
      PORT: port,
      DATA_DIR,
      BINANCE_REST_URL: sim.url,
      // Kline streams from the simulator (REST for warm-up and gaps; the 5 s scan only while they are down).
      BINANCE_WS_URL: sim.url.replace(/^http/, 'ws'),
      MARKET_DATA_SOURCE: 'stream',
      SCAN_TIMEFRAMES: timeframes,
      SCAN_CRON: '*/5 * * * * *',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    },
  });
  process.stdout.write(
    `\nDemo: replaying Binance candles from ${start} at ${speed}× (exchange simulator ${sim.url}).\n` +
      `Dashboard: http://localhost:${port}/   API: http://localhost:${port}/api/market/symbols   Ctrl-C stops.\n\n`,
  );
  await untilStopped(sim, app);
}

/** The demo is self-contained: no external Postgres or Redis even if the shell has them set. */
function withoutDeploymentVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  for (const name of [
    'DATABASE_URL',
    'REDIS_URL',
    'APP_ROLE',
    'BINANCE_WS_URL',
    'SCAN_SYMBOLS_ALLOW',
    'SCAN_SYMBOLS_DENY',
  ])
    delete copy[name];
  return copy;
}

function untilStopped(sim: SimProcess, app: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (code: number): void => {
      if (stopping) return;
      stopping = true;
      void Promise.all([stopChild(app), sim.stop()]).then(() => {
        process.exitCode = code;
        resolve();
      });
    };
    process.once('SIGINT', () => stop(0));
    process.once('SIGTERM', () => stop(0));
    app.once('exit', (code) => {
      if (!stopping) process.stderr.write(`the app exited (code ${code}); stopping the simulator\n`);
      stop(code ?? 1);
    });
    sim.child.once('exit', (code) => {
      if (!stopping) process.stderr.write(`the simulator exited (code ${code}); stopping the app\n`);
      stop(code ?? 1);
    });
  });
}

main().catch((error: Error) => {
  process.stderr.write(`demo failed: ${error.message}\n`);
  process.exit(1);
});
