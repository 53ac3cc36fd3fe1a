import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { MarketMatrixCell, MarketMatrixSnapshot, SignalDirection } from '@scanner/contracts';
import { IndicatorSet, scoreCandle, type EngineConfig, type IndicatorSetState } from '@scanner/signal-core';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config';
import { intervalMs, UniverseService } from '../market-data';
import { EngineConfigService } from './engine-config.service';

/** What a matrix cell needs of a stored engine state (read from engine_states without the rest). */
export interface MatrixStateRow {
  symbol: string;
  timeframe: string;
  /** engine_states.state.revision: bumped on every save (the cell changes only with it or the config). */
  revision: number;
  lastOpenTime: number | null;
  indicators: IndicatorSetState | null;
  active: SignalDirection | null;
  /** engine_states.updated_at (database clock). */
  updatedAt: Date;
}

/** A stored state's revision and when it was written (the change scan of the matrix feed). */
export interface MatrixRevision {
  symbol: string;
  timeframe: string;
  revision: number;
  updatedAt: Date;
}

interface RawStateRow {
  symbol: string;
  timeframe: string;
  revision: string | number | null;
  last_open_time: string | number | null;
  indicators: IndicatorSetState | null;
  active: string | null;
  updated_at: Date | string;
}

const round = (value: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);

/** The cell of a series with no evaluated candle yet. */
export function emptyCell(symbol: string, timeframe: string): MarketMatrixCell {
  return {
    symbol,
    timeframe,
    long: null,
    short: null,
    active: null,
    trend: null,
    rsi: null,
    close: null,
    asOf: null,
  };
}

/**
 * A matrix cell from a stored engine state (pure): both directions scored on the last closed candle
 * with `config` (as the engine scored it), the active signal's direction, the EMA200 side and RSI.
 */
export function matrixCell(row: MatrixStateRow, config: EngineConfig): MarketMatrixCell {
  if (row.lastOpenTime === null || row.indicators === null || row.indicators.count === 0)
    return { ...emptyCell(row.symbol, row.timeframe), active: row.active };
  const indicators = new IndicatorSet();
  indicators.setState(row.indicators);
  const score = scoreCandle(indicators, config);
  const close = indicators.close;
  const ema200 = indicators.ema200;
  const rsi = indicators.rsi;
  return {
    symbol: row.symbol,
    timeframe: row.timeframe,
    long: score.long.confidence,
    short: score.short.confidence,
    active: row.active,
    trend: Number.isFinite(close) && Number.isFinite(ema200) ? (close > ema200 ? 'above' : 'below') : null,
    rsi: rsi === null || !Number.isFinite(rsi) ? null : round(rsi, 2),
    close: finiteOrNull(close),
    asOf: new Date(row.lastOpenTime + intervalMs(row.timeframe) - 1).toISOString(),
  };
}

/** Whether two cells show the same thing (a tick carries only cells that differ). */
export function sameCell(a: MarketMatrixCell, b: MarketMatrixCell): boolean {
  return (
    a.long === b.long &&
    a.short === b.short &&
    a.active === b.active &&
    a.trend === b.trend &&
    a.rsi === b.rsi &&
    a.close === b.close &&
    a.asOf === b.asOf
  );
}

export const cellKey = (symbol: string, timeframe: string): string => `${symbol}|${timeframe}`;

/**
 * The market matrix (issue 17 §4): every universe symbol × every scanned timeframe, read from the stored
 * engine states (the state after each series' last processed closed candle, written by whichever
 * process evaluated it) and scored with the engine config in force. The gateway's MarketMatrixFeed
 * turns the changes into `market.tick` events.
 */
