import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRoles } from '../auth/require-roles.decorator';
import { Role } from '../auth/roles';
import { ApiErrorResponses } from '../common';
import { DEFAULT_COMPUTE_TIMEOUT_MS } from '../config/app-config';
import { BodyLimits } from '../common/body/body-limits.decorator';
import { ComputeRequest, ComputeRequestContext } from './client-abort.decorator';
import { AggregateBodyPipe } from './aggregate-body.pipe';
import { AggregateRequest, AggregateRequestDto, AggregateResponseDto } from './dto/aggregate.dto';
import { NernstRequestDto, NernstResponseDto } from './dto/nernst.dto';
import { SimulateRequestDto, SimulateResponseDto } from './dto/simulate.dto';
import { ValidateRequestDto, ValidateResponseDto } from './dto/validate.dto';
import { SimulationService } from './simulation.service';
import { AGGREGATE_BODY_LIMITS, COMPUTE_BODY_LIMITS } from './compute-body-limits';
import { ComputeErrors } from './compute-errors';

/** The errors of the routes that run on the worker pool (the deadline at its prod default). */
const POOL_ERRORS = [
  ComputeErrors.queueFull(1),
  ComputeErrors.shuttingDown(1),
  ComputeErrors.deadline(DEFAULT_COMPUTE_TIMEOUT_MS.prod),
  ComputeErrors.failed(),
  ComputeErrors.nonFinite(),
];

@ApiTags('compute')
@Controller()
@BodyLimits(COMPUTE_BODY_LIMITS)
export class SimulationController {
  constructor(private readonly simulation: SimulationService) {}

  @Post('nernst')
  @HttpCode(200)
  @RequireRoles(Role.COMPUTE)
  @ApiOperation({ summary: 'Nernst equilibrium potential of an ion' })
  @ApiOkResponse({ type: NernstResponseDto })
  @ApiErrorResponses(ComputeErrors.nonFinitePotential())
  nernst(@Body() body: NernstRequestDto): NernstResponseDto {
    return this.simulation.nernst(body);
  }

  @Post('simulate')
  @HttpCode(200)
  @RequireRoles(Role.COMPUTE)
  @ApiOperation({ summary: 'Simulate the potential field and measure its fractal dimension (runs on a worker thread)' })
  @ApiOkResponse({ type: SimulateResponseDto })
  @ApiErrorResponses(...POOL_ERRORS)
  simulate(@Body() body: SimulateRequestDto, @ComputeRequest() request: ComputeRequestContext): Promise<SimulateResponseDto> {
    return this.simulation.simulate(body, request);
  }

  @Post('validate')
  @HttpCode(200)
  @RequireRoles(Role.COMPUTE)
  @ApiOperation({ summary: 'Run the training/validation cycle (runs on a worker thread)' })
  @ApiOkResponse({ type: ValidateResponseDto })
  @ApiErrorResponses(...POOL_ERRORS)
  validate(@Body() body: ValidateRequestDto, @ComputeRequest() request: ComputeRequestContext): Promise<ValidateResponseDto> {
    return this.simulation.validate(body, request);
  }

  @Post('federated/aggregate')
  @HttpCode(200)
  @BodyLimits(AGGREGATE_BODY_LIMITS)
  @RequireRoles(Role.COMPUTE)
  @ApiOperation({ summary: 'Byzantine-robust hierarchical Krum aggregation (runs on a worker thread)' })
  @ApiBody({ type: AggregateRequestDto })
  @ApiOkResponse({ type: AggregateResponseDto })
  @ApiErrorResponses(...POOL_ERRORS)
  aggregate(@Body(AggregateBodyPipe) body: AggregateRequest, @ComputeRequest() request: ComputeRequestContext): Promise<AggregateResponseDto> {
    return this.simulation.aggregate(body, request);
  }
}
