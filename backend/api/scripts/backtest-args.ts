/**
 * The command line of `npm run backtest`: parsed and validated into BacktestCliOptions, every problem
 * a UsageError naming the flag it came from. Pure: the files the flags name are read, and paths
 * resolved, through the BacktestArgsEnvironment the caller gives (backtest.ts: the real disk and
 * npm's INIT_CWD).
 */
import { parseArgs } from 'node:util';
import {
  InvalidEngineConfigError,
  MONTE_CARLO_MAX_RUNS,
  parseWalkForwardSpec,
  resolveEngineConfig,
  TIMEFRAME_MS,
  type EngineConfig,
  type EngineConfigOverrides,
  type WalkForwardSpec,
} from '@scanner/signal-core';

/** A problem with what the user typed: the CLI prints it with the usage and exits with 2. */
export class UsageError extends Error {}

export function backtestUsage(defaultThreads: number): string {
  return `usage: npm run backtest -- [--data <folder> | --db <url>] [--symbols BTCUSDT,ETHUSDT] [--interval 5m] [--from ISO] [--to ISO] [--config file.json] [--fee-bps N] [--slippage-bps N]
                    [--walk-forward is=30d,oos=7d[,gap=1d][,step=7d]] [--wf-candidates file.json] [--monte-carlo RUNS [--seed N]] [--threads N] [--json]
  --data      folder of Binance kline files <SYMBOL>-<interval>.json[.gz] (default: the bundled backend/exchange-sim/data)
  --db        Postgres URL (e.g. "$DATABASE_URL"): replay the candles the scanner stored, read-only, instead of files
  --symbols   comma list (default: every symbol with a file, or stored candles, for the interval)
  --interval  kline interval (default 5m)
  --from/--to keep candles opening in [from, to) (ISO-8601)
  --config    JSON file of engine config overrides (validated; defaults otherwise)
  --fee-bps   exchange fee per side in basis points (default 10, Binance spot taker); overrides --config
  --slippage-bps  slippage per side in basis points (default 0); overrides --config
  --walk-forward  rolling windows: is= in-sample, oos= out-of-sample, gap= embargo between them (default 0),
              step= (default oos); lengths in candles (2000) or m/h/d/w (30d). Reports out-of-sample figures only
  --wf-candidates JSON file: an array of engine config overrides (on top of --config) to choose from on each
              in-sample window, beside the base configuration (candidate 0)
  --monte-carlo   resample the closed trades' net R RUNS times (bootstrap with replacement, up to ${MONTE_CARLO_MAX_RUNS}):
              5/50/95% bands of max drawdown and final R (of the out-of-sample trades too with --walk-forward)
  --seed      integer seed of --monte-carlo (default 1): the same seed gives the same bands
  --threads   worker threads of the replay (default: every core, ${defaultThreads} here); 1 = in this thread
  --json      machine-readable output on stdout (the same figures as the table)
1m files (<SYMBOL>-1m.json[.gz]) in the data folder, or stored 1m candles, where they cover the period, decide candles that touch both TP and SL.`;
}

export interface BacktestCliOptions {
  /** Folder of kline files (absolute), or null with --db. */
  data: string | null;
  db: string | null;
  symbols: string[] | null;
  interval: string;
  from: number | null;
  to: number | null;
  config: EngineConfig;
  walkForward: WalkForwardSpec | null;
  candidates: EngineConfig[];
  monteCarlo: number | null;
  seed: number;
  threads: number;
  json: boolean;
}

/** What parsing needs from outside: where the user is, the defaults of this machine, the files. */
export interface BacktestArgsEnvironment {
  /** A path the user typed, made absolute from the folder they typed it in. */
  userPath(file: string): string;
  /** --data when not given (absolute). */
  defaultDataDir: string;
  /** --threads when not given. */
  defaultThreads: number;
  /** The text of a file, or null when there is none at that path. */
  readText(file: string): string | null;
  isFolder(path: string): boolean;
}

export type ParsedBacktestArgs = { help: true } | { help: false; options: BacktestCliOptions };

