/**
 * Scan benchmark (issue 3): wall time of a cold scan (full history) and of steady-state scans for
 * 50 symbols × 1 timeframe and 400 symbols × 4 timeframes, against the exchange simulator in a child
 * process with 50 ms ± 10 ms latency per request; weight and bytes per scan; peak RSS of this process
 * (the scanner: app, database driver, HTTP client). Run: `npm run bench:scan -w @scanner/api`.
 * DATABASE_URL set: a fresh Postgres database per case; otherwise embedded PGlite in a temp folder.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { RunningApp, startApp } from '../src/bootstrap';
import { parseEnv } from '../src/config/env-schema';
import { BinanceClient } from '../src/market-data/binance-client';
import { ScanBatchService } from '../src/signal-engine/scan-batch.service';
import { UniverseService } from '../src/market-data/universe.service';
import { machineLine } from './machine-load';
import { startSimProcess } from '../scripts/child-process-sim';

interface BenchCase {
  symbols: number;
  timeframes: string[];
  steadyScans: number;
}

const CASES: BenchCase[] = [
  { symbols: 50, timeframes: ['5m'], steadyScans: 3 },
  { symbols: 400, timeframes: ['5m', '15m', '1h', '4h'], steadyScans: 1 },
];

interface ScanFigures {
  label: string;
  ms: number;
  requests: number;
  weight: number;
  bytes: number;
  newCandles: number;
  failed: number;
  firstError: string | null;
}

async function main(): Promise<void> {
  const machine = await machineLine();
  const figures: { benchCase: BenchCase; scans: ScanFigures[] }[] = [];
  // BENCH_CASES=400 runs only the cases of that many symbols.
  const only = process.env.BENCH_CASES?.split(',').map(Number);
  for (const benchCase of CASES.filter((c) => only === undefined || only.includes(c.symbols)))
    figures.push({ benchCase, scans: await runCase(benchCase) });
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    `\nscan benchmark — simulator in a child process, 50 ms ± 10 ms latency per request\n${machine}\n`,
  );
  for (const { benchCase, scans } of figures) {
    const series = benchCase.symbols * benchCase.timeframes.length;
    process.stdout.write(
      `\n${benchCase.symbols} symbols × ${benchCase.timeframes.length} timeframe(s) (${benchCase.timeframes.join(',')}) = ${series} series\n`,
    );
    for (const scan of scans) {
      process.stdout.write(
        `  ${scan.label.padEnd(9)} ${String(scan.ms).padStart(6)} ms  requests ${String(scan.requests).padStart(5)}  weight ${String(scan.weight).padStart(5)}` +
          ` (${(scan.weight / series).toFixed(2)}/series)  bytes ${String(scan.bytes).padStart(10)}  new closed candles ${String(scan.newCandles).padStart(7)}  failed ${scan.failed}\n` +
          (scan.firstError === null ? '' : `            first failure: ${scan.firstError}\n`),
      );
    }
  }
  process.stdout.write(`\npeak RSS of the scanner process: ${peakRssMb.toFixed(0)} MB\n`);
}

async function runCase(benchCase: BenchCase): Promise<ScanFigures[]> {
  // Start a few seconds before a 5-minute boundary of the data, real-time clock: after the wait for
  // the next calendar minute at least one new 5m candle has closed, as in a live steady state.
  const sim = await startSimProcess([
    '--port',
    '0',
    '--latency',
    '50',
    '--jitter',
    '10',
    '--intervals',
    benchCase.timeframes.join(','),
    '--start',
    '2024-08-05T10:04:00Z',
    '--speed',
    '1',
    '--synthetic-symbols',
    String(Math.max(0, benchCase.symbols - 34)),
  ]);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'scanner-bench-'));
  let database: Awaited<ReturnType<typeof freshDatabase>> = null;
  let running: RunningApp | null = null;
  try {
    database = await freshDatabase(`bench_${process.pid}_${benchCase.symbols}`);
    running = await startApp(
      parseEnv({
        PORT: '0',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'error',
        BINANCE_REST_URL: sim.url,
        SCAN_TOP_N: String(benchCase.symbols),
        SCAN_TIMEFRAMES: benchCase.timeframes.join(','),
        SCAN_CRON: '0 0 0 1 1 *',
        ...(database ? { DATABASE_URL: database.url } : {}),
      }),
      { host: '127.0.0.1' },
    );
    const app = running.app;
    await app.get(UniverseService).refresh();
    const scans: ScanFigures[] = [await measure(app.get(ScanBatchService), app.get(BinanceClient), 'cold')];
    for (let i = 1; i <= benchCase.steadyScans; i++) {
      // One scan per calendar minute, as the cron runs it: each starts with a fresh minute of weight.
      await new Promise((resolve) => setTimeout(resolve, 60_000 - (Date.now() % 60_000) + 200));
      scans.push(await measure(app.get(ScanBatchService), app.get(BinanceClient), `steady ${i}`));
    }
    return scans;
  } finally {
    await running?.close();
    await sim.stop();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function measure(scans: ScanBatchService, client: BinanceClient, label: string): Promise<ScanFigures> {
  const before = client.stats();
  const started = performance.now();
  const { results } = await scans.scanNow('bench');
  const ms = Math.round(performance.now() - started);
  const after = client.stats();
  return {
    label,
    ms,
    requests: after.requests - before.requests,
    weight: after.weight - before.weight,
    bytes: after.bytes - before.bytes,
    newCandles: results.reduce((sum, result) => sum + result.newClosed.length, 0),
    failed: results.filter((result) => result.error !== undefined).length,
    firstError: results.find((result) => result.error !== undefined)?.error ?? null,
  };
}

async function freshDatabase(name: string): Promise<{ url: string; drop(): Promise<void> } | null> {
  const base = process.env.DATABASE_URL;
  if (!base) return null;
  const admin = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: base });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`bench:scan failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
