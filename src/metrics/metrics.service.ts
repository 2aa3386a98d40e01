import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, register as defaultRegistry } from 'prom-client';
import { ensureDefaultMetrics } from './default-metrics';

/** Route labels carry the route template under both names: `route` and `endpoint` (the previous service's name). */
type RouteLabels = 'route' | 'endpoint';

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

const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const COMPUTE_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * One (method, route) pair of the HTTP metrics: the requests in progress and, per status, the
 * finished requests not yet handed to prom-client. Requests only touch these plain numbers; the
 * counter and the gauge read them in their `collect()` hooks, which prom-client runs at every
 * scrape (and every `get()`). prom-client's own label handling (validate, sort and join the
 * labels on every update) would otherwise run three times per request.
 */
class HttpSeries {
  inProgress = 0;
  readonly pending = new Map<number, number>();
  readonly labels: Record<'method' | RouteLabels, string>;

  constructor(method: string, route: string) {
    this.labels = { method, route, endpoint: route };
  }
}

/** Process-wide, like the registry. Bounded: method labels × route templates. */
const HTTP_SERIES = new Map<string, HttpSeries>();

function httpSeries(method: string, route: string): HttpSeries {
  const key = `${method} ${route}`;
  let series = HTTP_SERIES.get(key);
  if (series === undefined) {
    series = new HttpSeries(method, route);
    HTTP_SERIES.set(key, series);
  }
  return series;
}

/** Hot-path counts per label set, handed to a prom-client counter in its `collect()` hook. */
class PendingCounts<L extends string> {
  private readonly entries = new Map<string, { labels: Record<L, string>; pending: number }>();

  add(key: string, labels: () => Record<L, string>): void {
    const entry = this.entries.get(key);
    if (entry !== undefined) entry.pending++;
    else this.entries.set(key, { labels: labels(), pending: 1 });
  }

  flushInto(counter: Counter<L>): void {
    for (const entry of this.entries.values()) {
      if (entry.pending === 0) continue;
      counter.inc(entry.labels, entry.pending);
      entry.pending = 0;
    }
  }
}

/** Process-wide, like the registry; bounded by the operation × outcome vocabulary. */
const CRYPTO_OPERATIONS = new PendingCounts<'operation' | 'success'>();

/** Metrics live in the process-wide registry; several apps in one process (tests) share them. */
function getOrCreate<T>(name: string, make: () => T, registry: Registry = defaultRegistry): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/**
 * The service's own metrics behind one facade, so modules record events without knowing
 * prom-client. Every label set is bounded (route templates, fixed reason/kind vocabularies).
 */
@Injectable()
export class MetricsService {
  constructor() {
    ensureDefaultMetrics();
  }

  readonly httpRequests = getOrCreate(
    'mfn_http_requests_total',
    () =>
      new Counter<'method' | 'status' | RouteLabels>({
        name: 'mfn_http_requests_total',
        help: 'HTTP requests by method, route template and status code',
        labelNames: ['method', 'route', 'endpoint', 'status'],
        collect(this: Counter<'method' | 'status' | RouteLabels>) {
          for (const series of HTTP_SERIES.values()) {
            for (const [status, count] of series.pending) {
              if (count === 0) continue;
              this.inc({ ...series.labels, status: String(status) }, count);
              series.pending.set(status, 0);
            }
          }
        },
      }),
  );

  readonly httpDuration = getOrCreate(
    'mfn_http_request_duration_seconds',
    () =>
      new Histogram<'method' | RouteLabels>({
        name: 'mfn_http_request_duration_seconds',
        help: 'HTTP request duration in seconds by method and route template',
        labelNames: ['method', 'route', 'endpoint'],
        buckets: HTTP_BUCKETS,
      }),
  );

  readonly httpInProgress = getOrCreate(
    'mfn_http_requests_in_progress',
    () =>
      new Gauge<'method' | RouteLabels>({
        name: 'mfn_http_requests_in_progress',
        help: 'HTTP requests being served, by method and route template',
        labelNames: ['method', 'route', 'endpoint'],
        collect(this: Gauge<'method' | RouteLabels>) {
          for (const series of HTTP_SERIES.values()) this.set(series.labels, series.inProgress);
        },
      }),
  );

  readonly authFailures = getOrCreate(
    'mfn_auth_failures_total',
    () =>
      new Counter<'reason'>({
        name: 'mfn_auth_failures_total',
        help:
          'Failed authentications by reason (missing_api_key, invalid_api_key, expired_api_key, insufficient_permissions, missing_metrics_token, invalid_metrics_token)',
        labelNames: ['reason'],
      }),
  );

