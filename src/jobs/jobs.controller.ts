import { Body, Controller, Delete, Get, HttpCode, MessageEvent, Param, Post, Req, Res, Sse } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Observable } from 'rxjs';
import { RequireRoles } from '../auth/require-roles.decorator';
import { Role } from '../auth/roles';
import { ApiErrorResponses } from '../common';
import { BodyLimits } from '../common/body/body-limits.decorator';
import { AggregateBodyPipe } from '../simulation/aggregate-body.pipe';
import { workCostOf } from '../simulation/compute-cost';
import { aggregateTaskOf, simulateTaskOf, validateTaskOf } from '../simulation/compute-mapping';
import { AggregateRequest, AggregateRequestDto } from '../simulation/dto/aggregate.dto';
import { SimulateRequestDto } from '../simulation/dto/simulate.dto';
import { ValidateRequestDto } from '../simulation/dto/validate.dto';
import { AGGREGATE_BODY_LIMITS, COMPUTE_BODY_LIMITS } from '../simulation/compute-body-limits';
import { DeadLetterListDto, JobDto, jobDtoOf } from './dto/job.dto';
import { JobErrors } from './job-errors';
import { JobEventStream } from './job-event-stream';
import { TERMINAL_STATES, type JobKind } from './job.types';
import { JobsService } from './jobs.service';

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description: 'Same key and same body (same tenant) give the same job; the same key with another body is 409',
};
const SUBMIT_ERRORS = [JobErrors.tooManyQueued(100, 1), JobErrors.idempotencyConflict(), JobErrors.invalidIdempotencyKey(), JobErrors.storeFull()];

@ApiTags('jobs')
@Controller('jobs')
@BodyLimits(COMPUTE_BODY_LIMITS)
export class JobsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly events: JobEventStream,
  ) {}

  @Post('simulate')
  @HttpCode(202)
  @RequireRoles(Role.COMPUTE)
  @ApiOperation({ summary: 'Queue a /simulate computation; poll Location or stream its events' })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiAcceptedResponse({ type: JobDto, description: 'Queued (or the existing job of this Idempotency-Key)' })
  @ApiErrorResponses(...SUBMIT_ERRORS)
  submitSimulate(@Body() body: SimulateRequestDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<JobDto> {
    return this.submit('simulate', body, workCostOf(simulateTaskOf(body)), req, res);
  }

  @Post('validate')
  @HttpCode(202)
  @RequireRoles(Role.COMPUTE)
  @ApiOperation({ summary: 'Queue a /validate training cycle' })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiAcceptedResponse({ type: JobDto, description: 'Queued (or the existing job of this Idempotency-Key)' })
  @ApiErrorResponses(...SUBMIT_ERRORS)
  submitValidate(@Body() body: ValidateRequestDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<JobDto> {
    return this.submit('validate', body, workCostOf(validateTaskOf(body)), req, res);
  }

  @Post('aggregate')
  @HttpCode(202)
  @BodyLimits(AGGREGATE_BODY_LIMITS)
  @RequireRoles(Role.COMPUTE)
  @ApiOperation({ summary: 'Queue a /federated/aggregate Krum aggregation' })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiBody({ type: AggregateRequestDto })
  @ApiAcceptedResponse({ type: JobDto, description: 'Queued (or the existing job of this Idempotency-Key)' })
  @ApiErrorResponses(...SUBMIT_ERRORS)
  submitAggregate(@Body(AggregateBodyPipe) body: AggregateRequest, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<JobDto> {
    // The matrix checks of the synchronous route (shape and size: 400/413) before anything is queued.
    const { task } = aggregateTaskOf(body);
    return this.submit('aggregate', body, workCostOf(task), req, res);
  }

  @Get('dead-letter')
  @RequireRoles(Role.ADMIN)
  @ApiOperation({ summary: "Failed jobs (attempts exhausted or a final error), newest first, kept for the result TTL: the caller's tenant's, every tenant's for keys-admin" })
  @ApiOkResponse({ type: DeadLetterListDto })
  async listDeadLetter(@Req() req: Request): Promise<DeadLetterListDto> {
    const jobs = await this.jobs.deadLetter(req);
    return { jobs: jobs.map((job) => ({ ...jobDtoOf(job, this.jobs.ttlSeconds), tenant: job.tenant })) };
  }

  @Get(':id')
  @RequireRoles(Role.COMPUTE)
  @ApiOperation({ summary: "A job's state, progress and result (Retry-After while it is queued or running)" })
  @ApiOkResponse({ type: JobDto })
  @ApiErrorResponses(JobErrors.notFound())
  async getJob(@Param('id') id: string, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<JobDto> {
    const job = await this.jobs.get(req, id);
    if (!TERMINAL_STATES.has(job.state)) res.setHeader('Retry-After', job.state === 'queued' ? '2' : '1');
    return jobDtoOf(job, this.jobs.ttlSeconds);
  }

  @Delete(':id')
  @HttpCode(202)
  @RequireRoles(Role.COMPUTE)
  @ApiOperation({ summary: 'Cancel a job: a queued job is cancelled at once, a running one is stopped on its worker' })
  @ApiAcceptedResponse({ type: JobDto, description: 'The job now (a running job turns cancelled once its worker has stopped it)' })
  @ApiErrorResponses(JobErrors.notFound(), JobErrors.alreadyFinished('completed'))
  async cancelJob(@Param('id') id: string, @Req() req: Request): Promise<JobDto> {
    return jobDtoOf(await this.jobs.cancel(req, id), this.jobs.ttlSeconds);
  }

  @Sse(':id/events')
  @RequireRoles(Role.COMPUTE)
  @ApiOperation({ summary: 'Server-Sent Events: a `job` event with the job at each change, the last one with the result' })
  @ApiOkResponse({
    description: 'An event stream; each event is `event: job` with a JobDto as data, ending after the final state',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiErrorResponses(JobErrors.notFound(), JobErrors.storeFull())
  async jobEvents(@Param('id') id: string, @Req() req: Request): Promise<Observable<MessageEvent>> {
    const job = await this.jobs.get(req, id);
    return this.events.stream(job, () => this.jobs.find(req, id));
  }

  private async submit(kind: JobKind, body: object, cost: number, req: Request, res: Response): Promise<JobDto> {
    const { job } = await this.jobs.submit(req, kind, body, cost);
    res.setHeader('Location', `/jobs/${job.id}`);
    return jobDtoOf(job, this.jobs.ttlSeconds);
  }
}

