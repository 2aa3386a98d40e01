import { Controller, Get, HttpStatus, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { HealthCheckResult } from '@nestjs/terminus';
import { AppConfig } from '../config';
import { AppException, ErrorCode, ErrorEnvelopeDto, Public } from '../common';
import { LifecycleService } from './lifecycle.service';
import { ReadinessRegistry } from './readiness.registry';

class LivenessDto {
  @ApiProperty({ example: 'healthy' })
  status!: string;

  @ApiProperty({ example: '4.1.0' })
  version!: string;
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  private readonly liveness: LivenessDto;

  constructor(
    config: AppConfig,
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly lifecycle: LifecycleService,
    private readonly readiness: ReadinessRegistry,
  ) {
    this.liveness = { status: 'healthy', version: config.version };
  }

  /** Liveness: constant work, never touches Redis or the worker pool. */
  @Get()
  @ApiOperation({ summary: 'Liveness probe' })
  @ApiOkResponse({ type: LivenessDto })
  live(): LivenessDto {
    return this.liveness;
  }

  /** Readiness: dependencies usable and not draining; 503 tells Kubernetes to stop routing here. */
  @Get('ready')
  @ApiOperation({ summary: 'Readiness probe (dependencies and shutdown state)' })
  @ApiOkResponse({ description: 'Ready to take traffic' })
  @ApiServiceUnavailableResponse({ type: ErrorEnvelopeDto, description: 'Not ready (shutting_down or a dependency down)' })
  async ready(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => {
          const session = this.indicators.check('lifecycle');
          return this.lifecycle.shuttingDown ? session.down({ state: 'shutting_down' }) : session.up({ state: 'running' });
        },
        ...this.readiness.all(),
      ]);
    } catch (err) {
      if (!(err instanceof ServiceUnavailableException)) throw err;
      const result = err.getResponse() as HealthCheckResult;
      const details = Object.entries(result.error ?? {}).map(([field, info]) => ({
        field,
        message: String((info as Record<string, unknown>).state ?? (info as Record<string, unknown>).message ?? 'down'),
      }));
      const reason = this.lifecycle.shuttingDown ? 'shutting_down' : 'dependency unavailable';
      throw new AppException(ErrorCode.SERVICE_UNAVAILABLE, `Not ready: ${reason}`, HttpStatus.SERVICE_UNAVAILABLE, { details });
    }
  }
}
