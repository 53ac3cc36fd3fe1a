import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { appSetting, AppSettingsStore } from '../database';
import { MetricsService } from '../metrics';
import { BinanceTransport } from './binance-transport';
import { MarketDataError } from './market-data.errors';

/** The exchange's clock minus the host's, as last measured. */
export interface ClockOffset {
  offsetMs: number;
  /** Host time of the measurement. */
  measuredAt: number;
  roundTripMs: number;
}

/** Weight of `GET /api/v3/time`. */
export const TIME_WEIGHT = 1;
/** The shared copy (readiness and the cron's scan timing in an `api` process that syncs nothing) is rewritten at most this often. */
const SHARE_EVERY_MS = 30_000;

const SHARED_OFFSET = appSetting('exchange-clock', (stored): ClockOffset | null => {
  const value = stored as Partial<ClockOffset> | undefined;
  return value && typeof value.offsetMs === 'number' && typeof value.measuredAt === 'number'
    ? { offsetMs: value.offsetMs, measuredAt: value.measuredAt, roundTripMs: Number(value.roundTripMs ?? 0) }
    : null;
});

/**
 * The exchange's clock, measured from `serverTime` (weight 1): offset = serverTime − the host time half
 * way through the round trip. Syncs measure it at their start (so it follows even a replaying exchange
 * whose clock runs faster than the host's), stamp open-candle observations with it and time the polling
 * scans on it; the last value is shared through app_settings for processes that do not sync.
 */
@Injectable()
export class ExchangeClock implements OnModuleInit {
  private readonly logger = new Logger(ExchangeClock.name);
  private last: ClockOffset | null = null;
  private sharedAt = 0;
  private inFlight: Promise<ClockOffset | null> | null = null;
  private readonly gauge: Gauge;
  /** The host's clock (replaceable in tests). */
  hostNow: () => number = Date.now;

  constructor(
    private readonly transport: BinanceTransport,
    private readonly settings: AppSettingsStore,
    private readonly metrics: MetricsService,
  ) {
    this.gauge = new Gauge({
      name: 'scanner_exchange_clock_offset_seconds',
      help: "The exchange's clock minus the host's (from GET /api/v3/time; positive = the exchange is ahead)",
      registers: [metrics.registry],
    });
  }

  onModuleInit(): void {
    // A process that does not sync shows what the syncing one measured.
    this.metrics.addCollector(async () => {
      const offset = await this.shared();
      if (offset !== null) this.gauge.set(offset.offsetMs / 1000);
    });
  }

  /** Host time + the last measured offset (the host's time before any measurement). */
  now(host: number = this.hostNow()): number {
    return host + (this.last?.offsetMs ?? 0);
  }

  current(): ClockOffset | null {
    return this.last;
  }

  /**
   * Measures; calls meanwhile share the request. A measurement is not reused beyond that: a replaying
   * exchange's clock can run many times faster than the host's (or jump), so even a second-old offset
   * may be minutes off there. A failure keeps the last value (logged).
   */
  async refresh(): Promise<ClockOffset | null> {
    this.inFlight ??= this.measure()
      .catch((error: unknown) => {
        this.logger.warn(`measuring the exchange clock failed: ${(error as Error).message}`);
        return this.last;
      })
      .finally(() => {
        this.inFlight = null;
      });
    return this.inFlight;
  }

  async measure(): Promise<ClockOffset> {
    const sent = this.hostNow();
    const body = await this.transport.get<{ serverTime?: unknown }>({
      path: '/api/v3/time',
      weight: TIME_WEIGHT,
      label: 'time',
    });
    const received = this.hostNow();
    if (typeof body.serverTime !== 'number' || !Number.isSafeInteger(body.serverTime)) {
      throw new MarketDataError(`time: serverTime is not an integer: ${JSON.stringify(body.serverTime)}`);
    }
    const offset: ClockOffset = {
      offsetMs: body.serverTime - Math.round((sent + received) / 2),
      measuredAt: received,
      roundTripMs: received - sent,
    };
    this.last = offset;
    this.gauge.set(offset.offsetMs / 1000);
    if (received - this.sharedAt >= SHARE_EVERY_MS) {
      this.sharedAt = received;
      await this.settings.set(SHARED_OFFSET, offset).catch((error: unknown) => {
        this.logger.warn(`sharing the exchange clock offset failed: ${(error as Error).message}`);
      });
    }
    return offset;
  }

  /** This process's measurement, else the one another process shared. */
  async shared(): Promise<ClockOffset | null> {
    return this.last ?? (await this.settings.get(SHARED_OFFSET));
  }
}
