/*
 * npm run backtest -- --data <folder> --symbols BTCUSDT,ETHUSDT --interval 5m [--from ISO] [--to ISO] [--config file.json]
 *                     [--fee-bps 10] [--slippage-bps 0] [--walk-forward is=30d,oos=7d,gap=1d] [--wf-candidates file.json]
 *                     [--monte-carlo 1000 --seed 1] [--threads N] [--db <DATABASE_URL>] [--json]
 *
 * Runs signal-core's engine (the code the live scanner runs) over Binance kline files
 * (<SYMBOL>-<interval>.json or .json.gz, the REST /api/v3/klines rows) or the candles the scanner
 * stored (--db), on worker threads, and reports the outcomes with signal-core's statistics:
 * expectancy over every close after costs, win and hit rates with intervals, the calibration of
 * confidence, the ablation of each condition, and on request walk-forward (out-of-sample figures
 * only) and Monte Carlo bands of drawdown and final R. The command line is read and checked in
 * backtest-args.ts; here the candles are loaded, replayed and reported.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
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
  runBacktest,
  walkForward,
  type BacktestResult,
  type Candle,
  type Signal,
} from '@scanner/signal-core';
import { BacktestThreadPool, defaultThreads } from '../../libs/signal-core/node/backtest-threads';
import { ablationOnReplays, type Replay } from './backtest-ablation';
import {
  backtestUsage,
  parseBacktestArgs,
  redact,
  UsageError,
  type BacktestArgsEnvironment,
  type BacktestCliOptions,
} from './backtest-args';
import { StoredCandles } from './backtest-db';
import { formatBacktestTable, type BacktestCliReport } from './backtest-table';

/** The real disk, the bundled data and npm's INIT_CWD (npm runs this script in backend/api). */
const environment: BacktestArgsEnvironment = {
  userPath: (file) => path.resolve(process.env.INIT_CWD ?? process.cwd(), file),
  defaultDataDir: path.resolve(__dirname, '../../exchange-sim/data'),
  defaultThreads: defaultThreads(),
  readText: (file) => (existsSync(file) ? readFileSync(file, 'utf8') : null),
  isFolder: (folder) => existsSync(folder) && statSync(folder).isDirectory(),
};

