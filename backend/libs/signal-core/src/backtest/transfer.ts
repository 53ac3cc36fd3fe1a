import type { BinanceKline, Candle } from '../candles/candle.types';
import {
  INDICATOR_SNAPSHOT_KEYS,
  type IndicatorSnapshot,
  type IndicatorSnapshotKey,
} from '../indicators/indicator-values.types';
import { LazyConditions, type LazyConditionsRecipe } from '../lifecycle/lazy-conditions';
import { buildSignal, lazyConditionsOf, type SignalFields } from '../lifecycle/signal-builder';
import type { SameCandleResolution, Signal, SignalStatus } from '../lifecycle/signal.types';
import type { SignalCondition } from '../scoring/condition-key';
import type { EngineConfig } from '../scoring/engine-config';

/*
 * Candles and signals as flat Float64Arrays, so a backtest can cross threads (postMessage with the
 * buffers transferred) at a fraction of what cloning objects costs, and without formatting any
 * signal's condition breakdown (each signal carries the values its lazy breakdown is built from).
 * Pure: packing and unpacking give back equal objects (the same class for signals).
 */

const CANDLE_STRIDE = 8;

/** A series of candles packed 8 numbers each; `quoteVolume` marks whether every candle has one. */
export interface PackedCandles {
  readonly data: Float64Array;
  readonly quoteVolume: boolean;
}

/** Candles as one Float64Array; a series whose candles only some carry quoteVolume is kept as objects (null). */
export function packCandles(candles: readonly Candle[]): PackedCandles | null {
  const n = candles.length;
  const data = new Float64Array(n * CANDLE_STRIDE);
  const first = n > 0 && (candles[0] as { quoteVolume?: number }).quoteVolume !== undefined;
  for (let i = 0, o = 0; i < n; i++, o += CANDLE_STRIDE) {
    const c = candles[i];
    const qv = (c as { quoteVolume?: number }).quoteVolume;
    if ((qv !== undefined) !== first) return null;
    data[o] = c.openTime;
    data[o + 1] = c.closeTime;
    data[o + 2] = c.open;
    data[o + 3] = c.high;
    data[o + 4] = c.low;
    data[o + 5] = c.close;
    data[o + 6] = c.volume;
    data[o + 7] = qv ?? 0;
  }
  return { data, quoteVolume: first };
}

/** The candles packCandles packed, in the parser's object shape (the shape the engine is tuned for). */
export function unpackCandles(packed: PackedCandles): Candle[] {
  const d = packed.data;
  const n = d.length / CANDLE_STRIDE;
  const out: Candle[] = new Array(n);
  for (let i = 0, o = 0; i < n; i++, o += CANDLE_STRIDE) {
    if (packed.quoteVolume) {
      const kline: BinanceKline = {
        openTime: d[o],
        closeTime: d[o + 1],
        open: d[o + 2],
        high: d[o + 3],
        low: d[o + 4],
        close: d[o + 5],
        volume: d[o + 6],
        quoteVolume: d[o + 7],
      };
      out[i] = kline;
    } else {
      out[i] = {
        openTime: d[o],
        closeTime: d[o + 1],
        open: d[o + 2],
        high: d[o + 3],
        low: d[o + 4],
        close: d[o + 5],
        volume: d[o + 6],
      };
    }
  }
  return out;
}

const STATUSES: readonly SignalStatus[] = [
  'ACTIVE',
  'TP_HIT',
  'SL_HIT',
  'INVALIDATED',
  'EXPIRED',
  'CANCELLED',
];
const STATUS_CODE: Readonly<Record<SignalStatus, number>> = {
  ACTIVE: 0,
  TP_HIT: 1,
  SL_HIT: 2,
  INVALIDATED: 3,
  EXPIRED: 4,
  CANCELLED: 5,
};
const RESOLUTIONS: readonly (SameCandleResolution | null)[] = [null, 'fine', 'conservative'];
const IND = 33;
const S = IND + INDICATOR_SNAPSHOT_KEYS.length; // stride: 33 fields, then the indicator snapshot (null = NaN)
/** Where each indicator value sits in a signal's stride: its place in INDICATOR_SNAPSHOT_KEYS. */
const AT = Object.fromEntries(INDICATOR_SNAPSHOT_KEYS.map((key, k) => [key, IND + k])) as Readonly<
  Record<IndicatorSnapshotKey, number>
>;

/**
 * One series' signals packed: numbers in `data`; the rare parts that are not numbers (a close
 * reason, an already formatted breakdown, indicators not shared with the breakdown, an id not of
 * the usual form) beside it by index.
 */
