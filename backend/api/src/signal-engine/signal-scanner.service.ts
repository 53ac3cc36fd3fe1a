import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { SignalEvent } from '@scanner/contracts';
import { SignalEngine, type Candle, type CandleGapEvent, type EngineConfig, type EngineEvent } from '@scanner/signal-core';
import { DataSource } from 'typeorm';
import type { MarketCandle } from '../market-data/market-candle';
import { EngineConfigService } from './engine-config.service';
import { SignalStore } from './signal-store.service';
import { EngineStateConflictError } from './signal-store.errors';

/** Closed candles replayed from the candles table to warm an engine that has no stored state. */
export const WARMUP_CANDLES = 1000;
const MAX_ATTEMPTS = 3;

/** What one scan learned about a symbol + timeframe (the market-data CandleSyncService result). */
export interface SeriesUpdate {
  /** Closed candles new since the last scan, oldest first (already stored in `candles`). */
  newClosed: readonly MarketCandle[];
  /** The still-open candle: only its high/low so far matter (TP/SL within the scan). */
  openCandle: MarketCandle | null;
}

export interface SymbolScanResult {
  symbol: string;
  timeframe: string;
  /** Closed candles fed to the engine (warm-up replay included). */
  candlesProcessed: number;
  /** The signal_events rows written, in seq order: what the gateway will publish. */
  events: SignalEvent[];
  /** Missing candles the engine detected (its indicators restarted their warm-up). */
  gaps: CandleGapEvent[];
}

interface CachedEngine {
  engine: SignalEngine;
  revision: number;
  config: EngineConfig;
}

/**
 * Runs signal-core per symbol + timeframe for the live scanner. The stored engine state is the
 * source of truth: the in-memory engine is reused only while its revision matches the database,
 * so several workers can share the symbols and a restarted process carries on exactly where the
 * last committed scan stopped.
 *
 * Expiry is candle-driven in the core (EXPIRED at the close of the Nth candle), so there is no
 * separate expiry pass: a signal expires when the scan that brings its Nth candle runs.
 */
@Injectable()
export class SignalScannerService {
  private readonly logger = new Logger(SignalScannerService.name);
  private readonly engines = new Map<string, CachedEngine>();
  /** Per-key promise chain: scans of one symbol + timeframe never overlap inside a process. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: SignalStore,
    private readonly engineConfig: EngineConfigService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  processSymbol(symbol: string, timeframe: string, update: SeriesUpdate): Promise<SymbolScanResult> {
    const key = `${symbol}:${timeframe}`;
    const previous = this.queues.get(key) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.processWithRetry(symbol, timeframe, update));
    this.queues.set(key, run);
    void run.finally(() => {
      if (this.queues.get(key) === run) this.queues.delete(key);
    }).catch(() => undefined);
    return run;
  }

  /** Forgets the in-memory engines (they are rebuilt from the database on the next scan). */
  dropCache(): void {
    this.engines.clear();
  }

