/** Public entry of the metrics module (shared infrastructure): the process's Prometheus registry. */
export { MetricsModule } from './metrics.module';
export { MetricsService } from './metrics.service';
