import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { ReadinessService } from './readiness.service';

@ApiTags('health')
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  @Get()
  @ApiOperation({ summary: 'Liveness: the process answers (no dependency is checked).' })
  live(): HealthCheckResult {
    const details = { process: { status: 'up' as const, uptimeSeconds: Math.round(process.uptime()) } };
    return { status: 'ok', info: details, error: {}, details };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: database and Redis (when used); 200 when ready, 503 naming what is not.',
  })
  ready(): Promise<HealthCheckResult> {
    return this.readiness.check();
  }
}
