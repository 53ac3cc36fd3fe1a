import { Injectable, Logger } from '@nestjs/common';
import type { SignalEvent } from '@scanner/contracts';
import {
  SignalEngine,
  type Candle,
  type CandleGapEvent,
  type EngineConfig,
  type EngineEvent,
} from '@scanner/signal-core';
import { CandleStore, toCoreCandle, type MarketCandle } from '../market-data';
import { CreationStampService } from './creation-stamps.service';
import { HtfTrendService } from './htf-trend.service';
import { FineCandlePrefetch } from './fine-candle-prefetch';
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
  /**
   * Exchange time when the open candle was seen as it is: a level it crossed was crossed by then, so a
   * close it causes is stamped with it (kept within the candle). Without it, the candle's open time.
   */
  observedAt?: number;
}

/** The last price seen of a series and its market time (what a cancellation closes at). */
interface LastPrice {
  price: number;
  at: number;
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
  /** Last price seen per series by this process (the open candle's close so far). */
  private readonly lastPrices = new Map<string, LastPrice>();

  constructor(
    private readonly store: SignalStore,
    private readonly engineConfig: EngineConfigService,
    private readonly candles: CandleStore,
    private readonly stamps: CreationStampService,
    private readonly fine: FineCandlePrefetch,
    private readonly htfTrend: HtfTrendService,
  ) {}

  processSymbol(symbol: string, timeframe: string, update: SeriesUpdate): Promise<SymbolScanResult> {
    return this.serialized(symbol, timeframe, () => this.processOnce(symbol, timeframe, update));
  }

  /**
   * Closes the series' ACTIVE signal (if any) as CANCELLED through the engine, at the last traded price
   * seen and market time `marketNow` (never before the signal's last change), with `reason`: its
   * events, notifications and statistics flow as for any close. The engine keeps its candles: when the
   * symbol trades again, the hole in its candles restarts the indicators' warm-up.
   */
  cancelActive(
    symbol: string,
    timeframe: string,
    reason: string,
    marketNow: number,
  ): Promise<SymbolScanResult> {
    return this.serialized(symbol, timeframe, () => this.cancelOnce(symbol, timeframe, reason, marketNow));
  }

