import { KlineInterval } from './intervals';
import { KlineSeries } from './kline-series';

/** Every loaded interval of one symbol, with the precision its prices and volumes were quoted in. */
export class SymbolSeries {
  private readonly byInterval = new Map<KlineInterval, KlineSeries>();
  private ascending: KlineSeries[] = [];

  constructor(
    readonly symbol: string,
    public priceDecimals: number,
    public quantityDecimals: number,
  ) {}

  add(series: KlineSeries): void {
    this.byInterval.set(series.interval, series);
    this.ascending = [...this.byInterval.values()].sort((a, b) => a.intervalMs - b.intervalMs);
  }

  get(interval: KlineInterval): KlineSeries | undefined {
    return this.byInterval.get(interval);
  }

  /** All series, finest interval first. */
  all(): readonly KlineSeries[] {
    return this.ascending;
  }

  intervals(): KlineInterval[] {
    return this.ascending.map((s) => s.interval);
  }

  /** Finer series whose candles tile one candle of `series`, coarsest first. */
  finerTiling(series: KlineSeries): KlineSeries[] {
    return this.ascending
      .filter((s) => s.intervalMs < series.intervalMs && series.intervalMs % s.intervalMs === 0)
      .reverse();
  }
}
