"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.MetricsService = void 0;
exports.httpMethodLabel = httpMethodLabel;
const common_1 = require("@nestjs/common");
const prom_client_1 = require("prom-client");
const default_metrics_1 = require("./default-metrics");
/** Methods Node's HTTP parser accepts are many; the label keeps the usual ones and folds the rest. */
const HTTP_METHOD_LABELS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
function httpMethodLabel(method) {
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
    pending = new Map();
    labels;
    constructor(method, route) {
        this.labels = { method, route, endpoint: route };
    }
}
/** Process-wide, like the registry. Bounded: method labels × route templates. */
const HTTP_SERIES = new Map();
function httpSeries(method, route) {
    const key = `${method} ${route}`;
    let series = HTTP_SERIES.get(key);
    if (series === undefined) {
        series = new HttpSeries(method, route);
        HTTP_SERIES.set(key, series);
    }
    return series;
}
/** Hot-path counts per label set, handed to a prom-client counter in its `collect()` hook. */
class PendingCounts {
    entries = new Map();
    add(key, labels) {
        const entry = this.entries.get(key);
        if (entry !== undefined)
            entry.pending++;
        else
            this.entries.set(key, { labels: labels(), pending: 1 });
    }
    flushInto(counter) {
        for (const entry of this.entries.values()) {
            if (entry.pending === 0)
                continue;
            counter.inc(entry.labels, entry.pending);
            entry.pending = 0;
        }
    }
}
/** Process-wide, like the registry; bounded by the operation × outcome vocabulary. */
const CRYPTO_OPERATIONS = new PendingCounts();
/** Metrics live in the process-wide registry; several apps in one process (tests) share them. */
function getOrCreate(name, make, registry = prom_client_1.register) {
    return registry.getSingleMetric(name) ?? make();
}
/**
 * The service's own metrics behind one facade, so modules record events without knowing
 * prom-client. Every label set is bounded (route templates, fixed reason/kind vocabularies).
 */
