import { KlineSeries } from './kline-series';
import { SeededRandom } from './prng';
import { SymbolSeries } from './symbol-series';

export interface SyntheticSymbolsOptions {
  count: number;
  /** Seed of the price and volume factors. Default 7. */
  seed?: number;
  /** Names are `<prefix><NNN>USDT`, e.g. SYM001USDT. Default 'SYM'. */
  prefix?: string;
}

/**
 * Clones for scale tests: clone i replays real symbol i mod n with its prices multiplied by a factor in
 * [0.5, 2) and its volumes by a factor in [0.2, 5) (seeded), rounded to the real symbol's precision.
 * The candles are the real ones, so every clone keeps realistic shapes, gaps-free history and the same
 * time axis; clones of the same real symbol move in lockstep.
 */
export function cloneSymbols(
  bases: readonly SymbolSeries[],
  options: SyntheticSymbolsOptions,
): SymbolSeries[] {
  if (options.count <= 0 || bases.length === 0) return [];
  const random = new SeededRandom(options.seed ?? 7);
  const prefix = options.prefix ?? 'SYM';
  const digits = Math.max(3, String(options.count).length);
  const clones: SymbolSeries[] = [];
  for (let i = 0; i < options.count; i++) {
    const base = bases[i % bases.length]!;
    const symbol = `${prefix}${String(i + 1).padStart(digits, '0')}USDT`;
    const price = random.between(0.5, 2);
    const volume = random.between(0.2, 5);
    const clone = new SymbolSeries(symbol, base.priceDecimals, base.quantityDecimals);
    for (const series of base.all()) {
      clone.add(
        new KlineSeries(symbol, series.interval, series.columns, undefined, {
          price,
          volume,
          priceDecimals: base.priceDecimals,
          quantityDecimals: base.quantityDecimals,
        }),
      );
    }
    clones.push(clone);
  }
  return clones;
}
