import type { MarketMatrixCell } from '@scanner/contracts';

/** What a row can be sorted by: universe rank, symbol, or a value of one timeframe's cell. */
export type MatrixSortField = 'rank' | 'symbol' | 'long' | 'short' | 'net' | 'rsi';

export interface MatrixSort {
  field: MatrixSortField;
  /** The timeframe a value field reads (ignored for rank and symbol). */
  timeframe: string | null;
  descending: boolean;
}

export interface MatrixFilter {
  /** Case-insensitive part of the symbol. */
  text: string;
  /** Only symbols with an active signal on some timeframe. */
  activeOnly: boolean;
  /** Only symbols whose best confidence (either direction, any timeframe) reaches this. */
  minConfidence: number;
  /** Only symbols leaning this way on some timeframe (long > short, or short > long). */
  side: 'any' | 'long' | 'short';
}

export const DEFAULT_SORT: MatrixSort = { field: 'rank', timeframe: null, descending: false };
export const DEFAULT_FILTER: MatrixFilter = { text: '', activeOnly: false, minConfidence: 0, side: 'any' };

export type CellLookup = (symbol: string, timeframe: string) => MarketMatrixCell | undefined;

/** Whether sorting or filtering reads live values (then the order is refreshed as values change). */
export function readsValues(sort: MatrixSort, filter: MatrixFilter): boolean {
  return (
    (sort.field !== 'rank' && sort.field !== 'symbol') ||
    filter.activeOnly ||
    filter.minConfidence > 0 ||
    filter.side !== 'any'
  );
}

function value(cell: MarketMatrixCell | undefined, field: MatrixSortField): number | null {
  if (cell === undefined) return null;
  switch (field) {
    case 'long':
      return cell.long;
    case 'short':
      return cell.short;
    case 'net':
      return cell.long === null || cell.short === null ? null : cell.long - cell.short;
    case 'rsi':
      return cell.rsi;
    default:
      return null;
  }
}

/** The symbols to show, in order. `symbols` is the universe, best ranked first. */
export function visibleSymbols(
  symbols: readonly string[],
  timeframes: readonly string[],
  cell: CellLookup,
  sort: MatrixSort,
  filter: MatrixFilter,
): string[] {
  const text = filter.text.trim().toUpperCase();
  const kept = symbols.filter((symbol) => {
    if (text !== '' && !symbol.includes(text)) return false;
    if (!filter.activeOnly && filter.minConfidence <= 0 && filter.side === 'any') return true;
    const cells = timeframes.map((tf) => cell(symbol, tf));
    if (filter.activeOnly && !cells.some((c) => c?.active != null)) return false;
    if (
      filter.minConfidence > 0 &&
      !cells.some((c) => Math.max(c?.long ?? -1, c?.short ?? -1) >= filter.minConfidence)
    )
      return false;
    if (filter.side === 'long' && !cells.some((c) => (c?.long ?? 0) > (c?.short ?? 0))) return false;
    if (filter.side === 'short' && !cells.some((c) => (c?.short ?? 0) > (c?.long ?? 0))) return false;
    return true;
  });
  const rank = new Map(symbols.map((s, i) => [s, i]));
  const byRank = (a: string, b: string) => rank.get(a)! - rank.get(b)!;
  const sign = sort.descending ? -1 : 1;
  if (sort.field === 'rank') return sort.descending ? kept.reverse() : kept;
  if (sort.field === 'symbol') return kept.sort((a, b) => sign * a.localeCompare(b));
  const tf = sort.timeframe ?? timeframes[0];
  const keyed = kept.map((symbol) => ({ symbol, v: value(cell(symbol, tf), sort.field) }));
  // Missing values go last whichever the direction; ties keep the universe order.
  keyed.sort((a, b) => {
    if (a.v === null || b.v === null) return a.v === b.v ? byRank(a.symbol, b.symbol) : a.v === null ? 1 : -1;
    return sign * (a.v - b.v) || byRank(a.symbol, b.symbol);
  });
  return keyed.map((k) => k.symbol);
}

/**
 * The colour step of a cell: long − short in steps of 20 points, −5 (all short) … +5 (all long), on a
 * blue (long) – orange (short) diverging scale that colour-blind readers tell apart; null = no data.
 */
export function colourLevel(cell: MarketMatrixCell | undefined): number | null {
  if (cell === undefined || cell.long === null || cell.short === null) return null;
  return Math.max(-5, Math.min(5, Math.round((cell.long - cell.short) / 20)));
}

/** The text a cell shows, part by part (the grid writes only the parts that changed). */
export interface CellText {
  long: string;
  short: string;
  /** "LONG" / "SHORT" when a signal is active, else empty. */
  active: string;
  /** EMA200 side as an arrow and RSI, e.g. "↑ 56.2". */
  detail: string;
  /** Everything in words (title and accessible name). */
  label: string;
}

const num = (v: number | null): string => (v === null ? '–' : String(Math.round(v)));

export function cellText(symbol: string, timeframe: string, cell: MarketMatrixCell | undefined): CellText {
  if (cell === undefined || cell.asOf === null)
    return {
      long: '–',
      short: '–',
      active: '',
      detail: '',
      label: `${symbol} ${timeframe}: not evaluated yet`,
    };
  const arrow = cell.trend === 'above' ? '↑' : cell.trend === 'below' ? '↓' : '·';
  const rsi = cell.rsi === null ? '–' : cell.rsi.toFixed(1);
  const trend =
    cell.trend === 'above' ? 'above EMA200' : cell.trend === 'below' ? 'below EMA200' : 'EMA200 warming up';
  const active = cell.active === null ? 'no active signal' : `active ${cell.active} signal`;
  return {
    long: num(cell.long),
    short: num(cell.short),
    active: cell.active ?? '',
    detail: `${arrow} ${rsi}`,
    label:
      `${symbol} ${timeframe}: long ${num(cell.long)}, short ${num(cell.short)}, ${active}, ` +
      `close ${trend}, RSI ${rsi}, candle closed ${cell.asOf.slice(0, 16).replace('T', ' ')} UTC`,
  };
}

/**
 * Positions (indices into `seq`) of one longest strictly increasing subsequence of `seq`, negatives
 * skipped. For re-ordering rows: `seq[i]` = where the row wanted at i is now; the rows of this
 * subsequence can stay, only the others need moving (the fewest DOM moves).
 */
export function increasingRun(seq: readonly number[]): Set<number> {
  const tails: number[] = []; // tails[k] = index in seq ending the best run of length k + 1
  const previous = new Int32Array(seq.length).fill(-1);
  for (let i = 0; i < seq.length; i++) {
    const v = seq[i];
    if (v < 0) continue;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (seq[tails[mid]] < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[i] = tails[lo - 1];
    tails[lo] = i;
  }
  const keep = new Set<number>();
  for (let i = tails.length > 0 ? tails[tails.length - 1] : -1; i >= 0; i = previous[i]) keep.add(i);
  return keep;
}
