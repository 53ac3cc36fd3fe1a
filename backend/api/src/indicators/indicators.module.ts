import { Module } from '@nestjs/common';
import { IndicatorSeriesService } from './indicator-series.service';

/** Thin adapter over signal-core: indicator series for charts. */
@Module({
  providers: [IndicatorSeriesService],
  exports: [IndicatorSeriesService],
})
export class IndicatorsModule {}