let MetricsService = class MetricsService {
    constructor() {
        (0, default_metrics_1.ensureDefaultMetrics)();
    }
    httpRequests = getOrCreate('mfn_http_requests_total', () => new prom_client_1.Counter({
        name: 'mfn_http_requests_total',
        help: 'HTTP requests by method, route template and status code',
        labelNames: ['method', 'route', 'endpoint', 'status'],
        collect() {
            for (const series of HTTP_SERIES.values()) {
                for (const [status, count] of series.pending) {
                    if (count === 0)
                        continue;
                    this.inc({ ...series.labels, status: String(status) }, count);
                    series.pending.set(status, 0);
                }
            }
        },
    }));
    httpDuration = getOrCreate('mfn_http_request_duration_seconds', () => new prom_client_1.Histogram({
        name: 'mfn_http_request_duration_seconds',
        help: 'HTTP request duration in seconds by method and route template',
        labelNames: ['method', 'route', 'endpoint'],
        buckets: HTTP_BUCKETS,
    }));
    httpInProgress = getOrCreate('mfn_http_requests_in_progress', () => new prom_client_1.Gauge({
        name: 'mfn_http_requests_in_progress',
        help: 'HTTP requests being served, by method and route template',
        labelNames: ['method', 'route', 'endpoint'],
        collect() {
            for (const series of HTTP_SERIES.values())
                this.set(series.labels, series.inProgress);
        },
    }));
    authFailures = getOrCreate('mfn_auth_failures_total', () => new prom_client_1.Counter({
        name: 'mfn_auth_failures_total',
        help: 'Failed authentications by reason (missing_api_key, invalid_api_key, insufficient_permissions, missing_metrics_token, invalid_metrics_token)',
        labelNames: ['reason'],
    }));
    rateLimitRejections = getOrCreate('mfn_rate_limit_rejections_total', () => new prom_client_1.Counter({
        name: 'mfn_rate_limit_rejections_total',
        help: 'Requests rejected with 429 by route template',
        labelNames: ['route', 'endpoint'],
    }));
    suspiciousRequests = getOrCreate('mfn_suspicious_requests_total', () => new prom_client_1.Counter({
        name: 'mfn_suspicious_requests_total',
        help: 'Requests with injection patterns in string inputs',
        labelNames: ['activity_type'],
    }));
    computeQueueDepth = getOrCreate('mfn_compute_queue_depth', () => new prom_client_1.Gauge({ name: 'mfn_compute_queue_depth', help: 'Compute tasks waiting for a worker thread' }));
    computeDuration = getOrCreate('mfn_compute_task_duration_seconds', () => new prom_client_1.Histogram({
        name: 'mfn_compute_task_duration_seconds',
        help: 'Compute task run time in a worker thread, by kind',
        labelNames: ['kind'],
        buckets: COMPUTE_BUCKETS,
    }));
    computeRejections = getOrCreate('mfn_compute_rejections_total', () => new prom_client_1.Counter({
        name: 'mfn_compute_rejections_total',
        help: 'Compute tasks not run or not finished, by reason (queue_full, timeout, cancelled, worker_error)',
        labelNames: ['reason'],
    }));
    secretsRefreshFailures = getOrCreate('mfn_secrets_refresh_failures_total', () => new prom_client_1.Counter({
        name: 'mfn_secrets_refresh_failures_total',
        help: 'Failed secret refreshes (last good values kept), by backend',
        labelNames: ['backend'],
    }));
    redisFallback = getOrCreate('mfn_redis_fallback_active', () => new prom_client_1.Gauge({
        name: 'mfn_redis_fallback_active',
        help: '1 while a component runs on its in-memory fallback because Redis is unreachable',
        labelNames: ['component'],
    }));
    cryptoOperations = getOrCreate('mfn_crypto_operations_total', () => new prom_client_1.Counter({
        name: 'mfn_crypto_operations_total',
        help: 'Crypto operations by operation and outcome',
        labelNames: ['operation', 'success'],
        collect() {
            CRYPTO_OPERATIONS.flushInto(this);
        },
    }));
    /**
     * Marks one HTTP request as in progress under its route template; the returned function ends it,
     * counting it with its final status and observing its duration (seconds, measured by the caller
     * from when the request entered the pipeline). Calling it more than once has no further effect.
     */
    httpRequestStarted(method, route) {
        const series = httpSeries(httpMethodLabel(method), route);
        series.inProgress++;
        let open = true;
        return (status, seconds) => {
            if (!open)
                return;
            open = false;
            series.inProgress--;
            series.pending.set(status, (series.pending.get(status) ?? 0) + 1);
            this.httpDuration.observe(series.labels, seconds);
        };
    }
    authFailure(reason) {
        this.authFailures.inc({ reason });
    }
    rateLimitRejected(route) {
        this.rateLimitRejections.inc({ route, endpoint: route });
    }
    suspiciousRequest(activityType) {
        this.suspiciousRequests.inc({ activity_type: activityType });
    }
    computeTaskFinished(kind, seconds) {
        this.computeDuration.observe({ kind }, seconds);
    }
    computeRejected(reason) {
        this.computeRejections.inc({ reason });
    }
    setComputeQueueDepth(depth) {
        this.computeQueueDepth.set(depth);
    }
    secretsRefreshFailed(backend) {
        this.secretsRefreshFailures.inc({ backend });
    }
    setRedisFallback(component, active) {
        this.redisFallback.set({ component }, active ? 1 : 0);
    }
    cryptoOperation(operation, success) {
        CRYPTO_OPERATIONS.add(success ? operation : `${operation}|false`, () => ({ operation, success: String(success) }));
    }
};
exports.MetricsService = MetricsService;
exports.MetricsService = MetricsService = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [])
], MetricsService);
//# sourceMappingURL=metrics.service.js.map