import type { Provider } from '@nestjs/common';
import { makeCounterProvider, makeGaugeProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import { CRYPTO_OPERATIONS, HTTP_IN_PROGRESS, HTTP_REQUESTS } from './metric-tally';

const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];
const COMPUTE_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The service's own metrics, each injectable with `@InjectMetric(name)`. They live in the
 * process-wide registry (several apps in one process, as in tests, share them). Every label set
 * is bounded: route templates and fixed reason/kind vocabularies. The three tallied series read
 * their values from MetricTally at scrape time (see metric-tally.ts).
 */
export const METRIC_PROVIDERS: Provider[] = [
  makeCounterProvider({
    name: 'mfn_http_requests_total',
    help: 'HTTP requests by method, route template and status code',
    labelNames: ['method', 'route', 'endpoint', 'status'],
    collect() {
      HTTP_REQUESTS.flushInto(this);
    },
  }),
  makeHistogramProvider({
    name: 'mfn_http_request_duration_seconds',
    help: 'HTTP request duration in seconds by method and route template',
    labelNames: ['method', 'route', 'endpoint'],
    buckets: HTTP_BUCKETS,
  }),
  makeGaugeProvider({
    name: 'mfn_http_requests_in_progress',
    help: 'HTTP requests being served, by method and route template',
    labelNames: ['method', 'route', 'endpoint'],
    collect() {
      HTTP_IN_PROGRESS.setInto(this);
    },
  }),
  makeCounterProvider({
    name: 'mfn_auth_failures_total',
    help: 'Failed authentications by reason (missing_api_key, invalid_api_key, expired_api_key, insufficient_permissions, missing_metrics_token, invalid_metrics_token)',
    labelNames: ['reason'],
  }),
  makeCounterProvider({
    name: 'mfn_audit_events_dropped_total',
    help: 'Audit events not written because the request already had one of the same action, by action',
    labelNames: ['action'],
  }),
  makeCounterProvider({
    name: 'mfn_auth_lockouts_total',
    help: 'Client addresses locked out after too many failed authentications',
  }),
  makeCounterProvider({
    name: 'mfn_auth_lockout_rejections_total',
    help: 'Requests refused with 429 because their client address is locked out',
  }),
  makeCounterProvider({
    name: 'mfn_address_rejections_total',
    help: 'Requests refused with 403 by the address lists, by reason (address_denied, address_not_allowed)',
    labelNames: ['reason'],
  }),
  makeCounterProvider({
    name: 'mfn_rate_limit_rejections_total',
    help: 'Requests rejected with 429 by route template',
    labelNames: ['route', 'endpoint'],
  }),
  makeCounterProvider({
    name: 'mfn_suspicious_requests_total',
    help: 'Requests with injection patterns in string inputs',
    labelNames: ['activity_type'],
  }),
  makeGaugeProvider({ name: 'mfn_compute_queue_depth', help: 'Compute tasks waiting for a worker thread' }),
  makeHistogramProvider({
    name: 'mfn_compute_task_duration_seconds',
    help: 'Compute task run time in a worker thread, by kind',
    labelNames: ['kind'],
    buckets: COMPUTE_BUCKETS,
  }),
  makeCounterProvider({
    name: 'mfn_compute_rejections_total',
    help: 'Compute tasks not run or not finished, by reason (queue_full, timeout, cancelled, worker_error; compute_share and work_budget: the caller over its own compute limits)',
    labelNames: ['reason'],
  }),
  makeGaugeProvider({
    name: 'mfn_jobs',
    help: 'Compute jobs in the queue by state (queued, running, completed, failed); sampled by the process holding the queue',
    labelNames: ['state'],
  }),
  makeHistogramProvider({
    name: 'mfn_job_wait_seconds',
    help: 'Time a compute job waited in the queue before a run started, by kind',
    labelNames: ['kind'],
    buckets: JOB_BUCKETS,
  }),
  makeHistogramProvider({
    name: 'mfn_job_run_seconds',
    help: 'Run time of a compute job on a worker, by kind',
    labelNames: ['kind'],
    buckets: JOB_BUCKETS,
  }),
  makeCounterProvider({
    name: 'mfn_jobs_finished_total',
    help: 'Compute job runs finished on this worker, by kind and outcome (completed, failed, cancelled, retry)',
    labelNames: ['kind', 'outcome'],
  }),
  makeCounterProvider({
    name: 'mfn_job_failures_total',
    help: 'Compute jobs failed for good, by kind and error code',
    labelNames: ['kind', 'code'],
  }),
  makeCounterProvider({
    name: 'mfn_job_retries_total',
    help: 'Compute job runs that were a retry or a takeover of a lost run, by kind',
    labelNames: ['kind'],
  }),
  makeCounterProvider({
    name: 'mfn_secrets_refresh_failures_total',
    help: 'Failed secret refreshes (last good values kept), by backend',
    labelNames: ['backend'],
  }),
  makeGaugeProvider({
    name: 'mfn_redis_fallback_active',
    help: '1 while a component runs on its in-memory fallback because Redis is unreachable',
    labelNames: ['component'],
  }),
  makeCounterProvider({
    name: 'mfn_crypto_operations_total',
    help: 'Crypto operations by operation and outcome',
    labelNames: ['operation', 'success'],
    collect() {
      CRYPTO_OPERATIONS.flushInto(this);
    },
  }),
];