  private serialized(
    symbol: string,
    timeframe: string,
    work: () => Promise<SymbolScanResult>,
  ): Promise<SymbolScanResult> {
    const key = `${symbol}:${timeframe}`;
    const previous = this.queues.get(key) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.withRetry(symbol, timeframe, work));
    this.queues.set(key, run);
    void run
      .finally(() => {
        if (this.queues.get(key) === run) this.queues.delete(key);
      })
      .catch(() => undefined);
    return run;
  }

  /**
   * Forgets the in-memory engines (they are rebuilt from the database on the next scan) and the cached
   * config in force (read again on the next scan): after the database was changed behind the app.
   */
  dropCache(): void {
    this.engines.clear();
    this.engineConfig.forgetCached();
    this.stamps.forget();
  }

  private async withRetry(
    symbol: string,
    timeframe: string,
    work: () => Promise<SymbolScanResult>,
  ): Promise<SymbolScanResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (!(error instanceof EngineStateConflictError) || attempt >= MAX_ATTEMPTS) throw error;
        this.logger.warn({
          msg: 'engine state moved on in another process; reloading',
          symbol,
          timeframe,
          attempt,
        });
      }
    }
  }

  /**
   * The engine of a series as the database has it, or null when none is stored. With `trustCache`, an
   * engine cached by this process for the same config is used without reading engine_states (a step on
   * a close is then one commit): that commit checks the revision, and a conflict (another process moved
   * the state on) drops it, so the retry reads the state. A step that would not commit must confirm the
   * revision instead (see confirmRevision). Without `trustCache`, the stored state is read and the
   * cached engine is used only while its revision matches.
   */
  private async loadEngine(
    symbol: string,
    timeframe: string,
    config: EngineConfig,
    trustCache: boolean,
  ): Promise<(CachedEngine & { confirmed: boolean }) | null> {
    const key = `${symbol}:${timeframe}`;
    const cached = this.engines.get(key);
    // The engine is mutated by the caller; until its commit succeeds the cache must not hold it.
    this.engines.delete(key);
    if (trustCache && cached !== undefined && sameConfig(cached.config, config))
      return { ...cached, confirmed: false };
    const stored = await this.store.loadState(symbol, timeframe);
    if (stored === null) return null;
    if (cached !== undefined && cached.revision === stored.revision && sameConfig(cached.config, config))
      return { ...cached, confirmed: true };
    return {
      engine: SignalEngine.restore(stored.snapshot, config, { fineCandles: this.fine.source }),
      revision: stored.revision,
      config,
      confirmed: true,
    };
  }

  /**
   * Throws EngineStateConflictError (the retry reloads) when an engine taken from the cache unread is
   * behind the stored state: for steps that end without a commit, which would not notice it otherwise.
   */
  private async confirmRevision(
    symbol: string,
    timeframe: string,
    loaded: CachedEngine & { confirmed: boolean },
  ): Promise<void> {
    if (loaded.confirmed) return;
    const stored = await this.store.revisionOf(symbol, timeframe);
    if (stored !== loaded.revision)
      throw new EngineStateConflictError(symbol, timeframe, loaded.revision, stored);
  }

  private async processOnce(
    symbol: string,
    timeframe: string,
    update: SeriesUpdate,
  ): Promise<SymbolScanResult> {
    const key = `${symbol}:${timeframe}`;
    const { version: scoringVersion, config } = await this.engineConfig.inForce();
    const loaded = await this.loadEngine(symbol, timeframe, config, true);
    let engine: SignalEngine;
    let revision: number;
    const events: EngineEvent[] = [];
    let candlesProcessed = 0;
    if (loaded !== null) {
      engine = loaded.engine;
      revision = loaded.revision;
    } else {
      engine = new SignalEngine({ symbol, timeframe, config, fineCandles: this.fine.source });
      revision = 0;
      const warmup = await this.storedCandlesBefore(
        symbol,
        timeframe,
        update.newClosed[0]?.openTime ?? update.openCandle?.openTime ?? null,
      );
      for (const candle of warmup) events.push(...(await this.fine.feed(engine, candle)));
      candlesProcessed += warmup.length;
    }
    const lastBefore = engine.lastCandleOpenTime;
    // Candles stored by an earlier scan whose engine step never committed (a kill between the candle
    // write and the engine commit, or an engine failure) come before this scan's: replay them first,
    // or the engine would see a gap that an uninterrupted run never had.
    const missed = await this.storedCandlesMissedBy(engine, symbol, timeframe, update);
    for (const candle of missed) events.push(...(await this.fine.feed(engine, candle)));
    candlesProcessed += missed.length;
    const before = engine.lastCandleOpenTime;
    // The optional htf_trend condition reads the next higher timeframe's state as the candle closes
    // (only for candles arriving now: history has no such observation, so it scores it as unknown).
    const htfEnabled = update.newClosed.length > 0 && (await this.htfTrend.enabled());
    for (const candle of update.newClosed) {
      if (before !== null && candle.openTime <= before) continue;
      const context = htfEnabled
        ? {
            htfTrend: await this.htfTrend.trendFor(
              symbol,
              timeframe,
              candle.openTime + engine.intervalMs - 1,
            ),
          }
        : undefined;
      events.push(...(await this.fine.feed(engine, toCoreCandle(candle), context)));
      candlesProcessed++;
    }
    const marketTime = this.noteLastPrice(key, engine, update);
    if (update.openCandle !== null) {
      events.push(
        ...engine.onOpenCandleTick(toCoreCandle(update.openCandle), tickTime(update, engine.intervalMs)),
      );
    }
    const gaps = events.filter((e): e is CandleGapEvent => e.type === 'gap');
    for (const gap of gaps) {
      this.logger.warn({
        msg: 'candle gap: indicators restart their warm-up',
        symbol,
        timeframe,
        expectedOpenTime: gap.expectedOpenTime,
        receivedOpenTime: gap.receivedOpenTime,
        missingCandles: gap.missingCandles,
      });
    }
    const unchanged = events.length === 0 && loaded !== null && engine.lastCandleOpenTime === lastBefore;
    if (unchanged || engine.lastCandleOpenTime === null) {
      if (loaded !== null) await this.confirmRevision(symbol, timeframe, loaded);
      this.engines.set(key, { engine, revision, config });
      return { symbol, timeframe, candlesProcessed, events: [], gaps };
    }
    const stamps = await this.stamps.stampsFor(events, marketTime, scoringVersion);
    const committed = await this.store.commit({
      symbol,
      timeframe,
      expectedRevision: revision,
      snapshot: engine.snapshot(),
      events,
      marketTime,
      stamps,
    });
    this.stamps.remember(events, stamps);
    this.engines.set(key, { engine, revision: committed.revision, config });
    return { symbol, timeframe, candlesProcessed, events: committed.events, gaps };
  }

  private async cancelOnce(
    symbol: string,
    timeframe: string,
    reason: string,
    marketNow: number,
  ): Promise<SymbolScanResult> {
    const key = `${symbol}:${timeframe}`;
    const config = await this.engineConfig.get();
    const loaded = await this.loadEngine(symbol, timeframe, config, false);
    const none: SymbolScanResult = { symbol, timeframe, candlesProcessed: 0, events: [], gaps: [] };
    if (loaded === null) return none;
    const active = loaded.engine.activeSignal;
    if (active === null) {
      this.engines.set(key, cacheable(loaded));
      return none;
    }
    const last = this.lastPrices.get(key) ?? (await this.lastStoredPrice(symbol, timeframe));
    if (last === null) {
      this.engines.set(key, cacheable(loaded));
      throw new Error(`cannot cancel ${active.id}: no price of ${symbol} ${timeframe} was ever seen`);
    }
    const at = Math.max(active.updatedAt, last.at, marketNow);
    const events = loaded.engine.cancelActive(last.price, at, reason);
    const stamps = await this.stamps.stampsFor(events, at);
    const committed = await this.store.commit({
      symbol,
      timeframe,
      expectedRevision: loaded.revision,
      snapshot: loaded.engine.snapshot(),
      events,
      marketTime: at,
      stamps,
    });
    this.stamps.remember(events, stamps);
    this.engines.set(key, { ...cacheable(loaded), revision: committed.revision });
    this.logger.warn({
      msg: 'signal cancelled',
      id: active.id,
      symbol,
      timeframe,
      price: last.price,
      reason,
    });
    return { ...none, events: committed.events };
  }

  /**
   * Remembers the series' last price and returns the market time of this step: the exchange time of
   * the open-candle observation, else the end of the newest candle seen. Events recorded far behind it
   * are a replay of history (warm-up), which notifications leave out.
   */
  private noteLastPrice(key: string, engine: SignalEngine, update: SeriesUpdate): number | undefined {
    const newest = update.newClosed.at(-1);
    if (update.openCandle !== null) {
      const at = tickTime(update, engine.intervalMs);
      this.lastPrices.set(key, { price: update.openCandle.close, at });
      return Math.max(at, update.openCandle.openTime);
    }
    if (newest !== undefined) {
      this.lastPrices.set(key, { price: newest.close, at: newest.closeTime });
      return newest.closeTime + 1;
    }
    return engine.lastCandleOpenTime === null ? undefined : engine.lastCandleOpenTime + engine.intervalMs;
  }

  private async lastStoredPrice(symbol: string, timeframe: string): Promise<LastPrice | null> {
    const [newest] = await this.candles.before(symbol, timeframe, null, 1);
    return newest === undefined ? null : { price: newest.close, at: newest.closeTime };
  }

  /** Stored closed candles between the engine's last candle and the first candle of `update`, oldest first. */
  private async storedCandlesMissedBy(
    engine: SignalEngine,
    symbol: string,
    timeframe: string,
    update: SeriesUpdate,
  ): Promise<Candle[]> {
    const last = engine.lastCandleOpenTime;
    if (last === null) return [];
    const next =
      update.newClosed.find((candle) => candle.openTime > last)?.openTime ??
      update.openCandle?.openTime ??
      null;
    if (next === null || next <= last + engine.intervalMs) return [];
    return (await this.candles.between(symbol, timeframe, last, next)).map(toCoreCandle);
  }

  private async storedCandlesBefore(
    symbol: string,
    timeframe: string,
    beforeOpenTime: number | null,
  ): Promise<Candle[]> {
    return (await this.candles.before(symbol, timeframe, beforeOpenTime, WARMUP_CANDLES)).map(toCoreCandle);
  }
}

/**
 * When the open candle was seen: the observation's exchange time (default: the candle's open), kept
 * inside the candle and before its close time (it was seen open; a clock skew or a halt must not
 * stamp it as the close of the candle).
 */
function tickTime(update: SeriesUpdate, intervalMs: number): number {
  const open = update.openCandle as MarketCandle;
  if (update.observedAt === undefined) return open.openTime;
  return Math.min(Math.max(update.observedAt, open.openTime), open.openTime + intervalMs - 2);
}

function cacheable({ engine, revision, config }: CachedEngine): CachedEngine {
  return { engine, revision, config };
}

function sameConfig(a: EngineConfig, b: EngineConfig): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
