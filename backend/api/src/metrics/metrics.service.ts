import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

type Collector = () => Promise<void> | void;

/**
 * Prometheus metrics of this process. Services record what happens (counters, histograms); values
 * that live elsewhere (queue depth, signals by status, sockets) are read at scrape time by collectors
 * that their owners register.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly collectors: Collector[] = [];

  readonly httpRequestDuration = new Histogram({
    name: 'scanner_http_request_duration_seconds',
    help: 'HTTP request duration by route',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly scanDuration = new Histogram({
    name: 'scanner_scan_duration_seconds',
    help: 'Wall time of a market scan batch',
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly symbolsScanned = new Counter({
    name: 'scanner_symbols_scanned_total',
    help: 'Symbol × timeframe scans done',
    registers: [this.registry],
  });
  readonly streamEvaluation = new Histogram({
    name: 'scanner_stream_evaluation_seconds',
    help: 'Engine step for candles closed on the streams (persisted, events written)',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly streamCandleLag = new Histogram({
    name: 'scanner_stream_candle_lag_seconds',
    help: 'From a final kline arriving on the stream to the candle stored and to its engine step done',
    labelNames: ['stage'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly candlesFetched = new Counter({
    name: 'scanner_candles_fetched_total',
    help: 'Closed candles fetched and stored',
    registers: [this.registry],
  });
  readonly weightUsed = new Gauge({
    name: 'scanner_binance_weight_used',
    help: 'Binance request weight used in the current minute',
    registers: [this.registry],
  });
  readonly weightLimit = new Gauge({
    name: 'scanner_binance_weight_limit',
    help: 'Binance request weight limit per minute',
    registers: [this.registry],
  });
  readonly exchangeRejections = new Gauge({
    name: 'scanner_binance_rejections',
    help: 'Binance 429/418 answers recorded by the shared request-weight budget',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });
  readonly exchangePaused = new Gauge({
    name: 'scanner_binance_paused',
    help: '1 while requests are paused after a 429/418',
    registers: [this.registry],
  });
  readonly signals = new Gauge({
    name: 'scanner_signals',
    help: 'Signals by status and direction',
    labelNames: ['status', 'direction'] as const,
    registers: [this.registry],
  });
  readonly eventsPublished = new Counter({
    name: 'scanner_events_published_total',
    help: 'Signal events published to sockets',
    registers: [this.registry],
  });
  readonly connectedSockets = new Gauge({
    name: 'scanner_connected_sockets',
    help: 'Connected dashboard sockets',
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'scanner_queue_jobs',
    help: 'Jobs per queue and state',
    labelNames: ['queue', 'state'] as const,
    registers: [this.registry],
  });
  readonly jobFailures = new Counter({
    name: 'scanner_job_failures_total',
    help: 'Failed job attempts by job name',
    labelNames: ['job'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'scanner_' });
  }

  /** Registers a function that refreshes gauges just before each scrape. */
  addCollector(collector: Collector): void {
    this.collectors.push(collector);
  }

  async render(): Promise<string> {
    await Promise.all(this.collectors.map(async (collect) => collect()));
    return this.registry.metrics();
  }
}
