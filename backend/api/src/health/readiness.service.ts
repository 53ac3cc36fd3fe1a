import { HttpException, Inject, Injectable } from '@nestjs/common';
import {
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorFunction,
  HealthIndicatorResult,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { AppConfig } from '../config';
import { ExchangeHealth } from '../market-data';
import { RedisConnection } from '../redis';
import { ScanHealth } from './scan-health';

const CHECK_TIMEOUT_MS = 2_000;

/**
 * Readiness (DESIGN §8): database, Redis (when used), the exchange (reachable, not in a 429/418 pause),
 * scans succeeding (last one younger than 3 scan periods) and, for PGlite, free disk space.
 */
@Injectable()
export class ReadinessService {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisConnection,
    private readonly exchange: ExchangeHealth,
    private readonly scanHealth: ScanHealth,
  ) {}

  /** Resolves 200-style results; rejects with terminus' 503 exception naming the failing parts. */
  check(): Promise<HealthCheckResult> {
    return this.health.check(this.checks());
  }

  /** The same checks, never throwing: for snapshots and status broadcasts. */
  async report(): Promise<{ healthy: boolean; result: HealthCheckResult }> {
    try {
      return { healthy: true, result: await this.check() };
    } catch (error) {
      if (error instanceof HttpException) {
        return { healthy: false, result: error.getResponse() as HealthCheckResult };
      }
      throw error;
    }
  }

  private checks(): HealthIndicatorFunction[] {
    const checks: HealthIndicatorFunction[] = [
      () => this.database.pingCheck('database').withTimeout(CHECK_TIMEOUT_MS),
    ];
    if (this.config.redisUrl !== null) {
      checks.push(() =>
        this.indicators
          .check('redis')
          .attempt(() => this.redis.ping(CHECK_TIMEOUT_MS))
          .withTimeout(CHECK_TIMEOUT_MS + 500),
      );
    }
    // From the last request outcomes and the shared pause: no Binance call per health request.
    checks.push(() => this.verdict('exchange', () => this.exchange.report()));
    checks.push(() => this.verdict('scans', () => this.scanHealth.scans()));
    if (this.config.databaseUrl === null) {
      checks.push(() =>
        this.verdict('disk', async () => (await this.scanHealth.disk()) ?? { up: true, details: {} }),
      );
    }
    return checks;
  }

  /** A check whose own failure (its database query, say) reads as `down` with the reason, never a 500. */
  private async verdict(
    key: string,
    probe: () => Promise<{ up: boolean; details: Record<string, unknown> }>,
  ): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    try {
      const { up, details } = await probe();
      return up ? indicator.up(details) : indicator.down(details);
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
