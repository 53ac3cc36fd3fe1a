import { TIMEFRAME_MS } from '@scanner/signal-core';
import { validateCronExpression } from 'cron';
import * as path from 'node:path';
import {
  APP_ROLES,
  AppConfig,
  AppRole,
  BINANCE_INTERVALS,
  BinanceInterval,
  LOG_LEVELS,
  LogLevel,
  MARKET_DATA_SOURCES,
  MarketDataSource,
} from './app-config';
import { ConfigError } from './config-error';

type Env = Record<string, string | undefined>;

/** Every variable the app reads, with its default; `.env.example` mirrors this list. */
export const ENV_DEFAULTS = {
  PORT: '3000',
  APP_ROLE: 'all',
  DATABASE_URL: '',
  DATA_DIR: './data',
  REDIS_URL: '',
  BINANCE_REST_URL: 'https://api.binance.com',
  BINANCE_WS_URL: 'wss://stream.binance.com:9443',
  MARKET_DATA_SOURCE: 'stream',
  BINANCE_WS_MAX_STREAMS: '1024',
  STREAM_TAKEOVER_MS: '30000',
  BINANCE_REST_CONCURRENCY: '8',
  BINANCE_WEIGHT_LIMIT: '6000',
  BINANCE_UNREACHABLE_AFTER_MS: '300000',
  SCAN_TOP_N: '50',
  SCAN_TIMEFRAMES: '5m',
  SCAN_CRON: '0 * * * * *',
  SCAN_SYMBOLS_ALLOW: '',
  SCAN_SYMBOLS_DENY: '',
  SCAN_BATCH_SIZE: '100',
  SCAN_UNIVERSE_GRACE_MINUTES: '1440',
  ADMIN_API_KEY: '',
  CORS_ORIGINS: '',
  NOTIFY_MIN_CONFIDENCE: '85',
  NOTIFY_MIN_PTARGET: '',
  NOTIFY_WEBHOOK_URL: '',
  NOTIFY_WEBHOOK_SECRET: '',
  TELEGRAM_BOT_TOKEN: '',
  TELEGRAM_CHAT_ID: '',
  TELEGRAM_API_URL: 'https://api.telegram.org',
  HISTORY_RETENTION_DAYS: '90',
  FEE_BPS: '10',
  SLIPPAGE_BPS: '0',
  LOG_LEVEL: 'info',
  DASHBOARD_DIR: '',
  QUEUE_PREFIX: 'scanner',
  QUEUE_LOCK_MS: '30000',
  REPLAY_THREADS: '',
  API_RATE_LIMIT: '600',
} as const;

export type EnvVariable = keyof typeof ENV_DEFAULTS;

const SYMBOL_PATTERN = /^[A-Z0-9]{2,20}$/;

class EnvReader {
  constructor(private readonly env: Env) {}

  raw(name: EnvVariable): string {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? ENV_DEFAULTS[name] : value.trim();
  }

  optional(name: EnvVariable): string | null {
    const value = this.raw(name);
    return value === '' ? null : value;
  }

