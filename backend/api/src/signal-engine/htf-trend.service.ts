import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IndicatorSet, type HtfTrend, type SignalEngineSnapshot } from '@scanner/signal-core';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config';
import { intervalMs } from '../market-data';
import { EngineConfigService } from './engine-config.service';
import { EngineStateEntity } from './entities/engine-state.entity';

/** The next longer of the scanned timeframes (null for the longest, or a timeframe not scanned). */
export function nextHigherTimeframe(timeframe: string, scanned: readonly string[]): string | null {
  const own = intervalMs(timeframe);
  const longer = [...new Set(scanned)].filter((tf) => intervalMs(tf) > own);
  if (longer.length === 0) return null;
  return longer.reduce((a, b) => (intervalMs(b) < intervalMs(a) ? b : a));
}

/**
 * The EMA200 side of a higher timeframe's stored state, as seen by a lower-timeframe candle closing at
 * `closeTime` (epoch ms): only a higher candle closed by then counts. Unknown (null) when that state has
 * already moved past `closeTime` (it no longer says what it was then: no look-ahead), when it is more
 * than two of its candles behind, or before EMA200 has a value.
 */
export function htfTrendAt(
  snapshot: SignalEngineSnapshot | null,
  higherTimeframe: string,
  closeTime: number,
): HtfTrend {
  if (snapshot === null || snapshot.lastOpenTime === null || snapshot.indicators.count === 0) return null;
  const interval = intervalMs(higherTimeframe);
  const higherClose = snapshot.lastOpenTime + interval - 1;
  if (higherClose > closeTime) return null;
  if (closeTime - higherClose > 2 * interval) return null;
  const indicators = new IndicatorSet();
  indicators.setState(snapshot.indicators);
  const { close, ema200 } = indicators;
  if (!Number.isFinite(close) || !Number.isFinite(ema200)) return null;
  return close > ema200 ? 'above' : 'below';
}

/**
 * What the optional `htf_trend` condition needs from outside signal-core: the EMA200 side of the next
 * higher scanned timeframe of the same symbol, read from its stored engine state (see htfTrendAt). Reads
 * nothing while the condition's weight is 0 (the default).
 */
@Injectable()
export class HtfTrendService {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly engineConfig: EngineConfigService,
  ) {}

  /** Whether the condition counts at all under the engine config in force. */
  async enabled(): Promise<boolean> {
    return ((await this.engineConfig.get()).weights.htf_trend ?? 0) > 0;
  }

  /** The higher timeframe's EMA200 side for a candle of `symbol` `timeframe` closing at `closeTime`. */
  async trendFor(
    symbol: string,
    timeframe: string,
    closeTime: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<HtfTrend> {
    if (!(await this.enabled())) return null;
    const higher = nextHigherTimeframe(timeframe, this.config.scanTimeframes);
    if (higher === null) return null;
    const row = await manager.getRepository(EngineStateEntity).findOneBy({ symbol, timeframe: higher });
    return htfTrendAt(row?.state.snapshot ?? null, higher, closeTime);
  }
}