export interface PackedSignals {
  readonly count: number;
  readonly data: Float64Array;
  readonly symbol: string;
  readonly timeframe: string;
  readonly ids: Readonly<Record<number, string>>;
  readonly closeReasons: Readonly<Record<number, string>>;
  readonly conditions: Readonly<Record<number, readonly SignalCondition[]>>;
  readonly recipeIndicators: Readonly<Record<number, IndicatorSnapshot>>;
}

const idOf = (symbol: string, timeframe: string, candleOpenTime: number, direction: string) =>
  `${symbol}-${timeframe}-${candleOpenTime}-${direction}`;

/** Packs the signals of one symbol + timeframe (as runBacktest returns them) without reading their breakdowns. */
export function packSignals(signals: readonly Signal[], symbol: string, timeframe: string): PackedSignals {
  const data = new Float64Array(signals.length * S);
  const ids: Record<number, string> = {};
  const closeReasons: Record<number, string> = {};
  const conditions: Record<number, readonly SignalCondition[]> = {};
  const recipeIndicators: Record<number, IndicatorSnapshot> = {};
  for (let i = 0; i < signals.length; i++) {
    const s = signals[i];
    if (s.symbol !== symbol || s.timeframe !== timeframe)
      throw new RangeError(`packSignals: ${s.id} is not of ${symbol} ${timeframe}`);
    const o = i * S;
    if (s.id !== idOf(symbol, timeframe, s.candleOpenTime, s.direction)) ids[i] = s.id;
    data[o] = s.direction === 'LONG' ? 0 : 1;
    data[o + 1] = STATUS_CODE[s.status];
    data[o + 2] = s.confidence;
    data[o + 3] = s.initialConfidence;
    data[o + 4] = s.initialConditionMask;
    data[o + 5] = s.entryPrice;
    data[o + 6] = s.stopLoss;
    data[o + 7] = s.initialStopLoss;
    data[o + 8] = s.takeProfit;
    data[o + 9] = s.riskReward;
    data[o + 10] = s.candleOpenTime;
    data[o + 11] = s.createdAt;
    data[o + 12] = s.updatedAt;
    // Fields that may be null, one bit each: closedAt, exitPrice, outcomeR, grossR, netR, durationMs, durationCandles.
    let nulls = 0;
    if (s.closedAt === null) nulls |= 1;
    else data[o + 13] = s.closedAt;
    if (s.exitPrice === null) nulls |= 2;
    else data[o + 14] = s.exitPrice;
    if (s.outcomeR === null) nulls |= 4;
    else data[o + 15] = s.outcomeR;
    if (s.grossR === null) nulls |= 8;
    else data[o + 16] = s.grossR;
    if (s.netR === null) nulls |= 16;
    else data[o + 17] = s.netR;
    if (s.durationMs === null) nulls |= 32;
    else data[o + 18] = s.durationMs;
    if (s.durationCandles === null) nulls |= 64;
    else data[o + 19] = s.durationCandles;
    data[o + 20] = nulls;
    data[o + 21] = s.resolution === null ? 0 : s.resolution === 'fine' ? 1 : 2;
    if (s.closeReason !== null) closeReasons[i] = s.closeReason;
    data[o + 22] = s.mfe;
    data[o + 23] = s.mae;
    data[o + 24] = s.mfeR;
    data[o + 25] = s.maeR;
    data[o + 26] = s.version;
    const lazy = lazyConditionsOf(s);
    const recipe: LazyConditionsRecipe = lazy === null ? { conditions: s.conditions } : lazy.recipe();
    if ('conditions' in recipe) {
      conditions[i] = recipe.conditions;
    } else {
      data[o + 27] = recipe.close;
      data[o + 28] = recipe.haOpen;
      data[o + 29] = recipe.haClose;
      data[o + 30] = recipe.sinceBullishCross;
      data[o + 31] = recipe.sinceBearishCross;
      if (recipe.indicators !== s.indicators) recipeIndicators[i] = recipe.indicators;
    }
    const ind = s.indicators;
    for (let k = 0; k < INDICATOR_SNAPSHOT_KEYS.length; k++) {
      const v = ind[INDICATOR_SNAPSHOT_KEYS[k]];
      data[o + IND + k] = v === null ? Number.NaN : v;
    }
  }
  return { count: signals.length, data, symbol, timeframe, ids, closeReasons, conditions, recipeIndicators };
}

/** The number at `i`, NaN read as null. (Plain functions, no closures: unpacking runs per signal.) */
function orNull(d: Float64Array, i: number): number | null {
  const x = d[i];
  return x === x ? x : null;
}

