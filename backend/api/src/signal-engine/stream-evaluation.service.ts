import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Signal } from '@scanner/contracts';
import { AppConfig } from '../config';
import {
  MarketStreamService,
  type MarketStreamListener,
  type StreamedCandles,
  type StreamedTick,
} from '../market-data';
import { MetricsService } from '../metrics';
import { SignalQueryService } from './signal-query.service';
import { SignalScannerService, type SymbolScanResult } from './signal-scanner.service';

/** Active signals' levels are re-read this often (besides every change the engine makes here). */
const LEVELS_REFRESH_MS = 5_000;

interface Levels {
  direction: Signal['direction'];
  stopLoss: number;
  takeProfit: number;
}

/**
 * The engine on the streams (MARKET_DATA_SOURCE=stream): every closed candle goes through signal-core
 * as soon as market-data has stored it, and an open-candle update that touches an active signal's stop
 * or target is judged at once (not at the next closed candle). Idempotent like a scan: the engine
 * skips candles it has already seen, so a candle delivered twice (rotation, takeover) changes nothing.
 */
@Injectable()
export class StreamEvaluationService implements MarketStreamListener, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(StreamEvaluationService.name);
  private readonly levels = new Map<string, Levels>();
  private timer: NodeJS.Timeout | null = null;
  private readonly pendingTicks = new Set<string>();

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly stream: MarketStreamService,
    private readonly scanner: SignalScannerService,
    private readonly query: SignalQueryService,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    if (!this.stream.enabled || !this.config.runsWorkers) return;
    this.stream.subscribe(this);
    const refresh = (): void =>
      void this.refreshLevels().catch((error: Error) => this.logger.warn(`active levels: ${error.message}`));
    refresh();
    this.timer = setInterval(refresh, LEVELS_REFRESH_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer !== null) clearInterval(this.timer);
  }

  async onClosedCandles(batch: StreamedCandles): Promise<void> {
    const stopTimer = this.metrics.streamEvaluation.startTimer();
    const result = await this.scanner.processSymbol(batch.symbol, batch.interval, {
      newClosed: batch.newClosed,
      openCandle: null,
    });
    stopTimer();
    this.track(result);
  }

  onTick(tick: StreamedTick): void {
    const key = `${tick.symbol}|${tick.interval}`;
    const levels = this.levels.get(key);
    if (levels === undefined || !touches(levels, tick.candle.high, tick.candle.low)) return;
    // One judgement in flight per series: later ticks carry the same or a wider range.
    if (this.pendingTicks.has(key)) return;
    this.pendingTicks.add(key);
    void this.scanner
      .processSymbol(tick.symbol, tick.interval, {
        newClosed: [],
        openCandle: tick.candle,
        observedAt: tick.eventTime,
      })
      .then((result) => this.track(result))
      .catch((error: Error) =>
        this.logger.error({
          msg: 'judging a live tick failed',
          symbol: tick.symbol,
          timeframe: tick.interval,
          error: error.message,
        }),
      )
      .finally(() => this.pendingTicks.delete(key));
  }

  /** At most one signal is active per series (DESIGN §6): the last event says which, if any. */
  private track(result: SymbolScanResult): void {
    const last = result.events.at(-1);
    if (last === undefined) return;
    const key = `${result.symbol}|${result.timeframe}`;
    if (last.signal.status === 'ACTIVE') this.levels.set(key, levelsOf(last.signal));
    else this.levels.delete(key);
  }

  private async refreshLevels(): Promise<void> {
    const active = await this.query.activeLevels();
    this.levels.clear();
    for (const signal of active) this.levels.set(`${signal.symbol}|${signal.timeframe}`, levelsOf(signal));
  }
}

function levelsOf(signal: Levels): Levels {
  return { direction: signal.direction, stopLoss: signal.stopLoss, takeProfit: signal.takeProfit };
}

function touches(levels: Levels, high: number, low: number): boolean {
  return levels.direction === 'LONG'
    ? low <= levels.stopLoss || high >= levels.takeProfit
    : high >= levels.stopLoss || low <= levels.takeProfit;
}