  integer(name: EnvVariable, min: number, max: number): number {
    const value = this.raw(name);
    const parsed = /^-?\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      throw new ConfigError(name, `an integer from ${min} to ${max}`, this.env[name]);
    }
    return parsed;
  }

  /** A finite decimal number in [min, max], e.g. `7.5`. */
  number(name: EnvVariable, min: number, max: number): number {
    const value = this.raw(name);
    const parsed = /^-?(\d+\.?\d*|\.\d+)$/.test(value) ? Number(value) : null;
    if (parsed === null || parsed < min || parsed > max) {
      throw new ConfigError(name, `a number from ${min} to ${max}`, this.env[name]);
    }
    return parsed;
  }

  /** Like `number`, or null when unset. */
  optionalNumber(name: EnvVariable, min: number, max: number): number | null {
    return this.optional(name) === null ? null : this.number(name, min, max);
  }

  oneOf<T extends string>(name: EnvVariable, allowed: readonly T[]): T {
    const value = this.raw(name);
    if (!(allowed as readonly string[]).includes(value)) {
      throw new ConfigError(name, `one of ${allowed.join(', ')}`, this.env[name]);
    }
    return value as T;
  }

  url(name: EnvVariable, protocols: string[]): string | null {
    const value = this.optional(name);
    if (value === null) return null;
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new ConfigError(name, `a URL starting with ${protocols.join(' or ')}`, this.env[name]);
    }
    if (!protocols.includes(parsed.protocol)) {
      throw new ConfigError(name, `a URL starting with ${protocols.join(' or ')}`, this.env[name]);
    }
    return value.replace(/\/+$/, '');
  }

  requiredUrl(name: EnvVariable, protocols: string[]): string {
    return this.url(name, protocols) as string;
  }

  list(name: EnvVariable): string[] {
    return this.raw(name)
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }

  symbols(name: EnvVariable): string[] {
    const symbols = this.list(name).map((symbol) => symbol.toUpperCase());
    const bad = symbols.find((symbol) => !SYMBOL_PATTERN.test(symbol));
    if (bad !== undefined) {
      throw new ConfigError(
        name,
        'a comma-separated list of Binance symbols such as BTCUSDT,ETHUSDT',
        this.env[name],
      );
    }
    return [...new Set(symbols)];
  }
}

/**
 * Validates the environment once at boot. Throws a ConfigError naming the first bad variable;
 * the caller prints its one-line message and exits non-zero.
 */
export function parseEnv(env: Env, cwd: string = process.cwd()): AppConfig {
  const read = new EnvReader(env);
  const config = new AppConfig();
  config.port = read.integer('PORT', 0, 65535);
  config.role = read.oneOf<AppRole>('APP_ROLE', APP_ROLES);
  config.databaseUrl = read.url('DATABASE_URL', ['postgres:', 'postgresql:']);
  config.dataDir = path.resolve(cwd, read.raw('DATA_DIR'));
  config.redisUrl = read.url('REDIS_URL', ['redis:', 'rediss:']);
  config.binanceRestUrl = read.requiredUrl('BINANCE_REST_URL', ['http:', 'https:']);
  config.binanceWsUrl = read.requiredUrl('BINANCE_WS_URL', ['ws:', 'wss:']);
  config.marketDataSource = read.oneOf<MarketDataSource>('MARKET_DATA_SOURCE', MARKET_DATA_SOURCES);
  config.binanceWsMaxStreams = read.integer('BINANCE_WS_MAX_STREAMS', 1, 1024);
  config.streamTakeoverMs = read.integer('STREAM_TAKEOVER_MS', 3000, 600_000);
  config.binanceRestConcurrency = read.integer('BINANCE_REST_CONCURRENCY', 1, 64);
  config.binanceWeightLimit = read.integer('BINANCE_WEIGHT_LIMIT', 100, 1_000_000);
  config.binanceUnreachableAfterMs = read.integer('BINANCE_UNREACHABLE_AFTER_MS', 1000, 86_400_000);
  config.scanTopN = read.integer('SCAN_TOP_N', 1, 1000);
  config.scanTimeframes = parseTimeframes(read);
  config.scanCron = parseCron(read);
  config.scanSymbolsAllow = read.symbols('SCAN_SYMBOLS_ALLOW');
  config.scanSymbolsDeny = read.symbols('SCAN_SYMBOLS_DENY');
  config.scanBatchSize = read.integer('SCAN_BATCH_SIZE', 1, 1000);
  config.scanUniverseGraceMinutes = read.integer('SCAN_UNIVERSE_GRACE_MINUTES', 0, 525_600);
  config.adminApiKey = parseAdminKey(read);
  config.corsOrigins = parseOrigins(read);
  config.notifyMinConfidence = read.integer('NOTIFY_MIN_CONFIDENCE', 0, 100);
  config.notifyMinPTarget = read.optionalNumber('NOTIFY_MIN_PTARGET', 0, 1);
  config.notifyWebhookUrl = read.url('NOTIFY_WEBHOOK_URL', ['http:', 'https:']);
  config.notifyWebhookSecret = read.optional('NOTIFY_WEBHOOK_SECRET');
  config.telegramBotToken = read.optional('TELEGRAM_BOT_TOKEN');
  config.telegramChatId = read.optional('TELEGRAM_CHAT_ID');
  config.telegramApiUrl = read.requiredUrl('TELEGRAM_API_URL', ['http:', 'https:']);
  config.historyRetentionDays = read.integer('HISTORY_RETENTION_DAYS', 1, 36_500);
  config.feeBps = read.number('FEE_BPS', 0, 1000);
  config.slippageBps = read.number('SLIPPAGE_BPS', 0, 1000);
  config.logLevel = read.oneOf<LogLevel>('LOG_LEVEL', LOG_LEVELS);
  const dashboardDir = read.optional('DASHBOARD_DIR');
  config.dashboardDir = dashboardDir === null ? null : path.resolve(cwd, dashboardDir);
  config.queuePrefix = parseQueuePrefix(read);
  config.queueLockMs = read.integer('QUEUE_LOCK_MS', 1000, 600_000);
  config.replayThreads =
    read.optional('REPLAY_THREADS') === null ? null : read.integer('REPLAY_THREADS', 1, 256);
  config.apiRateLimit = read.integer('API_RATE_LIMIT', 1, 1_000_000);
  checkCombinations(config, env);
  return config;
}

