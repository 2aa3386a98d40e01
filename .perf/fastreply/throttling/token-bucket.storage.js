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
exports.TokenBucketStorage = void 0;
const common_1 = require("@nestjs/common");
const common_2 = require("../common");
const redis_service_1 = require("../common/redis/redis.service");
const config_1 = require("../config");
const metrics_service_1 = require("../metrics/metrics.service");
const memory_bucket_store_1 = require("./memory-bucket.store");
const redis_bucket_store_1 = require("./redis-bucket.store");
/** After a failed Redis call, requests skip Redis this long before one of them probes it again. */
const PROBE_INTERVAL_MS = 1_000;
/** How long start-up waits for the first Redis connection before serving from the fallback. */
const CONNECT_WAIT_MS = 2_000;
/**
 * The @nestjs/throttler storage, as token buckets (`ttl` = the window, `limit` = the capacity).
 * RateLimitGuard calls `take()` for the full outcome (tokens left, seconds until the next one);
 * `increment()` serves the ThrottlerStorage contract. In memory by default; in Redis when MFN_REDIS_URL is set (or MFN_RATE_LIMIT_BACKEND=redis), so
 * every replica spends from one budget.
 *
 * Redis outage: with MFN_RATE_LIMIT_FAIL_OPEN=true (default) requests are served from the
 * in-memory buckets (per replica) — one WARNING per outage, the `mfn_redis_fallback_active`
 * gauge at 1 — and Redis is probed again at most once a second, so service returns to the shared
 * buckets by itself. With fail-open off the request gets 503 SERVICE_UNAVAILABLE instead.
 */
let TokenBucketStorage = class TokenBucketStorage {
    config;
    redis;
    metrics;
    mode = 'memory';
    memory = new memory_bucket_store_1.MemoryBucketStore();
    shared;
    outage = false;
    probeAt = 0;
    log;
    constructor(config, redis, metrics, logger) {
        this.config = config;
        this.redis = redis;
        this.metrics = metrics;
        this.log = logger.child({ logger: 'mfn.ratelimit' });
        this.shared = new redis_bucket_store_1.RedisBucketStore(config.rateLimit.keyPrefix, () => this.redis.client);
    }
    async onApplicationBootstrap() {
        const { enabled, backend, failOpen } = this.config.rateLimit;
        if (!enabled)
            return;
        if (backend === 'redis' && !this.redis.configured) {
            throw new Error('MFN_RATE_LIMIT_BACKEND=redis needs a Redis URL (the MFN_REDIS_URL secret)');
        }
        this.mode = backend === 'memory' || !this.redis.configured ? 'memory' : 'redis';
        if (this.mode === 'redis') {
            this.metrics.setRedisFallback('rate_limit', false);
            const ready = await this.redis.waitUntilReady(CONNECT_WAIT_MS);
            if (!ready)
                this.enterOutage(undefined);
        }
        this.log.info({ backend: this.mode, fail_open: failOpen }, 'rate limiting enabled');
    }
    get backend() {
        return this.mode;
    }
    /** True while Redis is configured but unreachable. */
    get degraded() {
        return this.outage;
    }
    async increment(key, ttl, limit) {
        const outcome = await this.take(key, limit, ttl);
        return {
            totalHits: outcome.allowed ? limit - outcome.remaining : limit + 1,
            timeToExpire: outcome.resetSeconds,
            isBlocked: !outcome.allowed,
            timeToBlockExpire: outcome.retryAfterSeconds,
        };
    }
    /**
     * Spends one token of `key`'s bucket (capacity `limit`, refilled over `windowMs`). In-process
     * buckets answer synchronously (no promise on the hot path); shared ones return a promise.
     * `local` buckets always live in this process: the probes and the scrape route must keep
     * answering (and must not cost a Redis round trip) whatever state Redis is in.
     */
    take(key, limit, windowMs, local = false) {
        if (local || this.mode === 'memory')
            return this.memory.take(key, limit, windowMs);
        return this.takeShared(key, limit, windowMs);
    }
    async takeShared(key, limit, windowMs) {
        if (this.redis.ready && (!this.outage || Date.now() >= this.probeAt)) {
            try {
                const outcome = await this.shared.take(key, limit, windowMs);
                if (this.outage)
                    this.leaveOutage();
                return outcome;
            }
            catch (err) {
                this.enterOutage(err);
            }
        }
        else if (!this.outage) {
            this.enterOutage(undefined);
        }
        if (!this.config.rateLimit.failOpen) {
            throw common_2.AppException.unavailable('Rate limiting is temporarily unavailable; retry shortly', 1);
        }
        return this.memory.take(key, limit, windowMs);
    }
    enterOutage(err) {
        this.probeAt = Date.now() + PROBE_INTERVAL_MS;
        if (this.outage)
            return;
        this.outage = true;
        const failOpen = this.config.rateLimit.failOpen;
        if (failOpen)
            this.metrics.setRedisFallback('rate_limit', true);
        this.log.warn({ error: err instanceof Error ? err.name : 'not_connected', fail_open: failOpen }, failOpen
            ? 'Redis unreachable: rate limiting continues on in-memory buckets (per replica) until it is back'
            : 'Redis unreachable: requests are refused with 503 until it is back (MFN_RATE_LIMIT_FAIL_OPEN=false)');
    }
    leaveOutage() {
        this.outage = false;
        this.metrics.setRedisFallback('rate_limit', false);
        this.log.info('Redis reachable again: rate limiting is back on shared buckets');
    }
};
exports.TokenBucketStorage = TokenBucketStorage;
exports.TokenBucketStorage = TokenBucketStorage = __decorate([
    (0, common_1.Injectable)(),
    __param(3, (0, common_1.Inject)(common_2.ROOT_LOGGER)),
    __metadata("design:paramtypes", [config_1.AppConfig,
        redis_service_1.RedisService,
        metrics_service_1.MetricsService, Object])
], TokenBucketStorage);
//# sourceMappingURL=token-bucket.storage.js.map