/** A URL as messages show it: without its password. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparsable URL)';
  }
}

function parseTime(name: string, value: string | undefined): number | null {
  if (value === undefined) return null;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms))
    throw new UsageError(
      `--${name}: "${value}" is not an ISO-8601 date such as 2024-08-05 or 2024-08-05T12:00:00Z`,
    );
  return ms;
}

/** The command line (without node and the script), or a UsageError naming the bad flag. */
export function parseBacktestArgs(argv: readonly string[], env: BacktestArgsEnvironment): ParsedBacktestArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        data: { type: 'string' },
        symbols: { type: 'string' },
        interval: { type: 'string', default: '5m' },
        from: { type: 'string' },
        to: { type: 'string' },
        config: { type: 'string' },
        'fee-bps': { type: 'string' },
        'slippage-bps': { type: 'string' },
        'walk-forward': { type: 'string' },
        'wf-candidates': { type: 'string' },
        'monte-carlo': { type: 'string' },
        seed: { type: 'string' },
        threads: { type: 'string' },
        db: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return { help: true };
  const interval = values.interval ?? '5m';
  if (!(interval in TIMEFRAME_MS))
    throw new UsageError(`--interval: "${interval}" is not one of ${Object.keys(TIMEFRAME_MS).join(', ')}`);
  if (values.db !== undefined && values.data !== undefined)
    throw new UsageError('--data and --db: give one source of candles, files or the database');
  if (values.db !== undefined && !/^postgres(ql)?:\/\//.test(values.db))
    throw new UsageError(`--db: "${redact(values.db)}" is not a postgres:// URL`);
  const db = values.db ?? null;
  const data =
    db !== null ? null : values.data === undefined ? env.defaultDataDir : env.userPath(values.data);
  if (data !== null && !env.isFolder(data)) throw new UsageError(`--data: ${data} is not a folder`);
  const symbols =
    values.symbols === undefined
      ? null
      : values.symbols
          .split(',')
          .map((s) => s.trim().toUpperCase())
          .filter(Boolean);
  if (symbols !== null && symbols.length === 0)
    throw new UsageError('--symbols: give at least one symbol, e.g. BTCUSDT,ETHUSDT');
  const from = parseTime('from', values.from);
  const to = parseTime('to', values.to);
  if (from !== null && to !== null && from >= to)
    throw new UsageError(`--from ${values.from} must be before --to ${values.to}`);
  const config = loadConfig(
    env,
    values.config,
    flagNumber('fee-bps', values['fee-bps']),
    flagNumber('slippage-bps', values['slippage-bps']),
  );
  let walkForwardSpec: WalkForwardSpec | null = null;
  if (values['walk-forward'] !== undefined) {
    try {
      walkForwardSpec = parseWalkForwardSpec(values['walk-forward'], interval);
    } catch (error) {
      throw new UsageError(`--walk-forward: ${(error as Error).message}`);
    }
  }
  if (values['wf-candidates'] !== undefined && walkForwardSpec === null)
    throw new UsageError(
      '--wf-candidates: candidates are chosen between on walk-forward windows; add --walk-forward',
    );
  const candidates =
    values['wf-candidates'] === undefined
      ? []
      : loadCandidates(env, env.userPath(values['wf-candidates']), config);
  const monteCarlo = integerFlag(
    'monte-carlo',
    values['monte-carlo'],
    1,
    MONTE_CARLO_MAX_RUNS,
    'a number of runs, e.g. 1000',
  );
  const seed = integerFlag('seed', values.seed, -(2 ** 31), 2 ** 32 - 1, 'an integer seed, e.g. 42');
  if (seed !== null && monteCarlo === null)
    throw new UsageError('--seed: the seed is for --monte-carlo; add --monte-carlo RUNS');
  const threads = integerFlag('threads', values.threads, 1, 256, 'a number of worker threads, e.g. 2');
  return {
    help: false,
    options: {
      data,
      db,
      symbols,
      interval,
      from,
      to,
      config,
      walkForward: walkForwardSpec,
      candidates,
      monteCarlo,
      seed: seed ?? 1,
      threads: threads ?? env.defaultThreads,
      json: values.json ?? false,
    },
  };
}

function integerFlag(
  name: string,
  value: string | undefined,
  min: number,
  max: number,
  what: string,
): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n))
    throw new UsageError(`--${name}: "${value}" is not ${what}`);
  if (n < min || n > max) throw new UsageError(`--${name}: must be from ${min} to ${max}, got ${n}`);
  return n;
}

/** The JSON in a file a flag names, or a UsageError naming the flag and the file. */
function readJson(env: BacktestArgsEnvironment, flag: string, file: string): unknown {
  const text = env.readText(file);
  if (text === null) throw new UsageError(`${flag}: ${file} does not exist`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${flag}: ${file} is not valid JSON (${(error as Error).message})`);
  }
}

/** --wf-candidates: an array of override objects, each on top of the base configuration, each validated. */
function loadCandidates(env: BacktestArgsEnvironment, file: string, base: EngineConfig): EngineConfig[] {
  const raw = readJson(env, '--wf-candidates', file);
  if (!Array.isArray(raw) || raw.length === 0)
    throw new UsageError(
      `--wf-candidates: ${file}: must be a non-empty JSON array of engine config overrides`,
    );
  return raw.map((overrides: unknown, i) => {
    if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides))
      throw new UsageError(
        `--wf-candidates: ${file}: candidate ${i + 1} must be an object of engine settings`,
      );
    try {
      return resolveEngineConfig(overrides as EngineConfigOverrides, base);
    } catch (error) {
      throw new UsageError(`--wf-candidates: ${file}: candidate ${i + 1}: ${(error as Error).message}`);
    }
  });
}

function flagNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new UsageError(`--${name}: "${value}" is not a number of basis points, e.g. 10`);
  return n;
}

/** The file's overrides, then the cost flags, on the defaults; validated once, each problem named by where it came from. */
function loadConfig(
  env: BacktestArgsEnvironment,
  given: string | undefined,
  feeBps: number | undefined,
  slippageBps: number | undefined,
): EngineConfig {
  const overrides: Record<string, unknown> =
    given === undefined ? {} : readOverrides(env, env.userPath(given));
  if (feeBps !== undefined) overrides.feeBps = feeBps;
  if (slippageBps !== undefined) overrides.slippageBps = slippageBps;
  try {
    return resolveEngineConfig(overrides as EngineConfigOverrides);
  } catch (error) {
    if (!(error instanceof InvalidEngineConfigError)) throw error;
    const flags: Record<string, [string, number | undefined]> = {
      feeBps: ['--fee-bps', feeBps],
      slippageBps: ['--slippage-bps', slippageBps],
    };
    const fromFlags = error.issues.filter((i) => flags[i.field]?.[1] !== undefined);
    if (fromFlags.length > 0)
      throw new UsageError(fromFlags.map((i) => `${flags[i.field][0]}: ${i.message}`).join('; '));
    throw new UsageError(`--config: ${env.userPath(given ?? '')}: ${error.message}`);
  }
}

function readOverrides(env: BacktestArgsEnvironment, file: string): Record<string, unknown> {
  const raw = readJson(env, '--config', file);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new UsageError(`--config: ${file}: must be a JSON object of engine settings`);
  return { ...(raw as Record<string, unknown>) };
}
