import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module, Provider, Type } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AppConfig } from '../config';
import { ReadinessModule } from '../health/readiness.module';
import { SecretsModule } from '../secrets/secrets.module';
import { SecretsService } from '../secrets/secrets.service';
import { ComputeBudgetModule } from '../simulation/compute-budget.module';
import { SimulationModule } from '../simulation/simulation.module';
import { BullJobStore } from './bull/bull-job-store';
import { JobEventsListener } from './bull/job-events.listener';
import { JobCanceller, jobsProcessorFor } from './bull/jobs.processor';
import { QueueReadinessCheck } from './bull/queue-readiness.check';
import { JOBS_QUEUE, createQueueConnection, jobsKeyPrefix } from './bull/queue-connection';
import { QueueConnectionCloser } from './bull/queue-connection-closer';
import { JobEventHub } from './job-event-hub';
import { JobEventStream } from './job-event-stream';
import { JobExecutor } from './job-executor.service';
import { JOB_STORE } from './job-store';
import { JobsController } from './jobs.controller';
import { JobsService } from './jobs.service';
import { MemoryJobStore } from './memory/memory-job-store';

/**
 * BullMQ's shared connection: a client on MFN_REDIS_URL (one server, Sentinel or Cluster), made
 * once the secrets are loaded and closed by QueueConnectionCloser.
 */
async function bullOptions(secrets: SecretsService, config: AppConfig) {
  await secrets.whenLoaded();
  const url = secrets.getSecret('MFN_REDIS_URL')?.trim();
  if (!url) throw new Error('MFN_JOBS_BACKEND=redis (or MFN_ROLE api/worker) needs the MFN_REDIS_URL secret');
  return { connection: createQueueConnection(url, config.redis), prefix: jobsKeyPrefix(config.jobs) };
}

/**
 * Asynchronous compute jobs (docs/jobs.md), composed per MFN_ROLE: `api` serves the jobs routes
 * and only enqueues, `worker` only consumes (no jobs routes), `all` does both. Without Redis
 * (MFN_JOBS_BACKEND=memory, the dev default) the store is in this process and runs jobs on this
 * process's compute pool (role `all` only); with Redis it is BullMQ through @nestjs/bullmq.
 */
@Module({})
export class JobsModule {
  static forRole(config: AppConfig): DynamicModule {
    const { role, backend } = config.jobs;
    const serves = role !== 'worker';
    const consumes = role !== 'api';
    const controllers: Type[] = serves ? [JobsController] : [];
    const common: Provider[] = [JobEventHub, JobEventStream, JobsService];
    if (backend === 'memory') {
      return {
        module: JobsModule,
        imports: [AuditModule, ComputeBudgetModule, SimulationModule],
        controllers,
        providers: [...common, JobExecutor, MemoryJobStore, { provide: JOB_STORE, useExisting: MemoryJobStore }],
      };
    }
    const processor = consumes ? jobsProcessorFor(config.jobs) : undefined;
    return {
      module: JobsModule,
      imports: [
        AuditModule,
        ComputeBudgetModule,
        ReadinessModule,
        BullModule.forRootAsync({ imports: [SecretsModule], inject: [SecretsService, AppConfig], useFactory: bullOptions }),
        BullModule.registerQueue({ name: JOBS_QUEUE }),
        ...(consumes ? [SimulationModule] : []),
      ],
      controllers,
      providers: [
        ...common,
        BullJobStore,
        { provide: JOB_STORE, useExisting: BullJobStore },
        JobEventsListener,
        JobCanceller,
        QueueConnectionCloser,
        QueueReadinessCheck,
        ...(processor ? [JobExecutor, processor] : []),
      ],
    };
  }
}