/**
 * The snapshot packed at `o`, as one object literal (the shape of the engine's snapshots); the type
 * makes it name every field of INDICATOR_SNAPSHOT_KEYS, and AT places each where packSignals put it.
 */
function indicatorsAt(d: Float64Array, o: number): IndicatorSnapshot {
  return {
    rsi: orNull(d, o + AT.rsi),
    macd: orNull(d, o + AT.macd),
    macdSignal: orNull(d, o + AT.macdSignal),
    macdHistogram: orNull(d, o + AT.macdHistogram),
    ema9: orNull(d, o + AT.ema9),
    ema21: orNull(d, o + AT.ema21),
    ema50: orNull(d, o + AT.ema50),
    ema200: orNull(d, o + AT.ema200),
    atr: orNull(d, o + AT.atr),
    adx: orNull(d, o + AT.adx),
    plusDi: orNull(d, o + AT.plusDi),
    minusDi: orNull(d, o + AT.minusDi),
    bbUpper: orNull(d, o + AT.bbUpper),
    bbMiddle: orNull(d, o + AT.bbMiddle),
    bbLower: orNull(d, o + AT.bbLower),
  };
}

function nullableAt(d: Float64Array, o: number, nulls: number, b: number): number | null {
  return (nulls & (1 << b)) !== 0 ? null : d[o + 13 + b];
}

/**
 * The signals packSignals packed, rebuilt as engine signals whose breakdowns are formatted on
 * first read under `config` (the configuration they were produced with).
 */
export function unpackSignals(packed: PackedSignals, config: EngineConfig): Signal[] {
  const { data: d, symbol, timeframe } = packed;
  const out: Signal[] = new Array(packed.count);
  const scratch = {} as Mutable<SignalFields>;
  // The side tables are almost always empty: skip their lookups then.
  const rare =
    Object.keys(packed.ids).length +
      Object.keys(packed.closeReasons).length +
      Object.keys(packed.conditions).length +
      Object.keys(packed.recipeIndicators).length >
    0;
  for (let i = 0; i < packed.count; i++) {
    const o = i * S;
    const direction = d[o] === 0 ? 'LONG' : 'SHORT';
    const nulls = d[o + 20];
    const indicators = indicatorsAt(d, o);
    const formatted = rare ? packed.conditions[i] : undefined;
    const lazy =
      formatted !== undefined
        ? LazyConditions.of(formatted, direction)
        : LazyConditions.fromValues(
            (rare ? packed.recipeIndicators[i] : undefined) ?? indicators,
            d[o + 27],
            d[o + 28],
            d[o + 29],
            d[o + 30],
            d[o + 31],
            config,
            direction,
          );
    const candleOpenTime = d[o + 10];
    // One scratch object for every signal: buildSignal copies the fields out of it.
    const f = scratch;
    f.id = (rare ? packed.ids[i] : undefined) ?? idOf(symbol, timeframe, candleOpenTime, direction);
    f.symbol = symbol;
    f.timeframe = timeframe;
    f.direction = direction;
    f.status = STATUSES[d[o + 1]];
    f.confidence = d[o + 2];
    f.initialConfidence = d[o + 3];
    f.initialConditionMask = d[o + 4];
    f.entryPrice = d[o + 5];
    f.stopLoss = d[o + 6];
    f.initialStopLoss = d[o + 7];
    f.takeProfit = d[o + 8];
    f.riskReward = d[o + 9];
    f.indicators = indicators;
    f.candleOpenTime = candleOpenTime;
    f.createdAt = d[o + 11];
    f.updatedAt = d[o + 12];
    f.closedAt = nullableAt(d, o, nulls, 0);
    f.exitPrice = nullableAt(d, o, nulls, 1);
    f.outcomeR = nullableAt(d, o, nulls, 2);
    f.grossR = nullableAt(d, o, nulls, 3);
    f.netR = nullableAt(d, o, nulls, 4);
    f.resolution = RESOLUTIONS[d[o + 21]];
    f.closeReason = (rare ? packed.closeReasons[i] : undefined) ?? null;
    f.mfe = d[o + 22];
    f.mae = d[o + 23];
    f.mfeR = d[o + 24];
    f.maeR = d[o + 25];
    f.durationMs = nullableAt(d, o, nulls, 5);
    f.durationCandles = nullableAt(d, o, nulls, 6);
    f.version = d[o + 26];
    out[i] = buildSignal(f, lazy, NO_CHANGES);
  }
  return out;
}

const NO_CHANGES = Object.freeze({});

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
