import { Injectable, Logger } from '@nestjs/common';
import {
  needsFineCandles,
  type Candle,
  type CandleContext,
  type EngineEvent,
  type FineCandleSource,
  type SignalEngine,
} from '@scanner/signal-core';
import { FineCandleService, toCoreCandle } from '../market-data';

/**
 * Same-candle ambiguity for the live engine (issue 14 §8). Before an engine takes a closed candle, if its
 * active signal's stop and target both fall inside that candle (signal-core's needsFineCandles: the
 * engine's own test), the 1m candles of that candle's span are fetched through market-data (and stored
 * there) and handed to the engine through `source`, so the engine decides by the first minute that
 * reaches a level (`resolution: 'fine'`). When the fetch fails, the engine gets none and decides SL
 * (`'conservative'`); the series is never held up. Only closed candles get finer candles: a tick on the
 * still-open candle is decided without them.
 *
 * `source` is given to every engine of the scanner; it answers only for the candle being fed.
 */
@Injectable()
export class FineCandlePrefetch {
  private readonly logger = new Logger(FineCandlePrefetch.name);
  private readonly ready = new Map<string, readonly Candle[]>();

  readonly source: FineCandleSource = (span) =>
    this.ready.get(spanKey(span.symbol, span.timeframe, span.openTime)) ?? null;

  constructor(private readonly fine: FineCandleService) {}

  /** Feeds one closed candle to `engine` (with `context`), with its 1m candles when the engine will ask for them. */
  async feed(engine: SignalEngine, candle: Candle, context?: CandleContext): Promise<readonly EngineEvent[]> {
    const active = engine.activeSignal;
    if (
      active === null ||
      (engine.lastCandleOpenTime !== null && candle.openTime <= engine.lastCandleOpenTime) ||
      !needsFineCandles(active.direction, active.stopLoss, active.takeProfit, candle)
    ) {
      return engine.onClosedCandle(candle, context);
    }
    const key = spanKey(engine.symbol, engine.timeframe, candle.openTime);
    const closeTime = candle.openTime + engine.intervalMs - 1;
    try {
      const fine = await this.fine.forClosedSpan({
        symbol: engine.symbol,
        openTime: candle.openTime,
        closeTime,
      });
      this.ready.set(key, fine.map(toCoreCandle));
      if (fine.length === 0) {
        this.logger.warn({
          msg: 'no 1m candles on the exchange for a candle touching both stop and target: decided as SL',
          signalId: active.id,
          symbol: engine.symbol,
          timeframe: engine.timeframe,
          candleOpenTime: candle.openTime,
        });
      }
    } catch (error) {
      this.logger.warn({
        msg: '1m candles for a candle touching both stop and target could not be fetched: decided as SL',
        signalId: active.id,
        symbol: engine.symbol,
        timeframe: engine.timeframe,
        candleOpenTime: candle.openTime,
        error: (error as Error).message,
      });
    }
    try {
      return engine.onClosedCandle(candle, context);
    } finally {
      this.ready.delete(key);
    }
  }
}

function spanKey(symbol: string, timeframe: string, openTime: number): string {
  return `${symbol}|${timeframe}|${openTime}`;
}