  private async processWithRetry(symbol: string, timeframe: string, update: SeriesUpdate): Promise<SymbolScanResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.processOnce(symbol, timeframe, update);
      } catch (error) {
        if (!(error instanceof EngineStateConflictError) || attempt >= MAX_ATTEMPTS) throw error;
        this.logger.warn({ msg: 'engine state moved on in another process; reloading', symbol, timeframe, attempt });
      }
    }
  }

  private async processOnce(symbol: string, timeframe: string, update: SeriesUpdate): Promise<SymbolScanResult> {
    const key = `${symbol}:${timeframe}`;
    const config = await this.engineConfig.get();
    const stored = await this.store.loadState(symbol, timeframe);
    const cached = this.engines.get(key);
    // The engine is mutated below; until the commit succeeds the cache must not hold it.
    this.engines.delete(key);
    let engine: SignalEngine;
    let revision: number;
    const events: EngineEvent[] = [];
    let candlesProcessed = 0;
    if (cached !== undefined && stored !== null && cached.revision === stored.revision && sameConfig(cached.config, config)) {
      engine = cached.engine;
      revision = cached.revision;
    } else if (stored !== null) {
      engine = SignalEngine.restore(stored.snapshot, config);
      revision = stored.revision;
    } else {
      engine = new SignalEngine({ symbol, timeframe, config });
      revision = 0;
      const warmup = await this.storedCandlesBefore(symbol, timeframe, update.newClosed[0]?.openTime ?? update.openCandle?.openTime ?? null);
      for (const candle of warmup) events.push(...engine.onClosedCandle(candle));
      candlesProcessed += warmup.length;
    }
    // Candles stored by an earlier scan whose engine step never committed (a kill between the candle
    // write and the engine commit, or an engine failure) come before this scan's: replay them first,
    // or the engine would see a gap that an uninterrupted run never had.
    const missed = await this.storedCandlesMissedBy(engine, symbol, timeframe, update);
    for (const candle of missed) events.push(...engine.onClosedCandle(candle));
    candlesProcessed += missed.length;
    const before = engine.lastCandleOpenTime;
    for (const candle of update.newClosed) {
      if (before !== null && candle.openTime <= before) continue;
      events.push(...engine.onClosedCandle(toCoreCandle(candle)));
      candlesProcessed++;
    }
    if (update.openCandle !== null) events.push(...engine.onOpenCandleTick(toCoreCandle(update.openCandle)));
    const gaps = events.filter((e): e is CandleGapEvent => e.type === 'gap');
    for (const gap of gaps) {
      this.logger.warn({ msg: 'candle gap: indicators restart their warm-up', symbol, timeframe, expectedOpenTime: gap.expectedOpenTime, receivedOpenTime: gap.receivedOpenTime, missingCandles: gap.missingCandles });
    }
    const unchanged = events.length === 0 && stored !== null && engine.lastCandleOpenTime === stored.lastCandleOpenTime;
    if (unchanged || engine.lastCandleOpenTime === null) {
      this.engines.set(key, { engine, revision, config });
      return { symbol, timeframe, candlesProcessed, events: [], gaps };
    }
    const committed = await this.store.commit({ symbol, timeframe, expectedRevision: revision, snapshot: engine.snapshot(), events });
    this.engines.set(key, { engine, revision: committed.revision, config });
    return { symbol, timeframe, candlesProcessed, events: committed.events, gaps };
  }

  /** Stored closed candles between the engine's last candle and the first candle of `update`, oldest first. */
  private async storedCandlesMissedBy(engine: SignalEngine, symbol: string, timeframe: string, update: SeriesUpdate): Promise<Candle[]> {
    const last = engine.lastCandleOpenTime;
    if (last === null) return [];
    const next = update.newClosed.find((candle) => candle.openTime > last)?.openTime ?? update.openCandle?.openTime ?? null;
    if (next === null || next <= last + engine.intervalMs) return [];
    const rows: CandleRow[] = await this.dataSource.query(
      `SELECT open_time, close_time, open, high, low, close, volume FROM candles
       WHERE symbol = $1 AND interval = $2 AND open_time > $3::bigint AND open_time < $4::bigint
       ORDER BY open_time`,
      [symbol, timeframe, last, next],
    );
    return rows.map(fromRow);
  }

  private async storedCandlesBefore(symbol: string, timeframe: string, beforeOpenTime: number | null): Promise<Candle[]> {
    const rows: CandleRow[] = await this.dataSource.query(
      `SELECT open_time, close_time, open, high, low, close, volume FROM candles
       WHERE symbol = $1 AND interval = $2 AND ($3::bigint IS NULL OR open_time < $3::bigint)
       ORDER BY open_time DESC LIMIT $4`,
      [symbol, timeframe, beforeOpenTime, WARMUP_CANDLES],
    );
    return rows.reverse().map(fromRow);
  }
}

interface CandleRow {
  open_time: string;
  close_time: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

function fromRow(r: CandleRow): Candle {
  return { openTime: Number(r.open_time), closeTime: Number(r.close_time), open: r.open, high: r.high, low: r.low, close: r.close, volume: r.volume };
}

function toCoreCandle(c: MarketCandle): Candle {
  return { openTime: c.openTime, closeTime: c.closeTime, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume };
}

function sameConfig(a: EngineConfig, b: EngineConfig): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
