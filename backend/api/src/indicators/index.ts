/** Public entry of the indicators module: indicator series for charts. */
export { IndicatorsModule } from './indicators.module';
export { IndicatorSeriesService } from './indicator-series.service';
