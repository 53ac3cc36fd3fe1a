/**
 * The backtest CLI as a user runs it (`npm run backtest -- …` is tsx on scripts/backtest.ts in
 * backend/api, with the caller's folder in INIT_CWD): report figures equal signal-core's runBacktest
 * over the same files, paths are the caller's, and bad input exits with a message naming it.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  candleRange,
  closedTradeNetR,
  computeCalibration,
  computeSignalStats,
  monteCarloNetR,
  mulberry32,
  parseBinanceKlines,
  parseWalkForwardSpec,
  resolveEngineConfig,
  runAblation,
  runBacktest,
  walkForward,
} from '@scanner/signal-core';
import { Client } from 'pg';
import { StoredCandles } from './backtest-db';

const API_ROOT = path.resolve(__dirname, '..');
const BUNDLED = path.resolve(API_ROOT, '../exchange-sim/data');
const TSX_CLI = require.resolve('tsx/cli');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run backtest -- ...args` typed in `from`. */
function backtest(from: string, ...args: string[]): Run {
  const result = spawnSync(
    process.execPath,
    [TSX_CLI, '--tsconfig', 'tsconfig.json', 'scripts/backtest.ts', ...args],
    {
      cwd: API_ROOT,
      env: { ...process.env, INIT_CWD: from, NODE_OPTIONS: '' },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const bundledCandles = (symbol: string) =>
  parseBinanceKlines(
    JSON.parse(gunzipSync(readFileSync(path.join(BUNDLED, `${symbol}-5m.json.gz`))).toString('utf8')),
    {
      symbol,
      interval: '5m',
      gaps: 'allow',
    },
  );

describe('npm run backtest', () => {
  let work: string;

  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'backtest-cli-'));
    mkdirSync(path.join(work, 'klines'));
    for (const symbol of ['BTCUSDT', 'DOGEUSDT']) {
      copyFileSync(
        path.join(BUNDLED, `${symbol}-5m.json.gz`),
        path.join(work, 'klines', `${symbol}-5m.json.gz`),
      );
    }
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('reports, as --json, what signal-core computes over the same files; --data and --config are from the caller’s folder', () => {
    writeFileSync(path.join(work, 'engine.json'), JSON.stringify({ minConfidence: 75 }));
    const run = backtest(
      work,
      '--data',
      'klines',
      '--symbols',
      'btcusdt,DOGEUSDT',
      '--interval',
      '5m',
      '--config',
      'engine.json',
      '--json',
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout);

    const config = resolveEngineConfig({ minConfidence: 75 });
    const candles = { BTCUSDT: bundledCandles('BTCUSDT'), DOGEUSDT: bundledCandles('DOGEUSDT') };
    const btc = runBacktest({ BTCUSDT: candles.BTCUSDT }, config, { timeframe: '5m' });
    const doge = runBacktest({ DOGEUSDT: candles.DOGEUSDT }, config, { timeframe: '5m' });
    const all = [...btc.signals, ...doge.signals];
    expect(report.symbols).toEqual(['BTCUSDT', 'DOGEUSDT']);
    expect(report.candles).toBe(btc.report.candles + doge.report.candles);
    expect(report.costs).toEqual({ feeBps: 10, slippageBps: 0 });
    expect(report.perSymbol.BTCUSDT).toEqual({
      ...computeSignalStats(btc.signals),
      candles: btc.report.candles,
    });
    expect(report.perSymbol.DOGEUSDT).toEqual({
      ...computeSignalStats(doge.signals),
      candles: doge.report.candles,
    });
    expect(report.overall).toEqual(computeSignalStats(all));
    expect(report.calibration).toEqual(JSON.parse(JSON.stringify(computeCalibration(all))));
    expect(report.ablation).toEqual(
      JSON.parse(JSON.stringify(runAblation(candles, config, { timeframe: '5m' }, all))),
    );
    // Expectancy is the mean net R of every close, whatever its outcome.
    const closed = all.filter((s) => s.status !== 'ACTIVE');
    expect(report.overall.closed).toBeGreaterThan(0);
    expect(report.overall.expectancyR).toBeCloseTo(
      closed.reduce((sum, s) => sum + s.netR!, 0) / closed.length,
      12,
    );
    expect(report.fineCandleSymbols).toEqual([]);
    // The config file made a difference: the default minConfidence (70) gives other signals.
    const byDefault = runBacktest({ BTCUSDT: candles.BTCUSDT }, undefined, { timeframe: '5m' });
    expect(computeSignalStats(byDefault.signals)).not.toEqual(computeSignalStats(btc.signals));
  });

  it('takes costs from --fee-bps and --slippage-bps over the config file; without costs net equals gross', () => {
    writeFileSync(path.join(work, 'costly.json'), JSON.stringify({ feeBps: 50 }));
    const free = JSON.parse(
      backtest(
        work,
        '--data',
        'klines',
        '--symbols',
        'BTCUSDT',
        '--config',
        'costly.json',
        '--fee-bps',
        '0',
        '--slippage-bps',
        '0',
        '--json',
      ).stdout,
    );
    expect(free.costs).toEqual({ feeBps: 0, slippageBps: 0 });
    expect(free.overall.expectancyR).toBeCloseTo(free.overall.expectancyGrossR, 12);
    const costly = JSON.parse(
      backtest(
        work,
        '--data',
        'klines',
        '--symbols',
        'BTCUSDT',
        '--config',
        'costly.json',
        '--slippage-bps',
        '5',
        '--json',
      ).stdout,
    );
    expect(costly.costs).toEqual({ feeBps: 50, slippageBps: 5 });
    expect(costly.overall.expectancyGrossR).toBeCloseTo(free.overall.expectancyGrossR, 12);
    expect(costly.overall.expectancyR).toBeLessThan(free.overall.expectancyR - 0.1);
  });

  it('uses the 1m file of a symbol where it covers the period to decide candles touching both levels', () => {
    mkdirSync(path.join(work, 'with-1m'));
    copyFileSync(path.join(BUNDLED, 'BTCUSDT-5m.json.gz'), path.join(work, 'with-1m', 'BTCUSDT-5m.json.gz'));
    const fives = bundledCandles('BTCUSDT');
    // 1m candles for the first two hours, each inside its 5m candle's range (open, high, low, close of the 5m one).
    const minutes = fives.slice(0, 24).flatMap((c) =>
      [0, 1, 2, 3, 4].map((i) => {
        const t = c.openTime + i * 60_000;
        return [
          t,
          String(c.open),
          String(c.high),
          String(c.low),
          String(c.close),
          '1',
          t + 59_999,
          '1',
          0,
          '0',
          '0',
          '0',
        ];
      }),
    );
    writeFileSync(path.join(work, 'with-1m', 'BTCUSDT-1m.json'), JSON.stringify(minutes));
    const report = JSON.parse(backtest(work, '--data', 'with-1m', '--json').stdout);
    expect(report.symbols).toEqual(['BTCUSDT']);
    expect(report.fineCandleSymbols).toEqual(['BTCUSDT']);
    const ones = parseBinanceKlines(minutes, { symbol: 'BTCUSDT', interval: '1m' });
    const expected = runBacktest({ BTCUSDT: fives }, undefined, {
      timeframe: '5m',
      fineCandles: { BTCUSDT: ones },
    });
    expect(report.overall).toEqual(JSON.parse(JSON.stringify(expected.report.perSymbol.BTCUSDT)));
    expect(report.resolutions).toEqual(expected.report.resolutions);
  });

  it('keeps candles opening in [--from, --to) and prints the table by default: expectancy, rates, calibration, ablation', () => {
    const run = backtest(
      work,
      '--data',
      'klines',
      '--symbols',
      'BTCUSDT',
      '--from',
      '2024-08-05T00:00:00Z',
      '--to',
      '2024-08-06T00:00:00Z',
    );
    expect(run.status).toBe(0);
    const out = run.stdout;
    expect(out).toContain(
      'backtest 5m: 1 symbols, 288 candles (2024-08-05T00:00:00.000Z .. 2024-08-06T00:00:00.000Z)',
    );
    expect(out).toContain('costs per side: fee 10 bps + slippage 0 bps');
    expect(out).toMatch(
      /expectancy \(mean net R of all \d+ closes\): [+-]\d\.\d{3} R {3}gross [+-]\d\.\d{3} R/,
    );
    expect(out).toMatch(
      /win rate {2}TP\/\(TP\+SL\) +\d+\.\d% {2}\[\d+\.\d%, \d+\.\d%\] +n=\d+ \(fewer than 30: low sample\)/,
    );
    expect(out).toMatch(/hit rate {2}TP\/all closed +\d+\.\d%/);
    for (const status of ['TP_HIT', 'SL_HIT', 'INVALIDATED', 'EXPIRED', 'CANCELLED'])
      expect(out).toMatch(new RegExp(`^  ${status} \\d+`, 'm'));
    expect(out).toMatch(/^70–74 +\d+/m);
    expect(out).toMatch(/^95–100 +\d+/m);
    expect(out).toMatch(/Brier score (\d\.\d{3}|-) over \d+ TP\/SL closes/);
    expect(out).toMatch(/rank correlation \(Spearman\) of confidence with net R over \d+ closes/);
    for (const key of [
      'macd_cross',
      'rsi_zone',
      'trend_ema50',
      'ema_stack',
      'adx_trend',
      'heikin_ashi',
      'trend_ema200',
      'bb_position',
    ]) {
      expect(out).toMatch(new RegExp(`^${key} +\\d+ `, 'm'));
    }
    expect(out).toMatch(/^ALL\s+288\s/m);
  });

  it('adds walk-forward (out of sample only) and seeded Monte Carlo bands equal to signal-core’s, the same on 1 and 2 threads', () => {
    writeFileSync(path.join(work, 'candidates.json'), JSON.stringify([{ minConfidence: 80 }]));
    const args = [
      '--data',
      'klines',
      '--walk-forward',
      'is=3d,oos=1d,gap=2h',
      '--wf-candidates',
      'candidates.json',
      '--monte-carlo',
      '300',
      '--seed',
      '42',
      '--json',
    ];
    const two = backtest(work, ...args, '--threads', '2');
    expect(two.stderr).toBe('');
    expect(two.status).toBe(0);
    const report = JSON.parse(two.stdout);
    const one = JSON.parse(backtest(work, ...args, '--threads', '1').stdout);
    expect(report.threads).toBe(2);
    expect(one.threads).toBe(1);
    const strip = (r: Record<string, unknown>) => ({ ...r, threads: 0, seconds: 0, candlesPerSecond: 0 });
    expect(strip(one)).toEqual(strip(report));

    const candles = { BTCUSDT: bundledCandles('BTCUSDT'), DOGEUSDT: bundledCandles('DOGEUSDT') };
    const base = resolveEngineConfig({});
    const candidate = resolveEngineConfig({ minConfidence: 80 });
    const replays = [base, candidate].map((c) => runBacktest(candles, c, { timeframe: '5m' }).signals);
    const wf = walkForward(replays, candleRange(candles), parseWalkForwardSpec('is=3d,oos=1d,gap=2h', '5m'));
    expect(report.walkForward).toEqual(JSON.parse(JSON.stringify(wf)));
    expect(report.walkForward.windows.length).toBeGreaterThan(0);
    const outOfSample = wf.windows.flatMap((w) =>
      replays[w.chosen].filter((s) => s.createdAt >= w.outOfSample.from && s.createdAt < w.outOfSample.to),
    );
    expect(report.monteCarlo).toEqual({
      seed: 42,
      backtest: monteCarloNetR(closedTradeNetR(replays[0]), { runs: 300, random: mulberry32(42) }),
      outOfSample: monteCarloNetR(closedTradeNetR(outOfSample), { runs: 300, random: mulberry32(42) }),
    });

    const table = backtest(
      work,
      '--data',
      'klines',
      '--walk-forward',
      'is=3d,oos=1d',
      '--monte-carlo',
      '100',
    ).stdout;
    expect(table).toMatch(
      /^walk-forward: in-sample 3d, gap 0, out-of-sample 1d, step 1d; \d+ windows, 1 candidate configuration$/m,
    );
    expect(table).toContain('every figure below is OUT OF SAMPLE');
    expect(table).toMatch(/^out of sample, all windows: \d+ closes, expectancy [+-]\d\.\d{3} R net/m);
    expect(table).toMatch(
      /^Monte Carlo: 100 resampled sequences of the closed trades' net R \(bootstrap with replacement\), seed 1$/m,
    );
    expect(table).toMatch(/^backtest +\d+ +[+-]\d+\.\d{2}/m);
    expect(table).toMatch(/^out of sample +\d+ /m);
  });

  it.each([
    [['--data', 'klines', '--monte-carlo', '0'], /--monte-carlo: must be from 1 to 1000000, got 0/],
    [['--data', 'klines', '--monte-carlo', 'many'], /--monte-carlo: "many" is not a number of runs/],
    [['--data', 'klines', '--monte-carlo', '10', '--seed', '1.5'], /--seed: "1.5" is not an integer seed/],
    [['--data', 'klines', '--seed', '4'], /--seed: the seed is for --monte-carlo; add --monte-carlo RUNS/],
    [['--data', 'klines', '--threads', '0'], /--threads: must be from 1 to 256, got 0/],
    [
      ['--data', 'klines', '--walk-forward', 'is=7d'],
      /--walk-forward: both is=<length> and oos=<length> are required/,
    ],
    [['--data', 'klines', '--walk-forward', 'is=7d,oos=1x'], /--walk-forward: "oos=1x" is not key=length/],
    [
      ['--data', 'klines', '--walk-forward', 'is=60d,oos=30d'],
      /--walk-forward: no walk-forward window fits: one needs 90\.00 days .* the data spans 14\.00 days/,
    ],
    [['--data', 'klines', '--wf-candidates', 'candidates.json'], /--wf-candidates: .*add --walk-forward/],
    [
      ['--data', 'klines', '--walk-forward', 'is=3d,oos=1d', '--wf-candidates', 'nope.json'],
      /--wf-candidates: .*nope\.json does not exist/,
    ],
    [
      ['--data', 'klines', '--db', 'postgres://x@127.0.0.1/db'],
      /--data and --db: give one source of candles/,
    ],
    [
      ['--db', 'mysql://user:secret@host/db'],
      /--db: "mysql:\/\/user:\*\*\*@host\/db" is not a postgres:\/\/ URL/,
    ],
  ])('rejects research flags %j with exit 2 and a message naming it', (args, message) => {
    writeFileSync(path.join(work, 'candidates.json'), JSON.stringify([{ minConfidence: 80 }]));
    const run = backtest(work, ...args);
    expect(run.stderr).toMatch(message);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
  });

  it.each([
    [['--interval', '7m'], /--interval: "7m" is not one of/],
    [['--data', 'nowhere'], /--data: .*nowhere is not a folder/],
    [['--data', 'klines', '--symbols', 'XRPUSDT'], /no kline file for XRPUSDT at 5m/],
    [['--data', 'klines', '--from', 'yesterday'], /--from: "yesterday" is not an ISO-8601 date/],
    [
      ['--data', 'klines', '--from', '2024-08-06', '--to', '2024-08-05'],
      /--from 2024-08-06 must be before --to 2024-08-05/,
    ],
    [['--data', 'klines', '--config', 'missing.json'], /--config: .*missing\.json does not exist/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['--data', 'klines', '--fee-bps', 'ten'], /--fee-bps: "ten" is not a number of basis points/],
    [['--data', 'klines', '--fee-bps=-1'], /--fee-bps: must be >= 0 and <= 1000, got -1/],
    [['--data', 'klines', '--slippage-bps', '2000'], /--slippage-bps: must be >= 0 and <= 1000, got 2000/],
  ])('rejects %j with exit 2 and a message naming it', (args, message) => {
    const run = backtest(work, ...args);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain('usage: npm run backtest');
    expect(run.stdout).toBe('');
  });

  it('names the file and the candle when a kline file is malformed, and an invalid engine config', () => {
    mkdirSync(path.join(work, 'bad'));
    const row = (openTime: number, high: string) => [
      openTime,
      '1',
      high,
      '0.7',
      '0.8',
      '10',
      openTime + 299_999,
      '8',
      0,
      '0',
      '0',
      '0',
    ];
    writeFileSync(
      path.join(work, 'bad', 'BTCUSDT-5m.json'),
      JSON.stringify([row(1722816000000, '1.1'), row(1722816300000, '0.5')]),
    );
    const bad = backtest(work, '--data', 'bad');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(
      /bad[/\\]BTCUSDT-5m\.json: BTCUSDT 5m: invalid kline at 2024-08-05T00:05:00\.000Z: high 0\.5 is below max\(open 1, close 0\.8\) \(row 1\)/,
    );

    writeFileSync(path.join(work, 'wrong.json'), JSON.stringify({ minConfidence: 'high' }));
    const config = backtest(work, '--data', 'klines', '--config', 'wrong.json');
    expect(config.status).toBe(2);
    expect(config.stderr).toMatch(/--config: .*wrong\.json: .*minConfidence/);
  });

  describe('--db', () => {
    const admin = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const name = `backtest_cli_${process.pid}`;
    const url = (() => {
      const u = new URL(admin);
      u.pathname = `/${name}`;
      return u.toString();
    })();

    beforeAll(async () => {
      const server = new Client({ connectionString: admin });
      await server.connect();
      await server.query(`DROP DATABASE IF EXISTS ${name}`);
      await server.query(`CREATE DATABASE ${name}`);
      await server.end();
      // The candles table as the migrations create it, holding one bundled series as the scanner would.
      const db = new Client({ connectionString: url });
      await db.connect();
      await db.query(`CREATE TABLE candles (
        symbol varchar(20) NOT NULL, interval varchar(4) NOT NULL, open_time bigint NOT NULL,
        open double precision NOT NULL, high double precision NOT NULL, low double precision NOT NULL,
        close double precision NOT NULL, volume double precision NOT NULL, quote_volume double precision NOT NULL,
        close_time bigint NOT NULL, PRIMARY KEY (symbol, interval, open_time))`);
      const btc = bundledCandles('BTCUSDT');
      await db.query(
        `INSERT INTO candles SELECT 'BTCUSDT', '5m', * FROM unnest($1::bigint[], $2::float8[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::bigint[])`,
        [
          btc.map((c) => c.openTime),
          btc.map((c) => c.open),
          btc.map((c) => c.high),
          btc.map((c) => c.low),
          btc.map((c) => c.close),
          btc.map((c) => c.volume),
          btc.map((c) => c.quoteVolume),
          btc.map((c) => c.closeTime),
        ],
      );
      await db.end();
    });

    afterAll(async () => {
      const server = new Client({ connectionString: admin });
      await server.connect();
      await server.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await server.end();
    });

    it('replays the stored candles read-only: the same figures as the files of the same candles', () => {
      const fromDb = backtest(work, '--db', url, '--from', '2024-08-01', '--monte-carlo', '50', '--json');
      expect(fromDb.stderr).toBe('');
      expect(fromDb.status).toBe(0);
      const report = JSON.parse(fromDb.stdout);
      expect(report.source).toBe('database');
      expect(report.symbols).toEqual(['BTCUSDT']);
      const fromFiles = JSON.parse(
        backtest(
          work,
          '--data',
          'klines',
          '--symbols',
          'BTCUSDT',
          '--from',
          '2024-08-01',
          '--monte-carlo',
          '50',
          '--json',
        ).stdout,
      );
      const strip = (r: Record<string, unknown>) => ({ ...r, source: '', seconds: 0, candlesPerSecond: 0 });
      expect(strip(report)).toEqual(strip(fromFiles));
      const btc = bundledCandles('BTCUSDT').filter((c) => c.openTime >= Date.parse('2024-08-01'));
      expect(report.candles).toBe(btc.length);
      expect(report.overall).toEqual(
        JSON.parse(
          JSON.stringify(
            runBacktest({ BTCUSDT: btc }, undefined, { timeframe: '5m' }).report.perSymbol.BTCUSDT,
          ),
        ),
      );
    });

    it('reads through a connection Postgres keeps read-only', async () => {
      const stored = await StoredCandles.open(url);
      try {
        expect(await stored.readOnly()).toBe(true);
        expect(await stored.symbols('5m')).toEqual(['BTCUSDT']);
      } finally {
        await stored.close();
      }
    });

    it('names what is missing: no stored series, and a database it cannot reach (password hidden)', () => {
      const none = backtest(work, '--db', url, '--interval', '1h');
      expect(none.status).toBe(2);
      expect(none.stderr).toMatch(/--db: no 1h candles stored in postgres:\/\//);
      const down = backtest(work, '--db', 'postgres://someone:secret@127.0.0.1:1/nowhere');
      expect(down.status).toBe(1);
      expect(down.stderr).toMatch(
        /--db: cannot connect to postgres:\/\/someone:\*\*\*@127\.0\.0\.1:1\/nowhere/,
      );
      expect(down.stderr).not.toContain('secret');
    });
  });
});
