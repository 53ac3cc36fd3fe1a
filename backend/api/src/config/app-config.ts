export const APP_ROLES = ['all', 'api', 'worker'] as const;
export type AppRole = (typeof APP_ROLES)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Binance kline intervals (case-sensitive, as the exchange spells them). */
export const BINANCE_INTERVALS = [
  '1s',
  '1m',
  '3m',
  '5m',
  '15m',
  '30m',
  '1h',
  '2h',
  '4h',
  '6h',
  '8h',
  '12h',
  '1d',
  '3d',
  '1w',
  '1M',
] as const;
export type BinanceInterval = (typeof BINANCE_INTERVALS)[number];

/** Where closed candles come from: Binance kline streams (REST for warm-up and gaps), or REST polling. */
export const MARKET_DATA_SOURCES = ['stream', 'poll'] as const;
export type MarketDataSource = (typeof MARKET_DATA_SOURCES)[number];

/** The validated configuration of one process (DESIGN §9). Built once at boot by `parseEnv`. */
export class AppConfig {
  port!: number;
  role!: AppRole;
  databaseUrl!: string | null;
  dataDir!: string;
  redisUrl!: string | null;
  binanceRestUrl!: string;
  binanceWsUrl!: string;
  /** `stream` (default): kline streams, REST only for warm-up and gaps; `poll`: the cron REST scan. */
  marketDataSource!: MarketDataSource;
  /** Streams per WebSocket connection (Binance allows at most 1024). */
  binanceWsMaxStreams!: number;
  /** With Redis, another process takes over the streams within this long after their holder dies. */
  streamTakeoverMs!: number;
  /** Binance REST requests in flight per process, so a surprise 429 finds few outstanding. */
  binanceRestConcurrency!: number;
  binanceWeightLimit!: number;
  /** After this long with every Binance request failing, readiness reports the exchange unreachable. */
  binanceUnreachableAfterMs!: number;
  scanTopN!: number;
  scanTimeframes!: BinanceInterval[];
  scanCron!: string;
  scanSymbolsAllow!: string[];
  scanSymbolsDeny!: string[];
  /** Symbols per `scan-batch` job: the unit several workers share a scan by. */
  scanBatchSize!: number;
  /**
   * A symbol out of the universe for longer than this (exchange time) has left for good: its ACTIVE
   * signals are cancelled. Delisted, halted or -1121 symbols are cancelled at once.
   */
  scanUniverseGraceMinutes!: number;
  adminApiKey!: string | null;
  corsOrigins!: string[];
  notifyMinConfidence!: number;
  /** Notify a created signal only when its pTarget is at least this (0..1); null = no such filter. A signal without pTarget is then not notified. */
  notifyMinPTarget!: number | null;
  notifyWebhookUrl!: string | null;
  notifyWebhookSecret!: string | null;
  telegramBotToken!: string | null;
  telegramChatId!: string | null;
  telegramApiUrl!: string;
  historyRetentionDays!: number;
  /** Exchange fee per side in basis points (the engine's feeBps: net R of every close). */
  feeBps!: number;
  /** Assumed slippage per side in basis points (the engine's slippageBps). */
  slippageBps!: number;
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
  /** Worker threads of an A/B replay in this process; null = every core, 1 = in the job's own thread. */
  replayThreads!: number | null;
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
}
