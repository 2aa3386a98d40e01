import { Controller, Get, HttpStatus, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { HealthCheckResult } from '@nestjs/terminus';
import { AppConfig } from '../config';
import { ApiErrorResponse, AppException, ErrorCode, ErrorDetail, Public } from '../common';
import { LifecycleService } from './lifecycle.service';
import { ReadinessRegistry } from './readiness.registry';

class LivenessDto {
  @ApiProperty({ example: 'healthy' })
  status!: string;

  @ApiProperty({ example: '4.1.0' })
  version!: string;
}

/** The readiness probe's 503: shutting down, or the dependencies that are down (one detail each). */
export function notReady(shuttingDown: boolean, details: ErrorDetail[]): AppException {
  const reason = shuttingDown ? 'shutting_down' : 'dependency unavailable';
  return new AppException(ErrorCode.SERVICE_UNAVAILABLE, `Not ready: ${reason}`, HttpStatus.SERVICE_UNAVAILABLE, { details });
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  private readonly live: LivenessDto;

  constructor(
    config: AppConfig,
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly lifecycle: LifecycleService,
    private readonly checks: ReadinessRegistry,
  ) {
    this.live = { status: 'healthy', version: config.version };
  }

  /** Liveness: constant work, never touches Redis or the worker pool. */
  @Get()
  @ApiOperation({ summary: 'Liveness probe' })
  @ApiOkResponse({ type: LivenessDto })
  liveness(): LivenessDto {
    return this.live;
  }

  /** The same liveness answer under /health/live (the probe path of the worker Deployment). */
  @Get('live')
  @ApiOperation({ summary: 'Liveness probe (same as /health)' })
  @ApiOkResponse({ type: LivenessDto })
  livenessProbe(): LivenessDto {
    return this.live;
  }

  /** Readiness: dependencies usable and not draining; 503 tells Kubernetes to stop routing here. */
  @Get('ready')
  @ApiOperation({ summary: 'Readiness probe (dependencies and shutdown state)' })
  @ApiOkResponse({ description: 'Ready to take traffic' })
  @ApiErrorResponse({
    errors: [notReady(false, [{ field: 'redis', message: 'not_connected' }]), notReady(true, [{ field: 'lifecycle', message: 'shutting_down' }])],
    description: 'Not ready (shutting down, or a dependency down)',
  })
  async readiness(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => {
          const session = this.indicators.check('lifecycle');
          return this.lifecycle.shuttingDown ? session.down({ state: 'shutting_down' }) : session.up({ state: 'running' });
        },
        ...this.checks.all(),
      ]);
    } catch (err) {
      if (!(err instanceof ServiceUnavailableException)) throw err;
      const result = err.getResponse() as HealthCheckResult;
      const details = Object.entries(result.error ?? {}).map(([field, info]) => ({
        field,
        message: String((info as Record<string, unknown>).state ?? (info as Record<string, unknown>).message ?? 'down'),
      }));
      throw notReady(this.lifecycle.shuttingDown, details);
    }
  }
}
