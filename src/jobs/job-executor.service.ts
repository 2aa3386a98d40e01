import { Injectable } from '@nestjs/common';
import { AppException, ErrorCode } from '../common';
import { AppConfig } from '../config';
import { ComputePoolService } from '../simulation/compute-pool.service';
import {
  aggregateResponseOf,
  aggregateTaskOf,
  simulateResponseOf,
  simulateTaskOf,
  validateResponseOf,
  validateTaskOf,
} from '../simulation/compute-mapping';
import type { AggregateRequest } from '../simulation/dto/aggregate.dto';
import type { SimulateRequestDto } from '../simulation/dto/simulate.dto';
import type { ValidateRequestDto } from '../simulation/dto/validate.dto';
import { JobFailure } from './job-errors';
import { ProgressSink, SIMULATION_PROGRESS_REPORTS, orderedProgress, reportProgress } from './job-progress';
import type { JobKind } from './job.types';

/** Codes a second run cannot change: the same input gives the same answer. */
const FINAL_CODES: ReadonlySet<string> = new Set([
  ErrorCode.NUMERICAL_INSTABILITY,
  ErrorCode.GATEWAY_TIMEOUT,
  ErrorCode.INVALID_REQUEST,
  ErrorCode.VALIDATION_ERROR,
  ErrorCode.PAYLOAD_TOO_LARGE,
]);

/**
 * Runs one job on this process's compute pool (never on the event loop) with the synchronous
 * routes' own request and response mapping, so a job's result and error codes are the ones the
 * route would answer. Failures come out as JobFailure.
 */
@Injectable()
export class JobExecutor {
  private readonly maxResultBytes: number;

  constructor(
    private readonly pool: ComputePoolService,
    config: AppConfig,
  ) {
    this.maxResultBytes = config.jobs.maxResultBytes;
  }

  async execute(id: string, kind: JobKind, body: Record<string, unknown>, signal: AbortSignal, progress: ProgressSink): Promise<unknown> {
    if (signal.aborted) throw JobFailure.cancelled();
    await reportProgress(progress, 0);
    let result: unknown;
    const running = orderedProgress(progress);
    try {
      result = await this.compute(id, kind, body, signal, running.report);
      await running.settled();
    } catch (err) {
      if (signal.aborted) throw JobFailure.cancelled();
      if (err instanceof AppException) {
        throw new JobFailure({ code: err.code, message: err.message }, !FINAL_CODES.has(err.code));
      }
      throw new JobFailure({ code: ErrorCode.COMPUTATION_FAILED, message: 'The computation failed' }, true);
    }
    if (Buffer.byteLength(JSON.stringify(result)) > this.maxResultBytes) {
      throw new JobFailure(
        { code: ErrorCode.PAYLOAD_TOO_LARGE, message: `The result is larger than the ${this.maxResultBytes} bytes a job may keep` },
        false,
      );
    }
    await reportProgress(progress, 100);
    return result;
  }

  private async compute(
    id: string,
    kind: JobKind,
    body: Record<string, unknown>,
    signal: AbortSignal,
    onStep: (step: number, total: number) => void,
  ): Promise<unknown> {
    const options = { signal, requestId: `job:${id}` };
    switch (kind) {
      case 'simulate': {
        // Step progress from the worker thread, about SIMULATION_PROGRESS_REPORTS times a run.
        const task = simulateTaskOf(body as unknown as SimulateRequestDto);
        task.progressEvery = Math.max(1, Math.ceil(task.params.steps / SIMULATION_PROGRESS_REPORTS));
        const { output } = await this.pool.run(task, { ...options, onProgress: (p) => onStep(p.step, p.totalSteps) });
        return simulateResponseOf(output);
      }
      case 'validate':
        return validateResponseOf((await this.pool.run(validateTaskOf(body as unknown as ValidateRequestDto), options)).output);
      case 'aggregate': {
        const { task, rows } = aggregateTaskOf(body as unknown as AggregateRequest);
        const { output } = await this.pool.run(task, { ...options, transferList: [task.values.buffer as ArrayBuffer] });
        return aggregateResponseOf(output, rows);
      }
      default:
        throw new JobFailure({ code: ErrorCode.INVALID_REQUEST, message: 'Unknown job kind' }, false);
    }
  }
}
