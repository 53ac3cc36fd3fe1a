import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FullConfig } from '@playwright/test';
import type { Capabilities } from './support/capabilities';
import { freePort } from './support/free-port';
import { ADMIN_KEY, DASHBOARD_DIR, REPO_ROOT, SCREENSHOTS_DIR } from './support/paths';

const SIM_CLI = path.join(REPO_ROOT, 'backend', 'exchange-sim', 'dist', 'cli.js');
const API_MAIN = path.join(REPO_ROOT, 'backend', 'api', 'dist', 'main.js');
/** How long the scanner gets to produce its first signal (×600 clock: 60 s ≈ 120 five-minute candles). */
const SIGNAL_WAIT_MS = Number(process.env.E2E_SIGNAL_WAIT_MS ?? 60_000);

/** Starts the exchange simulator (fast clock) and the real backend serving the built dashboard. */
export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const onlyPerf = process.env.E2E_CONTRACT_ONLY === '1';
  for (const [file, what] of [
    [path.join(DASHBOARD_DIR, 'index.html'), 'dashboard'],
    [SIM_CLI, 'exchange simulator'],
    [API_MAIN, 'backend'],
  ] as const) {
    if (!existsSync(file) && !(onlyPerf && what !== 'dashboard'))
      throw new Error(
        `The ${what} is not built (${file} missing): run "npm run build" at the repository root first.`,
      );
  }
  if (onlyPerf) return async () => undefined;

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'scanner-e2e-'));
  const children: ChildProcess[] = [];
  const teardown = async () => {
    for (const child of children.reverse()) await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const sim = spawn(
      process.execPath,
      [
        SIM_CLI,
        '--port',
        '0',
        '--speed',
        '600',
        '--symbols',
        'BTCUSDT,ETHUSDT,SOLUSDT,BNBUSDT,XRPUSDT,DOGEUSDT,ADAUSDT,AVAXUSDT',
        '--intervals',
        '5m,15m,1h,4h',
      ],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(sim);
    const simUrl = await waitForLine(sim, /(http:\/\/127\.0\.0\.1:\d+)/, 30_000, 'exchange simulator');

    const port = await freePort();
    const api = spawn(process.execPath, [API_MAIN], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        TZ: 'UTC',
        PORT: String(port),
        DATA_DIR: dataDir,
        DATABASE_URL: '',
        REDIS_URL: '',
        BINANCE_REST_URL: simUrl,
        SCAN_TOP_N: '8',
        SCAN_TIMEFRAMES: '5m',
        // 5m candles close every 0.5 s at ×600: scan every 2 s so signals are created, updated and closed quickly.
        SCAN_CRON: '*/2 * * * * *',
        ADMIN_API_KEY: ADMIN_KEY,
        LOG_LEVEL: 'warn',
        DASHBOARD_DIR: DASHBOARD_DIR,
      },
    });
    children.push(api);
    const logs: string[] = [];
    api.stdout?.on('data', (d: Buffer) => logs.push(d.toString()));
    api.stderr?.on('data', (d: Buffer) => logs.push(d.toString()));
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/api/health`, 90_000, () => logs.join('').slice(-2000));
    process.env.E2E_BASE_URL = base;
    process.env.E2E_SIM_URL = simUrl;
    process.env.E2E_CAPS = JSON.stringify(await probe(base));
    console.log(`[e2e] backend ${base} (sim ${simUrl}); endpoints: ${process.env.E2E_CAPS}`);
    return teardown;
  } catch (error) {
    await teardown();
    throw error;
  }
}

/** An endpoint exists unless the server answers with its generic "no such route" 404. */
async function probe(base: string): Promise<Capabilities> {
  const exists = async (url: string, init?: RequestInit) => {
    try {
      const response = await fetch(base + url, init);
      return response.status !== 404 || !/Cannot (GET|POST)/.test(await response.text());
    } catch {
      return false;
    }
  };
  const caps: Capabilities = {
    signalsList: await exists('/api/signals?limit=1'),
    signalDetail: await exists('/api/signals/00000000-0000-0000-0000-000000000000'),
    stats: await exists('/api/signals/stats'),
    symbols: await exists('/api/market/symbols'),
    candles: await exists('/api/market/candles?symbol=BTCUSDT&interval=5m&limit=5'),
    admin: await exists('/api/admin/status', { headers: { 'X-API-Key': ADMIN_KEY } }),
    signalsFlow: false,
  };
  caps.signalsFlow = caps.signalsList && (await firstSignal(base, SIGNAL_WAIT_MS));
  return caps;
}

/** Waits until the scanner has produced any signal (active or closed). */
async function firstSignal(base: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const status of ['ACTIVE', 'CLOSED']) {
      try {
        const page = (await (await fetch(`${base}/api/signals?status=${status}&limit=1`)).json()) as {
          items?: unknown[];
        };
        if ((page.items?.length ?? 0) > 0) return true;
      } catch {
        // keep waiting
      }
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
  return false;
}

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`${what} did not start within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (data: Buffer) => {
      output += data.toString();
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${what} exited with ${code}:\n${output}`)));
  });
}

async function waitForHttp(url: string, timeoutMs: number, logs: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`backend not healthy at ${url} within ${timeoutMs} ms. Last log:\n${logs()}`);
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
