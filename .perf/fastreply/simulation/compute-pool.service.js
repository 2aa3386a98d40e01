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
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.ComputePoolService = exports.ClientDisconnectedError = void 0;
exports.resolveWorkerFile = resolveWorkerFile;
const common_1 = require("@nestjs/common");
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const piscina_1 = require("piscina");
const common_2 = require("../common");
const config_1 = require("../config");
const readiness_registry_1 = require("../health/readiness.registry");
const metrics_service_1 = require("../metrics/metrics.service");
const compute_task_1 = require("./compute-task");
const WORKER_FILE = 'compute.worker.js';
/** Per-thread heap cap: a runaway task kills its own thread (500), not the process. */
const WORKER_HEAP_MB = 256;
const RETRY_AFTER_MIN_S = 1;
/** Runs worth a second thread: below this the hand-off costs more than it saves. */
const SPLIT_MIN_GRID = 128;
const SPLIT_MIN_CELL_STEPS = 128 * 128 * 200;
const RETRY_AFTER_MAX_S = 60;
/**
 * The compiled worker: beside this module when running from dist/, else under
 * <project root>/dist/simulation/ (tests run this module from the TypeScript sources).
 */
function resolveWorkerFile(moduleDir = __dirname) {
    const candidates = [(0, node_path_1.join)(moduleDir, WORKER_FILE), (0, node_path_1.resolve)(moduleDir, '..', '..', 'dist', 'simulation', WORKER_FILE)];
    const found = candidates.find((file) => (0, node_fs_1.existsSync)(file));
    if (!found) {
        throw new Error(`Compute worker script ${WORKER_FILE} not found (looked beside the pool module and in dist/simulation): run npm run build`);
    }
    return found;
}
/** Why a task was cancelled: the client went away (the deadline has its own signal). */
class ClientDisconnectedError extends Error {
    constructor() {
        super('client disconnected');
        this.name = 'ClientDisconnectedError';
    }
}
exports.ClientDisconnectedError = ClientDisconnectedError;
/**
 * Owns the worker-thread pool that runs every iterative computation off the event loop:
 * admission against a bounded queue (503 + Retry-After when full), a per-request deadline
 * (504, task cancelled), cancellation on client disconnect, failure mapping (500
 * COMPUTATION_FAILED; piscina replaces a dead thread), metrics and the `compute_pool`
 * readiness check.
 */
