import { Injectable } from '@nestjs/common';
import type { IndicatorSeries } from '@scanner/contracts';
import { computeIndicatorSeries, type OhlcPrices } from '@scanner/signal-core';

/** Indicator series for charts: signal-core's batch form (the streaming engine's own code). */
@Injectable()
export class IndicatorSeriesService {
  /** Every series aligned with `candles` (oldest first), null during each indicator's warm-up. */
  forCandles(candles: readonly OhlcPrices[]): IndicatorSeries {
    return computeIndicatorSeries(candles);
  }
}
