import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorCode } from '../../common';
import { JOB_KINDS, JOB_STATES, type JobKind, type JobState, type JobView } from '../job.types';

export class JobErrorDto {
  @ApiProperty({ enum: ErrorCode, description: 'The code the synchronous route would answer', example: ErrorCode.NUMERICAL_INSTABILITY })
  code!: ErrorCode;

  @ApiProperty({ example: 'The computation produced a non-finite result' })
  message!: string;
}

/** A job as its owner sees it. */
export class JobDto {
  @ApiProperty({ format: 'uuid', example: '0b7c5d1e-8f3a-4c2b-9d6e-1a2b3c4d5e6f' })
  id!: string;

  @ApiProperty({ enum: JOB_KINDS, example: 'simulate' })
  kind!: JobKind;

  @ApiProperty({ enum: JOB_STATES, example: 'completed' })
  state!: JobState;

  @ApiProperty({ description: 'Percent done, 0-100', type: 'integer', example: 100 })
  progress!: number;

  @ApiPropertyOptional({
    description: "The synchronous route's response body (completed jobs only)",
    type: 'object',
    additionalProperties: true,
  })
  result?: unknown;

  @ApiPropertyOptional({ type: JobErrorDto, description: 'Why the job failed (failed jobs only)' })
  error?: JobErrorDto;

  @ApiProperty({ description: 'Runs started (retries and takeovers of a lost run included)', type: 'integer', example: 1 })
  attempts!: number;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiPropertyOptional({ format: 'date-time' })
  started_at?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  finished_at?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'When a finished job and its result are forgotten' })
  expires_at?: string;
}

/** A failed job in the dead-letter list, with its owning tenant. */
export class DeadLetterJobDto extends JobDto {
  @ApiProperty({ example: 'tenant-a' })
  tenant!: string;
}

export class DeadLetterListDto {
  @ApiProperty({ type: [DeadLetterJobDto] })
  jobs!: DeadLetterJobDto[];
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

export function jobDtoOf(view: JobView, ttlSeconds: number): JobDto {
  const dto: JobDto = {
    id: view.id,
    kind: view.kind,
    state: view.state,
    progress: view.progress,
    attempts: view.attempts,
    created_at: iso(view.createdAt) as string,
  };
  if (view.state === 'completed') dto.result = view.result;
  if (view.state === 'failed' && view.error) dto.error = { code: view.error.code, message: view.error.message };
  if (view.startedAt !== undefined) dto.started_at = iso(view.startedAt);
  if (view.finishedAt !== undefined) {
    dto.finished_at = iso(view.finishedAt);
    dto.expires_at = iso(view.finishedAt + ttlSeconds * 1000);
  }
  return dto;
}
