import { BinanceApiError, NUMBER_RANGE, SYMBOLS_RANGE, SYMBOL_RANGE, errors } from './binance-errors';
import { KlineInterval, isKlineInterval } from './intervals';

const SYMBOL_PATTERN = new RegExp(SYMBOL_RANGE);
const SYMBOLS_PATTERN = new RegExp(SYMBOLS_RANGE);
const NUMBER_PATTERN = new RegExp(NUMBER_RANGE);

/** Query string of one request, read the way Binance validates it. */
export class QueryParams {
  private readonly values = new Map<string, string>();
  /** Set when a name appears twice; raised when the endpoint runs (weight is still charged). */
  readonly problem: BinanceApiError | undefined;

  constructor(search: string) {
    let problem: BinanceApiError | undefined;
    for (const [name, value] of new URLSearchParams(search)) {
      if (this.values.has(name)) problem ??= errors.duplicateParameter();
      this.values.set(name, value);
    }
    this.problem = problem;
  }

  raw(name: string): string | undefined {
    return this.values.get(name);
  }

  /** Present and non-empty. */
  has(name: string): boolean {
    const value = this.values.get(name);
    return value !== undefined && value !== '';
  }

  symbol(name = 'symbol'): string {
    const value = this.values.get(name);
    if (value === undefined || value === '') throw errors.mandatory(name);
    if (!SYMBOL_PATTERN.test(value)) throw errors.illegalChars(name, SYMBOL_RANGE);
    return value;
  }

  interval(): KlineInterval {
    const value = this.values.get('interval');
    if (value === undefined || value === '') throw errors.mandatory('interval');
    if (!isKlineInterval(value)) throw errors.badInterval();
    return value;
  }

  optionalLong(name: string): number | undefined {
    const value = this.values.get(name);
    if (value === undefined || value === '') return undefined;
    if (!NUMBER_PATTERN.test(value)) throw errors.illegalChars(name, NUMBER_RANGE);
    return Number(value);
  }

  /** Binance documents limit default/maximum; anything outside 1..max is rejected here (assumed -1130). */
  limit(defaultValue: number, max: number): number {
    const value = this.optionalLong('limit');
    if (value === undefined) return defaultValue;
    if (value < 1 || value > max) throw errors.invalidParameter('limit');
    return value;
  }

  /** `symbols=["A","B"]`: Binance's exact syntax (no spaces), no duplicates, at least one name. */
  symbolList(): string[] | undefined {
    const value = this.values.get('symbols');
    if (value === undefined) return undefined;
    if (value === '') throw errors.mandatory('symbols');
    if (!SYMBOLS_PATTERN.test(value)) throw errors.illegalChars('symbols', SYMBOLS_RANGE);
    const list = JSON.parse(value) as string[];
    if (list.length === 0) throw errors.mandatory('symbols');
    if (new Set(list).size !== list.length) throw errors.duplicateSymbols();
    return list;
  }

  /** Counts the names in `symbols` for weighting, without validating. */
  symbolCountForWeight(): number | undefined {
    const value = this.values.get('symbols');
    if (value === undefined) return undefined;
    return value.split(',').length;
  }
}