function klineFile(dir: string, symbol: string, interval: string): string | null {
  for (const name of [`${symbol}-${interval}.json`, `${symbol}-${interval}.json.gz`]) {
    if (existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}

function availableSymbols(dir: string, interval: string): string[] {
  const suffix = new RegExp(
    `^([A-Z0-9]+)-${interval.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.json(\\.gz)?$`,
  );
  return [
    ...new Set(
      readdirSync(dir)
        .map((f) => suffix.exec(f)?.[1])
        .filter((s): s is string => s !== undefined),
    ),
  ].sort();
}

function loadCandles(
  file: string,
  symbol: string,
  interval: string,
  from: number | null,
  to: number | null,
): Candle[] {
  const bytes = readFileSync(file);
  const text = file.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(rows)) throw new Error(`${file}: expected an array of Binance kline rows`);
  let candles: Candle[];
  try {
    // Files of history may hold exchange halts: the engine treats a hole exactly as live does.
    candles = parseBinanceKlines(rows, { symbol, interval, gaps: 'allow' });
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
  return candles.filter((c) => (from === null || c.openTime >= from) && (to === null || c.openTime < to));
}

class Progress {
  private readonly enabled = process.stderr.isTTY === true;
  tick(done: number, total: number, label: string): void {
    if (!this.enabled) return;
    const width = 30;
    const filled = Math.round((done / Math.max(1, total)) * width);
    process.stderr.write(
      `\r\x1b[2K[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${label}`,
    );
  }
  done(): void {
    if (this.enabled) process.stderr.write('\r\x1b[2K');
  }
}

/**
 * The 1m candles of `symbol` in the data folder (or the database) that fall inside the series, or
 * null: they decide a candle that touched both levels (a 1m backtest needs none).
 */
async function loadFineCandles(
  options: BacktestCliOptions,
  source: StoredCandles | null,
  symbol: string,
  series: readonly Candle[],
): Promise<Candle[] | null> {
  if (options.interval === '1m' || series.length === 0) return null;
  const from = series[0].openTime;
  const to = series[series.length - 1].closeTime + 1;
  let inside: Candle[];
  if (source !== null) {
    inside = await source.candles(symbol, '1m', from, to);
  } else {
    const file = klineFile(options.data!, symbol, '1m');
    if (file === null) return null;
    inside = loadCandles(file, symbol, '1m', from, to);
  }
  return inside.length === 0 ? null : inside;
}

interface LoadedSeries {
  symbols: string[];
  series: Record<string, Candle[]>;
  fine: Record<string, Candle[]>;
}

async function loadSeries(
  options: BacktestCliOptions,
  progress: (done: number, total: number, label: string) => void,
) {
  const source = options.db === null ? null : await StoredCandles.open(options.db);
  try {
    const where = source === null ? `in ${options.data}` : `stored in ${redact(options.db!)}`;
    const symbols =
      options.symbols ??
      (source === null
        ? availableSymbols(options.data!, options.interval)
        : await source.symbols(options.interval));
    if (symbols.length === 0) {
      throw new UsageError(
        source === null
          ? `--data: no <SYMBOL>-${options.interval}.json[.gz] files in ${options.data}`
          : `--db: no ${options.interval} candles ${where}`,
      );
    }
    if (source === null) {
      const missing = symbols.filter((s) => klineFile(options.data!, s, options.interval) === null);
      if (missing.length > 0) {
        throw new UsageError(
          `no kline file for ${missing.join(', ')} at ${options.interval} in ${options.data} (expected e.g. ${missing[0]}-${options.interval}.json or .json.gz)`,
        );
      }
    }
    const loaded: LoadedSeries = { symbols, series: {}, fine: {} };
    for (let i = 0; i < symbols.length; i++) {
      const symbol = symbols[i];
      progress(i, symbols.length, symbol);
      const mine =
        source === null
          ? loadCandles(
              klineFile(options.data!, symbol, options.interval)!,
              symbol,
              options.interval,
              options.from,
              options.to,
            )
          : await source.candles(symbol, options.interval, options.from, options.to);
      loaded.series[symbol] = mine;
      const minutes = await loadFineCandles(options, source, symbol, mine);
      if (minutes !== null) loaded.fine[symbol] = minutes;
    }
    if (source !== null) {
      const empty = symbols.filter((s) => loaded.series[s].length === 0);
      if (empty.length === symbols.length)
        throw new UsageError(
          `--db: no ${options.interval} candles of ${empty.join(', ')} ${where} in the period`,
        );
    }
    return loaded;
  } finally {
    await source?.close();
  }
}

/** The replays: in this thread with --threads 1, else on a pool holding the series. */
interface Replayer {
  replay: Replay;
  close(): Promise<void>;
}

async function replayer(options: BacktestCliOptions, loaded: LoadedSeries): Promise<Replayer> {
  const backtestOptions = { timeframe: options.interval, fineCandles: loaded.fine };
  if (options.threads === 1) {
    return {
      replay: async (config) => runBacktest(loaded.series, config, backtestOptions),
      close: async () => undefined,
    };
  }
  const pool = new BacktestThreadPool(Math.min(options.threads, Math.max(1, loaded.symbols.length)));
  await pool.load(loaded.series, loaded.fine);
  return {
    replay: (config) => pool.replay(config, { timeframe: options.interval }),
    close: () => pool.close(),
  };
}

/** The chosen candidate's signals created in each window's out-of-sample part. */
function outOfSampleSignals(
  report: NonNullable<BacktestCliReport['walkForward']>,
  byCandidate: readonly (readonly Signal[])[],
): Signal[] {
  return report.windows.flatMap((w) =>
    byCandidate[w.chosen].filter((s) => s.createdAt >= w.outOfSample.from && s.createdAt < w.outOfSample.to),
  );
}

async function run(options: BacktestCliOptions): Promise<BacktestCliReport> {
  const bar = new Progress();
  const loaded = await loadSeries(options, (done, total, label) => bar.tick(done, total, `loading ${label}`));
  const { symbols, series, fine } = loaded;
  const candles = symbols.reduce((n, s) => n + series[s].length, 0);
  bar.tick(0, 1, 'replay');
  const engine = await replayer(options, loaded);
  let result: BacktestResult;
  let seconds: number;
  let byCandidate: Signal[][] = [];
  let ablation: BacktestCliReport['ablation'];
  try {
    const started = process.hrtime.bigint();
    result = await engine.replay(options.config);
    seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (options.walkForward !== null) {
      byCandidate = [result.signals];
      for (let i = 0; i < options.candidates.length; i++) {
        bar.tick(i, options.candidates.length, `candidate ${i + 1}`);
        byCandidate.push((await engine.replay(options.candidates[i])).signals);
      }
    }
    // The re-runs on the series already loaded (on every thread of the pool).
    ablation = await ablationOnReplays(
      (config) => engine.replay(config),
      options.config,
      result.signals,
      (key, i) => bar.tick(i, 8, `ablation ${key}`),
    );
  } finally {
    await engine.close();
  }
  const all = result.signals;
  const perSymbol: BacktestCliReport['perSymbol'] = {};
  for (const symbol of symbols) {
    perSymbol[symbol] = {
      ...(result.report.perSymbol[symbol] ?? computeSignalStats([])),
      candles: series[symbol].length,
    };
  }
  let walkForwardReport: BacktestCliReport['walkForward'] = null;
  if (options.walkForward !== null) {
    try {
      walkForwardReport = walkForward(byCandidate, candleRange(series), options.walkForward);
    } catch (error) {
      throw new UsageError(`--walk-forward: ${(error as Error).message}`);
    }
  }
  let monteCarlo: BacktestCliReport['monteCarlo'] = null;
  if (options.monteCarlo !== null) {
    const resample = (signals: readonly Signal[]) => {
      const trades = closedTradeNetR(signals);
      return trades.length === 0
        ? null
        : monteCarloNetR(trades, { runs: options.monteCarlo!, random: mulberry32(options.seed) });
    };
    monteCarlo = {
      seed: options.seed,
      backtest: resample(all),
      outOfSample:
        walkForwardReport === null ? null : resample(outOfSampleSignals(walkForwardReport, byCandidate)),
    };
  }
  bar.done();
  return {
    interval: options.interval,
    source: options.db === null ? 'files' : 'database',
    symbols,
    from: options.from === null ? null : new Date(options.from).toISOString(),
    to: options.to === null ? null : new Date(options.to).toISOString(),
    candles,
    gaps: result.report.gaps,
    threads: options.threads,
    seconds,
    candlesPerSecond: seconds > 0 ? Math.round(candles / seconds) : 0,
    costs: { feeBps: options.config.feeBps, slippageBps: options.config.slippageBps },
    fineCandleSymbols: Object.keys(fine),
    resolutions: result.report.resolutions,
    overall: computeSignalStats(all),
    perSymbol,
    calibration: computeCalibration(all),
    ablation,
    walkForward: walkForwardReport,
    monteCarlo,
  };
}

async function main(): Promise<void> {
  try {
    const parsed = parseBacktestArgs(process.argv.slice(2), environment);
    if (parsed.help) {
      process.stdout.write(`${backtestUsage(environment.defaultThreads)}\n`);
      process.exit(0);
    }
    const report = await run(parsed.options);
    if (parsed.options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else process.stdout.write(`${formatBacktestTable(report)}\n`);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`backtest: ${error.message}\n\n${backtestUsage(environment.defaultThreads)}\n`);
      process.exit(2);
    }
    process.stderr.write(`backtest: ${(error as Error).message}\n`);
    process.exit(1);
  }
}

void main();
