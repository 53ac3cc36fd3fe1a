import { ConfigError } from './config-error';
import { ENV_DEFAULTS, parseEnv } from './env-schema';

const cwd = '/srv/scanner';

function errorFor(env: Record<string, string>): ConfigError {
  try {
    parseEnv(env, cwd);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('parseEnv', () => {
  it('applies every documented default to an empty environment', () => {
    const config = parseEnv({}, cwd);
    expect(config.port).toBe(3000);
    expect(config.role).toBe('all');
    expect(config.databaseUrl).toBeNull();
    expect(config.redisUrl).toBeNull();
    expect(config.dataDir).toBe('/srv/scanner/data');
    expect(config.binanceRestUrl).toBe('https://api.binance.com');
    expect(config.binanceWeightLimit).toBe(6000);
    expect(config.scanTopN).toBe(50);
    expect(config.scanTimeframes).toEqual(['5m']);
    expect(config.scanBatchSize).toBe(100);
    expect(config.scanUniverseGraceMinutes).toBe(1440);
    expect(config.queueLockMs).toBe(30_000);
    expect(config.notifyMinConfidence).toBe(85);
    expect(config.historyRetentionDays).toBe(90);
    expect(config.feeBps).toBe(10);
    expect(config.slippageBps).toBe(0);
    expect(config.notifyMinPTarget).toBeNull();
    expect(config.adminApiKey).toBeNull();
    expect(config.runsApi && config.runsWorkers).toBe(true);
  });

  it('reads the costs and the pTarget threshold as decimals', () => {
    const config = parseEnv({ FEE_BPS: '7.5', SLIPPAGE_BPS: ' 2 ', NOTIFY_MIN_PTARGET: '.55' }, cwd);
    expect([config.feeBps, config.slippageBps, config.notifyMinPTarget]).toEqual([7.5, 2, 0.55]);
  });

  it('parses lists, trims them and upper-cases symbols', () => {
    const config = parseEnv(
      {
        SCAN_TIMEFRAMES: '5m, 1h,5m',
        SCAN_SYMBOLS_ALLOW: 'btcusdt, ETHUSDT',
        CORS_ORIGINS: 'https://a.example,http://localhost:4200',
      },
      cwd,
    );
    expect(config.scanTimeframes).toEqual(['5m', '1h']);
    expect(config.scanSymbolsAllow).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(config.corsOrigins).toEqual(['https://a.example', 'http://localhost:4200']);
  });

  it.each([
    ['PORT', 'abc', /PORT must be an integer from 0 to 65535 \(got "abc"\)/],
    ['PORT', '70000', /PORT must be an integer/],
    ['APP_ROLE', 'scheduler', /APP_ROLE must be one of all, api, worker/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL must be a URL starting with postgres: or postgresql:/],
    ['REDIS_URL', 'not a url', /REDIS_URL must be a URL/],
    ['BINANCE_REST_URL', 'ftp://x', /BINANCE_REST_URL must be a URL starting with http: or https:/],
    ['BINANCE_WEIGHT_LIMIT', '-5', /BINANCE_WEIGHT_LIMIT must be an integer/],
    ['SCAN_TOP_N', '0', /SCAN_TOP_N must be an integer from 1/],
    ['SCAN_TIMEFRAMES', '5m,7m', /SCAN_TIMEFRAMES must be a comma-separated list of Binance intervals/],
    ['SCAN_TIMEFRAMES', '1M', /SCAN_TIMEFRAMES must be a comma-separated list of Binance intervals \(1m 3m/],
    ['SCAN_CRON', 'every minute', /SCAN_CRON must be a cron expression/],
    ['SCAN_SYMBOLS_DENY', 'BTC-USDT', /SCAN_SYMBOLS_DENY must be a comma-separated list of Binance symbols/],
    ['ADMIN_API_KEY', 'short', /ADMIN_API_KEY must be at least 16 characters/],
    ['CORS_ORIGINS', 'https://a.example/path', /CORS_ORIGINS must be a comma-separated list of origins/],
    ['NOTIFY_MIN_CONFIDENCE', '101', /NOTIFY_MIN_CONFIDENCE must be an integer from 0 to 100/],
    ['HISTORY_RETENTION_DAYS', '1.5', /HISTORY_RETENTION_DAYS must be an integer/],
    ['FEE_BPS', 'ten', /FEE_BPS must be a number from 0 to 1000 \(got "ten"\)/],
    ['FEE_BPS', '-1', /FEE_BPS must be a number from 0 to 1000/],
    ['SLIPPAGE_BPS', '1e3', /SLIPPAGE_BPS must be a number from 0 to 1000/],
    ['SLIPPAGE_BPS', '2000', /SLIPPAGE_BPS must be a number from 0 to 1000/],
    ['NOTIFY_MIN_PTARGET', '55', /NOTIFY_MIN_PTARGET must be a number from 0 to 1/],
    ['NOTIFY_MIN_PTARGET', '0.5x', /NOTIFY_MIN_PTARGET must be a number from 0 to 1/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of fatal, error, warn, info, debug, verbose/],
    ['QUEUE_PREFIX', 'a b', /QUEUE_PREFIX must be 1 to 40 letters/],
    ['SCAN_BATCH_SIZE', '0', /SCAN_BATCH_SIZE must be an integer from 1 to 1000/],
    ['SCAN_UNIVERSE_GRACE_MINUTES', '-1', /SCAN_UNIVERSE_GRACE_MINUTES must be an integer from 0 to 525600/],
    ['QUEUE_LOCK_MS', '500', /QUEUE_LOCK_MS must be an integer from 1000 to 600000/],
  ])('rejects %s=%s with a one-line message naming it', (variable, value, message) => {
    const error = errorFor({ [variable]: value });
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
  });

  it('never echoes the admin key in its error', () => {
    expect(errorFor({ ADMIN_API_KEY: 'secret123' }).message).not.toContain('secret123');
  });

  it('refuses api and worker roles without Redis and Postgres', () => {
    expect(errorFor({ APP_ROLE: 'worker', DATABASE_URL: 'postgres://h/db' }).message).toMatch(
      /APP_ROLE must be "all" when REDIS_URL is unset/,
    );
    expect(errorFor({ APP_ROLE: 'api', REDIS_URL: 'redis://h:6379' }).message).toMatch(
      /APP_ROLE must be "all" when DATABASE_URL is unset/,
    );
    const config = parseEnv(
      { APP_ROLE: 'worker', REDIS_URL: 'redis://h:6379', DATABASE_URL: 'postgres://h/db' },
      cwd,
    );
    expect(config.runsWorkers).toBe(true);
    expect(config.runsApi).toBe(false);
  });

  it('requires Telegram token and chat id together', () => {
    expect(errorFor({ TELEGRAM_BOT_TOKEN: '123:abc' }).variable).toBe('TELEGRAM_CHAT_ID');
  });

  it('has a default for every variable it documents', () => {
    expect(Object.keys(ENV_DEFAULTS)).toEqual(
      expect.arrayContaining([
        'PORT',
        'APP_ROLE',
        'DATABASE_URL',
        'DATA_DIR',
        'REDIS_URL',
        'BINANCE_REST_URL',
        'BINANCE_WS_URL',
        'BINANCE_WEIGHT_LIMIT',
        'SCAN_TOP_N',
        'SCAN_TIMEFRAMES',
        'SCAN_CRON',
        'SCAN_SYMBOLS_ALLOW',
        'SCAN_SYMBOLS_DENY',
        'ADMIN_API_KEY',
        'CORS_ORIGINS',
        'NOTIFY_MIN_CONFIDENCE',
        'NOTIFY_WEBHOOK_URL',
        'NOTIFY_WEBHOOK_SECRET',
        'TELEGRAM_BOT_TOKEN',
        'TELEGRAM_CHAT_ID',
        'TELEGRAM_API_URL',
        'HISTORY_RETENTION_DAYS',
        'LOG_LEVEL',
      ]),
    );
  });
});

describe('.env.example', () => {
  it('lists exactly the variables of the schema, each with its default', () => {
    const { readFileSync } = jest.requireActual<typeof import('node:fs')>('node:fs');
    const { join } = jest.requireActual<typeof import('node:path')>('node:path');
    const text = readFileSync(join(__dirname, '..', '..', '..', '..', '.env.example'), 'utf8');
    const entries = Object.fromEntries(
      text
        .split('\n')
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    expect(entries).toEqual({ ...ENV_DEFAULTS });
  });
});