let ComputePoolService = class ComputePoolService {
    metrics;
    pool;
    log;
    workers;
    timeoutMs;
    capacity;
    pending = 0;
    splitLargeRuns;
    destroyed = false;
    /** Smoothed task run time, for Retry-After. */
    averageSeconds = 0.5;
    constructor(config, metrics, readiness, logger) {
        this.metrics = metrics;
        this.log = logger.child({ logger: 'mfn.compute' });
        this.workers = config.compute.workers;
        this.timeoutMs = config.compute.timeoutMs;
        this.capacity = config.compute.workers + config.compute.queueMax;
        this.splitLargeRuns = config.compute.splitLargeRuns;
        this.pool = new piscina_1.Piscina({
            filename: resolveWorkerFile(),
            name: compute_task_1.COMPUTE_HANDLER_NAME,
            minThreads: config.compute.workers,
            maxThreads: config.compute.workers,
            maxQueue: config.compute.queueMax,
            idleTimeout: Infinity,
            resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
        });
        // Without a listener a worker failure outside any task would crash the process.
        this.pool.on('error', (err) => this.log.error({ error: (0, common_2.describeError)(err) }, 'compute worker failed outside a task'));
        readiness.register('compute_pool', () => this.readiness());
    }
    /** Live worker threads (for diagnostics; tests use it to kill a thread mid-task). */
    threads() {
        return this.pool.threads;
    }
    /** Tasks waiting for a thread. */
    get queued() {
        return this.pool.queueSize;
    }
    /** Tasks accepted and not yet settled (running or queued). */
    get inFlight() {
        return this.pending;
    }
    /**
     * Runs a task on a worker thread. Rejects with the envelope's AppException: 503 when the queue
     * is full, 504 at the deadline, 499 after a client disconnect, 500 when the task failed.
     */
    async run(task, options = {}) {
        if (this.destroyed)
            throw common_2.AppException.unavailable('The compute service is shutting down', RETRY_AFTER_MIN_S);
        if (this.pending >= this.capacity) {
            this.metrics.computeRejected('queue_full');
            throw common_2.AppException.unavailable('The compute queue is full; retry later', this.retryAfterSeconds());
        }
        const job = this.withSplit(task);
        const deadline = new AbortController();
        const timer = setTimeout(() => deadline.abort(), this.timeoutMs);
        const signal = options.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal;
        this.pending++;
        try {
            const promise = this.pool.run(job, { signal, transferList: options.transferList });
            this.metrics.setComputeQueueDepth(this.pool.queueSize);
            const result = (await promise);
            this.metrics.computeTaskFinished(task.kind, result.seconds);
            this.averageSeconds = 0.8 * this.averageSeconds + 0.2 * result.seconds;
            return result;
        }
        catch (err) {
            throw this.failure(err, task.kind, options.requestId, deadline.signal.aborted, options.signal?.aborted === true);
        }
        finally {
            clearTimeout(timer);
            this.pending--;
            this.metrics.setComputeQueueDepth(this.pool.queueSize);
        }
    }
    /**
     * A large /simulate that arrives while nothing else computes is split by rows across its
     * thread and a partner thread (bit-identical result, about half the latency). Under load every
     * task keeps one thread, so splitting never competes with queued work.
     */
    withSplit(task) {
        if (task.kind !== 'simulate' || !this.splitLargeRuns || this.pending > 0)
            return task;
        const { gridSize, steps } = task.params;
        if (gridSize < SPLIT_MIN_GRID || gridSize * gridSize * steps < SPLIT_MIN_CELL_STEPS)
            return task;
        return { ...task, split: true };
    }
    failure(err, kind, requestId, timedOut, clientGone) {
        const log = requestId ? this.log.child({ request_id: requestId }) : this.log;
        if (timedOut) {
            this.metrics.computeRejected('timeout');
            log.warn({ kind, timeout_ms: this.timeoutMs }, 'compute task cancelled at its deadline');
            return new common_2.AppException(common_2.ErrorCode.GATEWAY_TIMEOUT, `The computation did not finish within ${this.timeoutMs} ms and was cancelled`, common_1.HttpStatus.GATEWAY_TIMEOUT);
        }
        if (clientGone) {
            this.metrics.computeRejected('cancelled');
            log.info({ kind }, 'compute task cancelled: client disconnected');
            // Nobody reads this response; 499 (client closed request) keeps access logs and metrics honest.
            return new common_2.AppException(common_2.ErrorCode.INVALID_REQUEST, 'The client closed the request', 499);
        }
        if (err instanceof Error && err.message === 'Task queue is at limit') {
            this.metrics.computeRejected('queue_full');
            return common_2.AppException.unavailable('The compute queue is full; retry later', this.retryAfterSeconds());
        }
        if (this.destroyed)
            return common_2.AppException.unavailable('The compute service is shutting down', RETRY_AFTER_MIN_S);
        this.metrics.computeRejected('worker_error');
        log.error({ kind, error: (0, common_2.describeError)(err) }, 'compute task failed');
        return new common_2.AppException(common_2.ErrorCode.COMPUTATION_FAILED, 'The computation failed', common_1.HttpStatus.INTERNAL_SERVER_ERROR);
    }
    /** Seconds until a slot is likely free: queued work spread over the threads, at least 1. */
    retryAfterSeconds() {
        const waiting = Math.max(1, this.pending - this.workers + 1);
        const estimate = Math.ceil((this.averageSeconds * waiting) / this.workers);
        return Math.min(RETRY_AFTER_MAX_S, Math.max(RETRY_AFTER_MIN_S, estimate));
    }
    readiness() {
        const threads = this.pool.threads.length;
        const status = !this.destroyed && threads > 0 ? 'up' : 'down';
        return { compute_pool: { status, threads, configured: this.workers, queued: this.pool.queueSize, in_flight: this.pending } };
    }
    async onModuleDestroy() {
        this.destroyed = true;
        await this.pool.destroy();
    }
};
exports.ComputePoolService = ComputePoolService;
exports.ComputePoolService = ComputePoolService = __decorate([
    (0, common_1.Injectable)(),
    __param(3, (0, common_1.Inject)(common_2.ROOT_LOGGER)),
    __metadata("design:paramtypes", [config_1.AppConfig,
        metrics_service_1.MetricsService,
        readiness_registry_1.ReadinessRegistry, Object])
], ComputePoolService);
//# sourceMappingURL=compute-pool.service.js.map