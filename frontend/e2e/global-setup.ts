import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FullConfig } from '@playwright/test';
import { freePort } from './support/free-port';
import { ADMIN_KEY, DASHBOARD_DIR, REPO_ROOT, SCREENSHOTS_DIR } from './support/paths';

const SIM_CLI = path.join(REPO_ROOT, 'backend', 'exchange-sim', 'dist', 'cli.js');
const API_MAIN = path.join(REPO_ROOT, 'backend', 'api', 'dist', 'main.js');
// Eight of the simulator's bundled pairs (backend/exchange-sim/data): the universe is all of them.
const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT', 'DOGEUSDT', 'AVAXUSDT', 'LINKUSDT', 'LTCUSDT'];
/**
 * The replay starts half a day before the 2024-08-05 crash: the first scan stores the 1000 five-minute
 * candles before it (from 2024-08-01) and the engine warms up on them, so closed signals with outcomes
 * and active ones exist after one scan; at ×600 the crash arrives about 70 s later.
 */
const REPLAY_START = '2024-08-04T12:00:00Z';
/** How long the backend gets to hold the data every page test needs (one cold scan takes a few seconds). */
const SEED_TIMEOUT_MS = 120_000;

/**
 * Starts the exchange simulator (fast clock) and the real backend serving the built dashboard, and waits
 * until the backend holds what every page test asserts on (see `seeded`): the data comes from the app's
 * own scans of the simulator's replay of real candles, never from fixtures.
 */
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
        '--start',
        REPLAY_START,
        '--speed',
        '600',
        '--symbols',
        SYMBOLS.join(','),
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
        // No test reaches the internet: the app's stream URL and any notification channel a developer's
        // environment configures are pointed away (port 4 on loopback refuses connections).
        BINANCE_WS_URL: 'ws://127.0.0.1:4',
        NOTIFY_WEBHOOK_URL: '',
        TELEGRAM_BOT_TOKEN: '',
        TELEGRAM_CHAT_ID: '',
        SCAN_TOP_N: String(SYMBOLS.length),
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
    const seed = await seeded(base, SEED_TIMEOUT_MS, () => logs.join('').slice(-2000));
    console.log(`[e2e] backend ${base} (sim ${simUrl}, replay from ${REPLAY_START}): ${seed}`);
    return teardown;
  } catch (error) {
    await teardown();
    throw error;
  }
}

interface Seed {
  symbols: {
    symbol: string;
    freshness?: Record<string, { lastClosedOpenTime: string | null } | undefined>;
  }[];
  active: number;
  closed: number;
  statsClosed: number;
  /** Closes by target or stop: what the reliability chart plots. */
  decided: number;
  okScans: number;
}

/**
 * Waits until the backend holds what the page tests assert on: every symbol of the universe with a
 * stored 5m candle, an active signal (live grid, detail page), a closed one with its outcome counted in
 * the stats (history), one closed by its target or stop (reliability chart) and a finished scan (system page). Fails naming what is still missing.
 */
async function seeded(base: string, timeoutMs: number, logs: () => string): Promise<string> {
  const get = async <T>(route: string): Promise<T> => {
    const response = await fetch(base + route, { headers: { 'X-API-Key': ADMIN_KEY } });
    if (!response.ok) throw new Error(`GET ${route}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const read = async (): Promise<Seed> => {
    const [symbols, active, closed, stats, admin] = await Promise.all([
      get<Seed['symbols']>('/api/market/symbols'),
      get<{ items: unknown[] }>('/api/signals?status=ACTIVE&limit=1'),
      get<{ items: unknown[] }>('/api/signals?status=CLOSED&limit=1'),
      get<{ overall: { closed: number; byOutcome: Record<string, number> } }>(
        '/api/signals/stats?origin=all',
      ),
      get<{ lastScans: { status: string }[] }>('/api/admin/status'),
    ]);
    return {
      symbols,
      active: active.items.length,
      closed: closed.items.length,
      statsClosed: stats.overall.closed,
      decided: (stats.overall.byOutcome['TP_HIT'] ?? 0) + (stats.overall.byOutcome['SL_HIT'] ?? 0),
      okScans: admin.lastScans.filter((scan) => scan.status === 'ok').length,
    };
  };
  const missing = (seed: Seed): string[] => {
    const fresh = seed.symbols.filter((s) => s.freshness?.['5m']?.lastClosedOpenTime).map((s) => s.symbol);
    return [
      fresh.length < SYMBOLS.length &&
        `5m candles of all ${SYMBOLS.length} symbols (have ${fresh.join(',') || 'none'})`,
      seed.active === 0 && 'an active signal',
      seed.closed === 0 && 'a closed signal',
      seed.statsClosed === 0 && 'a closed signal in /api/signals/stats',
      seed.decided === 0 && 'a signal closed by its target or stop (the reliability chart plots those)',
      seed.okScans === 0 && 'a finished scan in /api/admin/status',
    ].filter((item): item is string => typeof item === 'string');
  };
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    try {
      const seed = await read();
      const absent = missing(seed);
      if (absent.length === 0)
        return `${seed.symbols.length} symbols, active and closed signals (${seed.statsClosed} closed), ${seed.okScans} scan(s)`;
      last = `missing ${absent.join('; ')}`;
    } catch (error) {
      // An HTTP error is the backend's answer: report it, do not wait it out.
      if ((error as Error).message.startsWith('GET ')) throw error;
      last = String((error as Error).cause ?? error);
    }
    if (Date.now() > deadline)
      throw new Error(
        `the browser tests' backend holds no data to test after ${timeoutMs} ms: ${last}. Last log:\n${logs()}`,
      );
    await new Promise((r) => setTimeout(r, 1_000));
  }
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