@Injectable()
export class MarketMatrixService {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly engineConfig: EngineConfigService,
    private readonly universe: UniverseService,
  ) {}

  /** The scanned timeframes, shortest first. */
  timeframes(): string[] {
    return [...new Set(this.config.scanTimeframes)].sort((a, b) => intervalMs(a) - intervalMs(b));
  }

  /** The universe, best ranked first. */
  symbols(): Promise<string[]> {
    return this.universe.symbols();
  }

  engineConfigInForce(): Promise<EngineConfig> {
    return this.engineConfig.get();
  }

  /** The whole matrix now (`seq` is the caller's: 0 over REST, where no ticks follow). */
  async snapshot(seq = 0): Promise<MarketMatrixSnapshot> {
    const [symbols, config] = await Promise.all([this.symbols(), this.engineConfig.get()]);
    const timeframes = this.timeframes();
    const rows = await this.states(symbols, timeframes);
    return {
      seq,
      symbols,
      timeframes,
      cells: layout(symbols, timeframes, rows, config),
      generatedAt: new Date().toISOString(),
    };
  }

  /**
   * The revisions of the states of `timeframes` written after `since` (all of them when null): cheap
   * (no state body), so a caller can fetch only the states whose revision it has not seen.
   */
  async revisionsSince(since: Date | null, timeframes: readonly string[]): Promise<MatrixRevision[]> {
    const rows: { symbol: string; timeframe: string; revision: string | number; updated_at: Date }[] =
      await this.dataSource.query(
        `SELECT symbol, timeframe, state->>'revision' AS revision, updated_at
           FROM engine_states
          WHERE timeframe = ANY($1) AND ($2::timestamptz IS NULL OR updated_at > $2)`,
        [timeframes, since],
      );
    return rows.map((r) => ({
      symbol: r.symbol,
      timeframe: r.timeframe,
      revision: Number(r.revision),
      updatedAt: new Date(r.updated_at),
    }));
  }

  /** The stored states of `symbols` × `timeframes` (only the parts a cell reads). */
  states(symbols: readonly string[], timeframes: readonly string[]): Promise<MatrixStateRow[]> {
    return readStateParts(this.dataSource.manager, symbols, timeframes);
  }
}

/**
 * The parts of the stored engine states of `symbols` × `timeframes` that judge a timeframe (the matrix's
 * cells, a signal's confluence), without the rest of the snapshot. Pass a transaction's manager to see
 * its uncommitted states.
 */
export async function readStateParts(
  manager: Pick<EntityManager, 'query'>,
  symbols: readonly string[],
  timeframes: readonly string[],
): Promise<MatrixStateRow[]> {
  if (symbols.length === 0 || timeframes.length === 0) return [];
  const rows: RawStateRow[] = await manager.query(
    `SELECT symbol, timeframe, state->>'revision' AS revision,
            last_candle_open_time AS last_open_time,
            state->'snapshot'->'indicators' AS indicators,
            state->'snapshot'->'active'->'signal'->>'direction' AS active, updated_at
       FROM engine_states
      WHERE symbol = ANY($1) AND timeframe = ANY($2)`,
    [symbols, timeframes],
  );
  return rows.map(toStateRow);
}

function toStateRow(r: RawStateRow): MatrixStateRow {
  return {
    symbol: r.symbol,
    timeframe: r.timeframe,
    revision: Number(r.revision ?? 0),
    lastOpenTime: r.last_open_time === null ? null : Number(r.last_open_time),
    indicators: r.indicators,
    active: r.active === 'LONG' || r.active === 'SHORT' ? r.active : null,
    updatedAt: new Date(r.updated_at),
  };
}

/** Cells symbol-major in the given orders, empty where a series has no stored state. */
export function layout(
  symbols: readonly string[],
  timeframes: readonly string[],
  rows: readonly MatrixStateRow[],
  config: EngineConfig,
): MarketMatrixCell[] {
  const byKey = new Map(rows.map((row) => [cellKey(row.symbol, row.timeframe), row]));
  const cells: MarketMatrixCell[] = [];
  for (const symbol of symbols)
    for (const timeframe of timeframes) {
      const row = byKey.get(cellKey(symbol, timeframe));
      cells.push(row === undefined ? emptyCell(symbol, timeframe) : matrixCell(row, config));
    }
  return cells;
}