  readonly auditEventsDropped = getOrCreate(
    'mfn_audit_events_dropped_total',
    () =>
      new Counter<'action'>({
        name: 'mfn_audit_events_dropped_total',
        help: 'Audit events not written because the request already had one of the same action, by action',
        labelNames: ['action'],
      }),
  );

  readonly authLockouts = getOrCreate(
    'mfn_auth_lockouts_total',
    () =>
      new Counter({
        name: 'mfn_auth_lockouts_total',
        help: 'Client addresses locked out after too many failed authentications',
      }),
  );

  readonly authLockoutRejections = getOrCreate(
    'mfn_auth_lockout_rejections_total',
    () =>
      new Counter({
        name: 'mfn_auth_lockout_rejections_total',
        help: 'Requests refused with 429 because their client address is locked out',
      }),
  );

  readonly addressRejections = getOrCreate(
    'mfn_address_rejections_total',
    () =>
      new Counter<'reason'>({
        name: 'mfn_address_rejections_total',
        help: 'Requests refused with 403 by the address lists, by reason (address_denied, address_not_allowed)',
        labelNames: ['reason'],
      }),
  );

  readonly rateLimitRejections = getOrCreate(
    'mfn_rate_limit_rejections_total',
    () =>
      new Counter<RouteLabels>({
        name: 'mfn_rate_limit_rejections_total',
        help: 'Requests rejected with 429 by route template',
        labelNames: ['route', 'endpoint'],
      }),
  );

  readonly suspiciousRequests = getOrCreate(
    'mfn_suspicious_requests_total',
    () =>
      new Counter<'activity_type'>({
        name: 'mfn_suspicious_requests_total',
        help: 'Requests with injection patterns in string inputs',
        labelNames: ['activity_type'],
      }),
  );

  readonly computeQueueDepth = getOrCreate(
    'mfn_compute_queue_depth',
    () => new Gauge({ name: 'mfn_compute_queue_depth', help: 'Compute tasks waiting for a worker thread' }),
  );

  readonly computeDuration = getOrCreate(
    'mfn_compute_task_duration_seconds',
    () =>
      new Histogram<'kind'>({
        name: 'mfn_compute_task_duration_seconds',
        help: 'Compute task run time in a worker thread, by kind',
        labelNames: ['kind'],
        buckets: COMPUTE_BUCKETS,
      }),
  );

  readonly computeRejections = getOrCreate(
    'mfn_compute_rejections_total',
    () =>
      new Counter<'reason'>({
        name: 'mfn_compute_rejections_total',
        help:
          'Compute tasks not run or not finished, by reason (queue_full, timeout, cancelled, worker_error; compute_share and work_budget: the caller over its own compute limits)',
        labelNames: ['reason'],
      }),
  );

  readonly secretsRefreshFailures = getOrCreate(
    'mfn_secrets_refresh_failures_total',
    () =>
      new Counter<'backend'>({
        name: 'mfn_secrets_refresh_failures_total',
        help: 'Failed secret refreshes (last good values kept), by backend',
        labelNames: ['backend'],
      }),
  );

  readonly redisFallback = getOrCreate(
    'mfn_redis_fallback_active',
    () =>
      new Gauge<'component'>({
        name: 'mfn_redis_fallback_active',
        help: '1 while a component runs on its in-memory fallback because Redis is unreachable',
        labelNames: ['component'],
      }),
  );

  readonly cryptoOperations = getOrCreate(
    'mfn_crypto_operations_total',
    () =>
      new Counter<'operation' | 'success'>({
        name: 'mfn_crypto_operations_total',
        help: 'Crypto operations by operation and outcome',
        labelNames: ['operation', 'success'],
        collect(this: Counter<'operation' | 'success'>) {
          CRYPTO_OPERATIONS.flushInto(this);
        },
      }),
  );

  /**
   * Marks one HTTP request as in progress under its route template; the returned function ends it,
   * counting it with its final status and observing its duration (seconds, measured by the caller
   * from when the request entered the pipeline). Calling it more than once has no further effect.
   */
  httpRequestStarted(method: string, route: string): (status: number, seconds: number) => void {
    const series = httpSeries(httpMethodLabel(method), route);
    series.inProgress++;
    let open = true;
    return (status, seconds) => {
      if (!open) return;
      open = false;
      series.inProgress--;
      series.pending.set(status, (series.pending.get(status) ?? 0) + 1);
      this.httpDuration.observe(series.labels, seconds);
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

  secretsRefreshFailed(backend: string): void {
    this.secretsRefreshFailures.inc({ backend });
  }

  setRedisFallback(component: string, active: boolean): void {
    this.redisFallback.set({ component }, active ? 1 : 0);
  }

  cryptoOperation(operation: string, success: boolean): void {
    CRYPTO_OPERATIONS.add(success ? operation : `${operation}|false`, () => ({ operation, success: String(success) }));
  }
}
