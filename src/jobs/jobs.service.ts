import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AuditService } from '../audit/audit.service';
import { SINGLE_TENANT, principalOf } from '../auth/principal';
import { Role } from '../auth/roles';
import { requestIdOf } from '../common';
import { AppConfig } from '../config';
import { computeCallerOf } from '../simulation/client-abort.decorator';
import { ComputeWorkBudget } from '../simulation/compute-work-budget';
import { JobErrors } from './job-errors';
import { JOB_STORE, JobStore } from './job-store';
import { bodyHashOf, idempotencyKeyOf, plainBody } from './job-submission';
import { TERMINAL_STATES, type JobKind, type JobView, type SubmitOutcome } from './job.types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const DEAD_LETTER_LIMIT = 100;
const JOB_ROUTE: Readonly<Record<JobKind, string>> = {
  simulate: '/jobs/simulate',
  validate: '/jobs/validate',
  aggregate: '/jobs/aggregate',
};

/** The jobs API between the controller and the store: tenancy, idempotency and audit. */
@Injectable()
export class JobsService {
  readonly ttlSeconds: number;

  constructor(
    @Inject(JOB_STORE) private readonly store: JobStore,
    private readonly audit: AuditService,
    private readonly budget: ComputeWorkBudget,
    config: AppConfig,
  ) {
    this.ttlSeconds = config.jobs.resultTtlSeconds;
  }

  tenantOf(req: Request): string {
    return principalOf(req)?.tenant ?? SINGLE_TENANT;
  }

  /**
   * Queues a job (or answers the job an Idempotency-Key already made). `cost` is the job's work
   * units (workCostOf of its task), spent from the caller's compute work budget first.
   */
  async submit(req: Request, kind: JobKind, body: object, cost: number): Promise<SubmitOutcome> {
    const idempotencyKey = idempotencyKeyOf(req.headers['idempotency-key']);
    // eslint-disable-next-line security/detect-object-injection -- `kind` is a JobKind and JOB_ROUTE a Record over that closed union
    const route = JOB_ROUTE[kind];
    await this.budget.charge({ caller: computeCallerOf(req), cost, what: 'job', route, resource: route, requestId: requestIdOf(req) });
    const plain = plainBody(body);
    const outcome = await this.store.submit({
      kind,
      tenant: this.tenantOf(req),
      body: plain,
      bodyHash: bodyHashOf({ kind, ...plain }),
      idempotencyKey,
      requestId: requestIdOf(req),
    });
    if (!outcome.existing) this.event(req, 'job_submitted', outcome.job);
    return outcome;
  }

  /** The caller's job, else 404 (also for another tenant's job and for ids that cannot exist). */
  async get(req: Request, id: string): Promise<JobView> {
    const job = await this.find(req, id);
    if (job === undefined) throw JobErrors.notFound();
    return job;
  }

  /** The caller's job, or undefined when there is none (store failures reject). */
  async find(req: Request, id: string): Promise<JobView | undefined> {
    return UUID.test(id) ? this.store.get(id, this.tenantOf(req)) : undefined;
  }

  /** Cancels the caller's queued or running job; a finished one is 409 (nothing to cancel, nothing audited). */
  async cancel(req: Request, id: string): Promise<JobView> {
    const current = await this.get(req, id);
    if (TERMINAL_STATES.has(current.state)) throw JobErrors.alreadyFinished(current.state);
    const job = await this.store.cancel(id, this.tenantOf(req));
    if (job === undefined) throw JobErrors.notFound();
    this.event(req, 'job_cancelled', job);
    return job;
  }

  /**
   * The newest failed jobs: the caller's tenant's only, unless its key holds keys-admin (the one
   * cross-tenant role, never implied). `admin` is implied by a key without a role list, so it
   * alone must not show one tenant the job ids, kinds and errors of another.
   */
  async deadLetter(req: Request): Promise<JobView[]> {
    const jobs = await this.store.deadLetter(DEAD_LETTER_LIMIT);
    if (principalOf(req)?.roles.has(Role.KEYS_ADMIN)) return jobs;
    const tenant = this.tenantOf(req);
    return jobs.filter((job) => job.tenant === tenant);
  }

  private event(req: Request, action: 'job_submitted' | 'job_cancelled', job: JobView): void {
    this.audit.recordForRequest(req, {
      action,
      category: 'data_access',
      success: true,
      userId: principalOf(req)?.id,
      details: { job_id: job.id, kind: job.kind, tenant: job.tenant, state: job.state },
    });
  }
}