/** Binance intervals the engine can scan: fixed-length ones (not 1s, not the calendar month 1M). */
const SCANNABLE_INTERVALS = BINANCE_INTERVALS.filter((interval) => interval in TIMEFRAME_MS);

function parseTimeframes(read: EnvReader): BinanceInterval[] {
  const timeframes = read.list('SCAN_TIMEFRAMES');
  const valid = SCANNABLE_INTERVALS as readonly string[];
  if (timeframes.length === 0 || timeframes.some((tf) => !valid.includes(tf))) {
    throw new ConfigError(
      'SCAN_TIMEFRAMES',
      `a comma-separated list of Binance intervals (${SCANNABLE_INTERVALS.join(' ')})`,
      read.raw('SCAN_TIMEFRAMES'),
    );
  }
  return [...new Set(timeframes)] as BinanceInterval[];
}

function parseCron(read: EnvReader): string {
  const expression = read.raw('SCAN_CRON');
  if (!validateCronExpression(expression).valid) {
    throw new ConfigError('SCAN_CRON', 'a cron expression such as "0 * * * * *" (every minute)', expression);
  }
  return expression;
}

function parseAdminKey(read: EnvReader): string | null {
  const key = read.optional('ADMIN_API_KEY');
  if (key !== null && key.length < 16) {
    throw new ConfigError(
      'ADMIN_API_KEY',
      'at least 16 characters (or unset to disable admin routes)',
      '<hidden>',
    );
  }
  return key;
}

function parseOrigins(read: EnvReader): string[] {
  const origins = read.list('CORS_ORIGINS');
  for (const origin of origins) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = null;
    }
    if (parsed === null || !['http:', 'https:'].includes(parsed.protocol) || parsed.origin !== origin) {
      throw new ConfigError(
        'CORS_ORIGINS',
        'a comma-separated list of origins such as https://scanner.example.com',
        origin,
      );
    }
  }
  return origins;
}

function parseQueuePrefix(read: EnvReader): string {
  const prefix = read.raw('QUEUE_PREFIX');
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(prefix)) {
    throw new ConfigError('QUEUE_PREFIX', '1 to 40 letters, digits, "-" or "_"', prefix);
  }
  return prefix;
}

function checkCombinations(config: AppConfig, env: Env): void {
  if (config.role !== 'all' && config.redisUrl === null) {
    throw new ConfigError(
      'APP_ROLE',
      '"all" when REDIS_URL is unset (api and worker processes share jobs through Redis)',
      env.APP_ROLE,
    );
  }
  if (config.role !== 'all' && config.databaseUrl === null) {
    throw new ConfigError(
      'APP_ROLE',
      '"all" when DATABASE_URL is unset (the embedded database belongs to one process)',
      env.APP_ROLE,
    );
  }
  if ((config.telegramBotToken === null) !== (config.telegramChatId === null)) {
    throw new ConfigError(
      'TELEGRAM_CHAT_ID',
      'set together with TELEGRAM_BOT_TOKEN (both or neither)',
      env.TELEGRAM_CHAT_ID,
    );
  }
}
