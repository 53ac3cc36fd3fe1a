export const APP_ROLES = ['all', 'api', 'worker'] as const;
export type AppRole = (typeof APP_ROLES)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Binance kline intervals (case-sensitive, as the exchange spells them). */
export const BINANCE_INTERVALS = [
  '1s', '1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w', '1M',
] as const;
export type BinanceInterval = (typeof BINANCE_INTERVALS)[number];

/** The validated configuration of one process (DESIGN §9). Built once at boot by `parseEnv`. */
export class AppConfig {
  port!: number;
  role!: AppRole;
  databaseUrl!: string | null;
  dataDir!: string;
  redisUrl!: string | null;
  binanceRestUrl!: string;
  binanceWsUrl!: string;
  binanceWeightLimit!: number;
  scanTopN!: number;
  scanTimeframes!: BinanceInterval[];
  scanCron!: string;
  scanSymbolsAllow!: string[];
  scanSymbolsDeny!: string[];
  /** Symbols per `scan-batch` job: the unit several workers share a scan by. */
  scanBatchSize!: number;
  adminApiKey!: string | null;
  corsOrigins!: string[];
  notifyMinConfidence!: number;
  notifyWebhookUrl!: string | null;
  notifyWebhookSecret!: string | null;
  telegramBotToken!: string | null;
  telegramChatId!: string | null;
  telegramApiUrl!: string;
  historyRetentionDays!: number;
  logLevel!: LogLevel;
  /** Folder of the built dashboard served in the `all`/`api` roles; null = do not serve it. */
  dashboardDir!: string | null;
  /** Redis key prefix of the Bull queues: deployments (or test runs) sharing a Redis keep apart by it. */
  queuePrefix!: string;
  /**
   * How long a worker's lock on an active job lasts without renewal (and how often workers look for
   * expired ones): a job whose worker died is retried by another after at most about twice this.
   */
  queueLockMs!: number;
  /** Public API requests per minute per client IP. */
  apiRateLimit!: number;

  /** HTTP, Socket.IO and the cron producers run in this process. */
  get runsApi(): boolean {
    return this.role !== 'worker';
  }

  /** Job processors run in this process. */
  get runsWorkers(): boolean {
    return this.role !== 'api';
  }

  get usesBull(): boolean {
    return this.redisUrl !== null;
  }
}
