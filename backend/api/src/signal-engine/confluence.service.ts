import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { SignalConfluence, SignalDirection, TimeframeConfluence } from '@scanner/contracts';
import { IndicatorSet, scoreCandle, type EngineConfig, type IndicatorSetState } from '@scanner/signal-core';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config';
import { intervalMs } from '../market-data';
import { EngineConfigService } from './engine-config.service';
import { readStateParts } from './market-matrix.service';

/** What confluence needs of a signal: where it is and when (its market time). */
export interface ConfluenceSubject {
  symbol: string;
  timeframe: string;
  direction: SignalDirection;
  /** ISO time of the signal's creation (close of its triggering candle). */
  createdAt: string;
}

/** What confluence reads of a timeframe's stored engine state (the rest of the snapshot is not read). */
export interface ConfluenceState {
  lastOpenTime: number | null;
  indicators: IndicatorSetState | null;
  /** Direction of the timeframe's active signal, if any. */
  active: SignalDirection | null;
}

/** The state of one timeframe from its stored engine state (null: that timeframe has no state yet). */
export function timeframeState(
  timeframe: string,
  stored: ConfluenceState | null,
  config: EngineConfig,
  direction: SignalDirection,
  atTime: number,
): TimeframeConfluence {
  const interval = intervalMs(timeframe);
  if (
    stored === null ||
    stored.lastOpenTime === null ||
    stored.indicators === null ||
    stored.indicators.count === 0
  ) {
    return {
      timeframe,
      activeDirection: null,
      trend: null,
      longConfidence: null,
      shortConfidence: null,
      asOf: null,
      stale: true,
      agrees: false,
    };
  }
  const indicators = new IndicatorSet();
  indicators.setState(stored.indicators);
  const score = scoreCandle(indicators, config);
  const close = indicators.close;
  const ema200 = indicators.ema200;
  const trend =
    Number.isFinite(close) && Number.isFinite(ema200) ? (close > ema200 ? 'above' : 'below') : null;
  const closeTime = stored.lastOpenTime + interval;
  const stale = atTime - closeTime > 2 * interval;
  const activeDirection = stored.active;
  const state = {
    timeframe,
    activeDirection,
    trend,
    longConfidence: score.long.confidence,
    shortConfidence: score.short.confidence,
    asOf: new Date(closeTime).toISOString(),
    stale,
  } satisfies Omit<TimeframeConfluence, 'agrees'>;
  return { ...state, agrees: agreesWith(state, direction) };
}

/**
 * A timeframe agrees with `direction` when its state is current and either its active signal goes
 * that way, or it has none, its close is on that side of EMA200 and that direction scores higher.
 */
export function agreesWith(
  state: Omit<TimeframeConfluence, 'agrees' | 'timeframe' | 'asOf'>,
  direction: SignalDirection,
): boolean {
  if (state.stale) return false;
  if (state.activeDirection !== null) return state.activeDirection === direction;
  if (state.longConfidence === null || state.shortConfidence === null) return false;
  return direction === 'LONG'
    ? state.trend === 'above' && state.longConfidence > state.shortConfidence
    : state.trend === 'below' && state.shortConfidence > state.longConfidence;
}

/** Confluence of a signal from the stored states of the other timeframes (pure: every input is given). */
export function computeConfluence(
  subject: ConfluenceSubject,
  timeframes: readonly string[],
  states: ReadonlyMap<string, ConfluenceState>,
  config: EngineConfig,
): SignalConfluence {
  const atTime = Date.parse(subject.createdAt);
  const others = [...new Set(timeframes)]
    .filter((timeframe) => timeframe !== subject.timeframe)
    .sort((a, b) => intervalMs(a) - intervalMs(b))
    .map((timeframe) =>
      timeframeState(timeframe, states.get(timeframe) ?? null, config, subject.direction, atTime),
    );
  return {
    timeframe: subject.timeframe,
    direction: subject.direction,
    agreeing: 1 + others.filter((other) => other.agrees).length,
    others,
  };
}

/**
 * The same symbol on the other scanned timeframes (SCAN_TIMEFRAMES) for a signal: read from the stored
 * engine states (engine_states: the state after each timeframe's last processed closed candle) and
 * scored with the engine config in force. Inside a transaction pass its manager (to see its uncommitted
 * state) and the engine config read before it began: the embedded database has one session, so a read
 * outside the transaction would wait for it forever.
 */
@Injectable()
export class ConfluenceService {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly engineConfig: EngineConfigService,
  ) {}

  async forSignal(
    subject: ConfluenceSubject,
    manager: EntityManager = this.dataSource.manager,
    engineConfig?: EngineConfig,
  ): Promise<SignalConfluence> {
    return (await this.forSignals([subject], manager, engineConfig))[0];
  }

  /**
   * The confluence of each subject, in order, from ONE read of the stored states (a step that creates
   * several signals, or several steps of a batch, pay one query, not one per signal).
   */
  async forSignals(
    subjects: readonly ConfluenceSubject[],
    manager: EntityManager = this.dataSource.manager,
    engineConfig?: EngineConfig,
  ): Promise<SignalConfluence[]> {
    if (subjects.length === 0) return [];
    // Only the timeframes some subject needs as an "other" one.
    const timeframes = [...new Set(this.config.scanTimeframes)].filter((timeframe) =>
      subjects.some((subject) => subject.timeframe !== timeframe),
    );
    const bySymbol = new Map<string, Map<string, ConfluenceState>>();
    const symbols = [...new Set(subjects.map((subject) => subject.symbol))];
    for (const row of await readStateParts(manager, symbols, timeframes)) {
      const states = bySymbol.get(row.symbol) ?? new Map<string, ConfluenceState>();
      states.set(row.timeframe, row);
      bySymbol.set(row.symbol, states);
    }
    const config = engineConfig ?? (await this.engineConfig.get());
    const none = new Map<string, ConfluenceState>();
    return subjects.map((subject) =>
      computeConfluence(subject, this.config.scanTimeframes, bySymbol.get(subject.symbol) ?? none, config),
    );
  }
}
