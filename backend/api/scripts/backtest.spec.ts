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
import { computeOutcomeStats, parseBinanceKlines, resolveEngineConfig, runBacktest } from '@scanner/signal-core';

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
  const result = spawnSync(process.execPath, [TSX_CLI, '--tsconfig', 'tsconfig.json', 'scripts/backtest.ts', ...args], {
    cwd: API_ROOT,
    env: { ...process.env, INIT_CWD: from, NODE_OPTIONS: '' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const bundledCandles = (symbol: string) =>
  parseBinanceKlines(JSON.parse(gunzipSync(readFileSync(path.join(BUNDLED, `${symbol}-5m.json.gz`))).toString('utf8')));

describe('npm run backtest', () => {
  let work: string;

  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'backtest-cli-'));
    mkdirSync(path.join(work, 'klines'));
    for (const symbol of ['BTCUSDT', 'DOGEUSDT']) {
      copyFileSync(path.join(BUNDLED, `${symbol}-5m.json.gz`), path.join(work, 'klines', `${symbol}-5m.json.gz`));
    }
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('reports, as --json, what signal-core computes over the same files; --data and --config are from the caller’s folder', () => {
    writeFileSync(path.join(work, 'engine.json'), JSON.stringify({ minConfidence: 75 }));
    const run = backtest(work, '--data', 'klines', '--symbols', 'btcusdt,DOGEUSDT', '--interval', '5m', '--config', 'engine.json', '--json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout);

    const config = resolveEngineConfig({ minConfidence: 75 });
    const btc = runBacktest({ BTCUSDT: bundledCandles('BTCUSDT') }, config, { timeframe: '5m' });
    const doge = runBacktest({ DOGEUSDT: bundledCandles('DOGEUSDT') }, config, { timeframe: '5m' });
    expect(report.symbols).toEqual(['BTCUSDT', 'DOGEUSDT']);
    expect(report.candles).toBe(btc.report.candles + doge.report.candles);
    expect(report.perSymbol.BTCUSDT).toEqual({ ...computeOutcomeStats(btc.signals), candles: btc.report.candles });
    expect(report.perSymbol.DOGEUSDT).toEqual({ ...computeOutcomeStats(doge.signals), candles: doge.report.candles });
    expect(report.overall).toEqual(computeOutcomeStats([...btc.signals, ...doge.signals]));
    expect(report.overall.closed).toBeGreaterThan(0);
    // The config file made a difference: the default minConfidence (70) gives other signals.
    const byDefault = runBacktest({ BTCUSDT: bundledCandles('BTCUSDT') }, undefined, { timeframe: '5m' });
    expect(computeOutcomeStats(byDefault.signals)).not.toEqual(computeOutcomeStats(btc.signals));
  });

  it('keeps candles opening in [--from, --to) and prints the table by default', () => {
    const run = backtest(work, '--data', 'klines', '--symbols', 'BTCUSDT', '--from', '2024-08-05T00:00:00Z', '--to', '2024-08-06T00:00:00Z');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('backtest 5m: 1 symbols, 288 candles (2024-08-05T00:00:00.000Z .. 2024-08-06T00:00:00.000Z)');
    expect(run.stdout).toMatch(/by outcome: TP_HIT \d+, SL_HIT \d+, INVALIDATED \d+, EXPIRED \d+/);
    expect(run.stdout).toMatch(/^ALL\s+288\s/m);
  });

  it.each([
    [['--interval', '7m'], /--interval: "7m" is not one of/],
    [['--data', 'nowhere'], /--data: .*nowhere is not a folder/],
    [['--data', 'klines', '--symbols', 'XRPUSDT'], /no kline file for XRPUSDT at 5m/],
    [['--data', 'klines', '--from', 'yesterday'], /--from: "yesterday" is not an ISO-8601 date/],
    [['--data', 'klines', '--from', '2024-08-06', '--to', '2024-08-05'], /--from 2024-08-06 must be before --to 2024-08-05/],
    [['--data', 'klines', '--config', 'missing.json'], /--config: .*missing\.json does not exist/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('rejects %j with exit 2 and a message naming it', (args, message) => {
    const run = backtest(work, ...args);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain('usage: npm run backtest');
    expect(run.stdout).toBe('');
  });

  it('names the file and the candle when a kline file is malformed, and an invalid engine config', () => {
    mkdirSync(path.join(work, 'bad'));
    writeFileSync(path.join(work, 'bad', 'BTCUSDT-5m.json'), JSON.stringify([[1722816000000, '1', '0.5', '0.9', '0.8', '10', 1722816299999]]));
    const bad = backtest(work, '--data', 'bad');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/bad[/\\]BTCUSDT-5m\.json: kline 1722816000000: inconsistent prices/);

    writeFileSync(path.join(work, 'wrong.json'), JSON.stringify({ minConfidence: 'high' }));
    const config = backtest(work, '--data', 'klines', '--config', 'wrong.json');
    expect(config.status).toBe(2);
    expect(config.stderr).toMatch(/--config: .*wrong\.json: .*minConfidence/);
  });
});
