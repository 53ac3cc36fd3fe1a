import type { SignalDirection } from './signal';

/**
 * One cell of the market matrix (GET /api/market/matrix, socket `market.snapshot` / `market.tick`):
 * one universe symbol on one scanned timeframe, as of its last evaluated closed candle.
 */
export interface MarketMatrixCell {
  symbol: string;
  timeframe: string;
  /** Confidence of each direction at the last closed candle (0–100); null before any evaluated candle. */
  long: number | null;
  short: number | null;
  /** Direction of the ACTIVE signal on this series, null when there is none. */
  active: SignalDirection | null;
  /** Close of the last closed candle against EMA200; null until EMA200 has a value. */
  trend: 'above' | 'below' | null;
  /** RSI(14) at the last closed candle; null during warm-up. */
  rsi: number | null;
  /** Close of the last closed candle. */
  close: number | null;
  /** Close time (ISO UTC, market time) of the candle this cell describes; null when never evaluated. */
  asOf: string | null;
}

/** The whole matrix: every universe symbol (best ranked first) × every scanned timeframe (shortest first). */
export interface MarketMatrixSnapshot {
  /** The feed's tick counter this snapshot reflects: apply only ticks with a greater `seq`. */
  seq: number;
  symbols: string[];
  timeframes: string[];
  /** One per symbol × timeframe, symbol-major (`cells[s * timeframes.length + t]`). */
  cells: MarketMatrixCell[];
  /** ISO server time when it was read. */
  generatedAt: string;
}

/** At most this many cells go in one `market.tick` (a larger change is split into several ticks). */
export const MARKET_TICK_MAX_CELLS = 400;

/**
 * Cells that changed since the previous tick (after evaluations; at most one batch per second, each
 * event at most MARKET_TICK_MAX_CELLS cells). `seq` increases by one per tick: a client that sees a
 * hole asks again with `market.subscribe` and gets a fresh snapshot.
 */
export interface MarketMatrixTick {
  seq: number;
  cells: MarketMatrixCell[];
  /** Present when the universe changed: the new symbol list (cells of removed symbols are dropped). */
  symbols?: string[];
}
