import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge, Histogram } from 'prom-client';
import { CRYPTO_OPERATIONS, HTTP_IN_PROGRESS, HTTP_REQUESTS, RouteLabels } from './metric-tally';

/** Why a caller was not let in: API-key failures, role failures, and the /metrics bearer token. */
export type AuthFailureReason =
  | 'missing_api_key'
  | 'invalid_api_key'
  | 'expired_api_key'
  | 'insufficient_permissions'
  | 'missing_metrics_token'
  | 'invalid_metrics_token';

/** Why a compute task was not run or not finished. */
export type ComputeRejectionReason = 'queue_full' | 'timeout' | 'cancelled' | 'worker_error' | 'compute_share' | 'work_budget';

/** Methods Node's HTTP parser accepts are many; the label keeps the usual ones and folds the rest. */
const HTTP_METHOD_LABELS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export function httpMethodLabel(method: string | undefined): string {
  const m = (method ?? '').toUpperCase();
  return HTTP_METHOD_LABELS.has(m) ? m : 'OTHER';
}

/**
 * The service's own metrics (declared in metric.providers.ts) behind one facade, so modules
 * record events without knowing prom-client. The three tallied series (requests, requests in
 * progress, crypto operations) are written through MetricTally, never directly; their metrics
 * are here for reading.
 */
@Injectable()
export class MetricsService {
  constructor(
    @InjectMetric('mfn_http_requests_total') readonly httpRequests: Counter<'method' | 'status' | RouteLabels>,
    @InjectMetric('mfn_http_request_duration_seconds') readonly httpDuration: Histogram<'method' | RouteLabels>,
    @InjectMetric('mfn_http_requests_in_progress') readonly httpInProgress: Gauge<'method' | RouteLabels>,
    @InjectMetric('mfn_auth_failures_total') readonly authFailures: Counter<'reason'>,
    @InjectMetric('mfn_audit_events_dropped_total') readonly auditEventsDropped: Counter<'action'>,
    @InjectMetric('mfn_auth_lockouts_total') readonly authLockouts: Counter,
    @InjectMetric('mfn_auth_lockout_rejections_total') readonly authLockoutRejections: Counter,
    @InjectMetric('mfn_address_rejections_total') readonly addressRejections: Counter<'reason'>,
    @InjectMetric('mfn_rate_limit_rejections_total') readonly rateLimitRejections: Counter<RouteLabels>,
    @InjectMetric('mfn_suspicious_requests_total') readonly suspiciousRequests: Counter<'activity_type'>,
    @InjectMetric('mfn_compute_queue_depth') readonly computeQueueDepth: Gauge,
    @InjectMetric('mfn_compute_task_duration_seconds') readonly computeDuration: Histogram<'kind'>,
    @InjectMetric('mfn_compute_rejections_total') readonly computeRejections: Counter<'reason'>,
    @InjectMetric('mfn_jobs') readonly jobs: Gauge<'state'>,
    @InjectMetric('mfn_job_wait_seconds') readonly jobWait: Histogram<'kind'>,
    @InjectMetric('mfn_job_run_seconds') readonly jobRun: Histogram<'kind'>,
    @InjectMetric('mfn_jobs_finished_total') readonly jobsFinished: Counter<'kind' | 'outcome'>,
    @InjectMetric('mfn_job_failures_total') readonly jobFailures: Counter<'kind' | 'code'>,
    @InjectMetric('mfn_job_retries_total') readonly jobRetries: Counter<'kind'>,
    @InjectMetric('mfn_secrets_refresh_failures_total') readonly secretsRefreshFailures: Counter<'backend'>,
    @InjectMetric('mfn_redis_fallback_active') readonly redisFallback: Gauge<'component'>,
    @InjectMetric('mfn_crypto_operations_total') readonly cryptoOperations: Counter<'operation' | 'success'>,
  ) {}

  /**
   * Marks one HTTP request as in progress under its route template; the returned function ends it,
   * counting it with its final status and observing its duration (seconds, measured by the caller
   * from when the request entered the pipeline). Calling it more than once has no further effect.
   */
  httpRequestStarted(method: string, route: string): (status: number, seconds: number) => void {
    const m = httpMethodLabel(method);
    const key = `${m} ${route}`;
    const live = HTTP_IN_PROGRESS.entry(key, () => ({ method: m, route, endpoint: route }));
    live.value++;
    let open = true;
    return (status, seconds) => {
      if (!open) return;
      open = false;
      live.value--;
      HTTP_REQUESTS.entry(`${key} ${status}`, () => ({ ...live.labels, status: String(status) })).value++;
      this.httpDuration.observe(live.labels, seconds);
    };
  }

  authFailure(reason: AuthFailureReason): void {
    this.authFailures.inc({ reason });
  }

  /** `action` comes from the audit vocabulary in code, never from a request. */
  auditEventDropped(action: string): void {
    this.auditEventsDropped.inc({ action });
  }

  authLockout(): void {
    this.authLockouts.inc();
  }

  authLockoutRejected(): void {
    this.authLockoutRejections.inc();
  }

  addressRejected(reason: 'address_denied' | 'address_not_allowed'): void {
    this.addressRejections.inc({ reason });
  }

  rateLimitRejected(route: string): void {
    this.rateLimitRejections.inc({ route, endpoint: route });
  }

  suspiciousRequest(activityType: string): void {
    this.suspiciousRequests.inc({ activity_type: activityType });
  }

  computeTaskFinished(kind: string, seconds: number): void {
    this.computeDuration.observe({ kind }, seconds);
  }

  computeRejected(reason: ComputeRejectionReason): void {
    this.computeRejections.inc({ reason });
  }

  setComputeQueueDepth(depth: number): void {
    this.computeQueueDepth.set(depth);
  }

  setJobCount(state: string, count: number): void {
    this.jobs.set({ state }, count);
  }

  /** A run started after `waitSeconds` in the queue; `retry` when it is not the job's first run. */
  jobStarted(kind: string, waitSeconds: number, retry: boolean): void {
    this.jobWait.observe({ kind }, Math.max(0, waitSeconds));
    if (retry) this.jobRetries.inc({ kind });
  }

  /** A run ended; `code` for a final failure. */
  jobFinished(kind: string, outcome: 'completed' | 'failed' | 'cancelled' | 'retry', runSeconds: number, code?: string): void {
    this.jobRun.observe({ kind }, Math.max(0, runSeconds));
    this.jobsFinished.inc({ kind, outcome });
    if (outcome === 'failed' && code !== undefined) this.jobFailures.inc({ kind, code });
  }

  secretsRefreshFailed(backend: string): void {
    this.secretsRefreshFailures.inc({ backend });
  }

  setRedisFallback(component: string, active: boolean): void {
    this.redisFallback.set({ component }, active ? 1 : 0);
  }

  cryptoOperation(operation: string, success: boolean): void {
    CRYPTO_OPERATIONS.entry(success ? operation : `${operation}|false`, () => ({ operation, success: String(success) })).value++;
  }
}
