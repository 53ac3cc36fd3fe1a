import { startExchangeSim, type ExchangeSim } from '@scanner/exchange-sim';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { freePort, MAIN_JS } from './support/app-process';
import { eventually, UNREACHABLE_EXCHANGE } from './support/test-env';

const KEY = 'shutdown-test-admin-key-0123456789';
const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'];

interface ScanRun {
  id: number;
  status: string;
}

describe('graceful shutdown (SIGTERM)', () => {
  let sim: ExchangeSim;
  let dataDir: string;
  let port: number;
  let child: ChildProcess | null = null;
  let url: string;

  beforeAll(async () => {
    if (!existsSync(MAIN_JS))
      throw new Error(`${MAIN_JS} is missing: run "npm run build" before the e2e suites`);
    sim = await startExchangeSim({
      symbols: SYMBOLS,
      intervals: ['5m'],
      port: 0,
      clock: { startTime: Date.parse('2024-08-05T06:00:00Z'), paused: true },
    });
    dataDir = mkdtempSync(path.join(tmpdir(), 'scanner-shutdown-'));
    port = await freePort();
    url = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    await sim?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  function start(): ChildProcess {
    const env = {
      PATH: process.env.PATH,
      PORT: String(port),
      DATA_DIR: dataDir,
      ...UNREACHABLE_EXCHANGE,
      BINANCE_REST_URL: sim.url,
      SCAN_SYMBOLS_ALLOW: SYMBOLS.join(','),
      SCAN_CRON: '*/2 * * * * *',
      ADMIN_API_KEY: KEY,
      LOG_LEVEL: 'warn',
    };
    return spawn(process.execPath, [MAIN_JS], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  }

  const lastScans = async (): Promise<ScanRun[]> => {
    const response = await request(url).get('/api/admin/status').set('X-API-Key', KEY);
    return response.status === 200 ? (response.body.lastScans as ScanRun[]) : [];
  };

  it('finishes the running scan, closes everything and exits 0 within 10 s; nothing is left half-done', async () => {
    child = start();
    await eventually(
      async () =>
        (
          await request(url)
            .get('/api/health')
            .catch(() => null)
        )?.status === 200,
      40_000,
      'the app to start',
    );
    await eventually(
      async () => (await lastScans()).some((run) => run.status === 'ok'),
      60_000,
      'a first complete scan',
    );
    // Make the next batch slow, then stop the process while it runs.
    sim.faults.set({ latencyMs: 2_500, jitterMs: 0 });
    sim.clock.set(Date.parse('2024-08-05T06:30:00Z'));
    const inFlight = await eventually(
      async () => (await lastScans()).find((run) => run.status === 'running'),
      20_000,
      'a running scan',
    );
    const stoppedAt = Date.now();
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    const code = await exited;
    const tookMs = Date.now() - stoppedAt;
    process.stdout.write(
      `shutdown: exit code ${code} after ${tookMs} ms with scan run ${inFlight.id} in flight\n`,
    );
    expect(code).toBe(0);
    expect(tookMs).toBeLessThan(10_000);

    // The same data folder, a fresh process: the run that was in flight had been finished, not abandoned.
    sim.faults.reset();
    child = start();
    await eventually(
      async () =>
        (
          await request(url)
            .get('/api/health')
            .catch(() => null)
        )?.status === 200,
      40_000,
      'the restart',
    );
    const run = (await lastScans()).find((candidate) => candidate.id === inFlight.id);
    expect(run?.status).toMatch(/^(ok|partial)$/);
    const symbols = (await request(url).get('/api/market/symbols')).body as Array<{
      freshness: Record<string, { storedCandles: number }>;
    }>;
    const counts = new Set(symbols.map((symbol) => symbol.freshness['5m'].storedCandles));
    expect(counts.size).toBe(1);
    child.kill('SIGTERM');
    await new Promise((resolve) => child!.once('exit', resolve));
    child = null;
  });
});
