import { Injectable, Logger } from '@nestjs/common';
import { appSetting, AppSettingsStore } from '../database';
import { BinanceClient } from './binance-client';

/** The whole exchange halted: no scanned series has a new candle since `since`, and no symbol is TRADING. */
export interface ExchangeHalt {
  /** Exchange time from which no candle opened. */
  since: number;
  /** Host time it was first seen. */
  detectedAt: number;
  /** exchangeInfo statuses of the scanned symbols during the halt (e.g. BREAK). */
  statuses: string[];
}

const HALT = appSetting('exchange-halt', (stored): ExchangeHalt | null => {
  const value = stored as Partial<ExchangeHalt> | null | undefined;
  return value && typeof value.since === 'number' && typeof value.detectedAt === 'number'
    ? {
        since: value.since,
        detectedAt: value.detectedAt,
        statuses: Array.isArray(value.statuses) ? value.statuses : [],
      }
    : null;
});

/** exchangeInfo (weight 20) is asked at most this often while every series is quiet. */
const STATUS_TTL_MS = 60_000;

/**
 * Tells a whole-exchange halt (every series silent, exchangeInfo lists no symbol as TRADING)
 * from series that are merely quiet, and keeps it in app_settings while it lasts so readiness, in any
 * process, can name it. During a halt the scanner records no error per series: the exchange answered.
 */
@Injectable()
export class ExchangeHaltMonitor {
  private readonly logger = new Logger(ExchangeHaltMonitor.name);
  private statuses: { at: number; bySymbol: Map<string, string>; anyTrading: boolean } | null = null;
  /** What this process last wrote or read, so a sync that sees trading costs no query in the usual case. */
  private knownHalted: boolean | null = null;

  constructor(
    private readonly client: BinanceClient,
    private readonly settings: AppSettingsStore,
  ) {}

  /**
   * Every synced series was quiet since `since`: a halt of the whole exchange when exchangeInfo lists
   * no symbol at all as TRADING (one symbol in BREAK, or a sync of a single series, is not a halt).
   */
  async confirm(
    symbols: readonly string[],
    since: number,
    hostNow: number = Date.now(),
  ): Promise<ExchangeHalt | null> {
    const { bySymbol, anyTrading } = await this.symbolStatuses(hostNow);
    if (anyTrading) return null;
    const existing = await this.current();
    if (existing !== null) return existing;
    const statuses = [...new Set(symbols.map((symbol) => bySymbol.get(symbol) ?? 'NOT_LISTED'))].sort();
    const halt: ExchangeHalt = { since, detectedAt: hostNow, statuses };
    await this.settings.set(HALT, halt);
    this.knownHalted = true;
    this.logger.warn(
      `exchange halted since ${new Date(since).toISOString()}: no series has a new candle and no symbol is TRADING (${statuses.join(', ')})`,
    );
    return halt;
  }

  /** A series traded: a recorded halt is over. */
  async tradingSeen(): Promise<void> {
    if (this.knownHalted === false) return;
    const existing = await this.current();
    if (existing !== null) {
      await this.settings.set(HALT, null);
      this.statuses = null;
      this.logger.log(
        `exchange trading again after the halt since ${new Date(existing.since).toISOString()}`,
      );
    }
    this.knownHalted = false;
  }

  async current(): Promise<ExchangeHalt | null> {
    const halt = await this.settings.get(HALT);
    this.knownHalted = halt !== null;
    return halt;
  }

  private async symbolStatuses(
    hostNow: number,
  ): Promise<{ bySymbol: Map<string, string>; anyTrading: boolean }> {
    if (this.statuses !== null && hostNow - this.statuses.at < STATUS_TTL_MS) return this.statuses;
    const info = await this.client.exchangeInfo();
    this.statuses = {
      at: hostNow,
      bySymbol: new Map(info.symbols.map((symbol) => [symbol.symbol, symbol.status])),
      anyTrading: info.symbols.some((symbol) => symbol.status === 'TRADING'),
    };
    return this.statuses;
  }
}
