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
exports.RateLimitGuard = void 0;
const common_1 = require("@nestjs/common");
const core_1 = require("@nestjs/core");
const throttler_1 = require("@nestjs/throttler");
const audit_service_1 = require("../audit/audit.service");
const api_key_service_1 = require("../auth/api-key.service");
const route_access_1 = require("../auth/route-access");
const common_2 = require("../common");
const config_1 = require("../config");
const metrics_service_1 = require("../metrics/metrics.service");
const rate_limit_policy_1 = require("./rate-limit.policy");
const token_bucket_storage_1 = require("./token-bucket.storage");
/**
 * The first guard: a token bucket per (client, route template), before authentication so failed
 * keys are throttled too (brute force), on every path including unknown ones (which share the
 * `unmatched` bucket, so path spelling cannot mint fresh buckets).
 *
 * Client = the API key's id when the request carries a valid key for a protected route, else the
 * client address as Express resolved it (X-Forwarded-For only through MFN_TRUST_PROXY_HEADERS and
 * MFN_TRUSTED_PROXIES); IPv6 clients are grouped by /64 so rotating addresses inside one
 * allocation does not reset the budget.
 *
 * Public routes (probes, scrape) count in this process only, so they never wait for or depend
 * on Redis; every other bucket lives in the configured store (TokenBucketStorage).
 *
 * Headers: X-RateLimit-Limit and X-RateLimit-Remaining on every limited response; on 429 also
 * Retry-After and the RATE_LIMIT_EXCEEDED envelope with retry_after.
 */
/** Nest awaits a guard's answer anyway; one settled promise serves every allowed request. */
const ALLOWED = Promise.resolve(true);
let RateLimitGuard = class RateLimitGuard extends throttler_1.ThrottlerGuard {
    buckets;
    config;
    routes;
    policy;
    keys;
    access;
    audit;
    metrics;
    constructor(options, buckets, reflector, config, routes, policy, keys, access, audit, metrics) {
        super(options, buckets, reflector);
        this.buckets = buckets;
        this.config = config;
        this.routes = routes;
        this.policy = policy;
        this.keys = keys;
        this.access = access;
        this.audit = audit;
        this.metrics = metrics;
    }
    /**
     * Replaces the base class's per-request loop over named throttlers (metadata lookups and several
     * awaits) with one direct pass: there is one throttler, and its limit depends on the route.
     */
    canActivate(context) {
        if (!this.config.rateLimit.enabled)
            return ALLOWED;
        const http = context.switchToHttp();
        const req = http.getRequest();
        const res = http.getResponse();
        const route = (0, common_2.routeLabel)(req, this.routes);
        const limit = this.policy.limitFor(route);
        const isPublic = this.access.resolve(context).public;
        const client = this.clientOf(req, isPublic);
        const pending = this.buckets.take(`${client.tracker}|${route}`, limit, this.policy.windowMs, isPublic);
        // In-process buckets answer synchronously: no async frame on the hot path.
        if (pending instanceof Promise)
            return pending.then((outcome) => this.settle(req, res, route, limit, client, outcome));
        this.settle(req, res, route, limit, client, pending);
        return ALLOWED;
    }
    /** Sets the headers; returns when a token was available, else records the refusal and throws the 429. */
    settle(req, res, route, limit, client, outcome) {
        res.setHeader('X-RateLimit-Limit', limit);
        res.setHeader('X-RateLimit-Remaining', outcome.remaining);
        if (outcome.allowed)
            return true;
        const retryAfter = outcome.retryAfterSeconds;
        this.metrics.rateLimitRejected(route);
        this.audit.recordForRequest(req, {
            action: 'rate_limit_exceeded',
            category: 'security',
            severity: 'WARNING',
            success: false,
            userId: client.keyId,
            details: { route, limit, window_seconds: this.policy.windowMs / 1000, retry_after: retryAfter },
        });
        throw new common_2.AppException(common_2.ErrorCode.RATE_LIMIT_EXCEEDED, 'Rate limit exceeded', common_1.HttpStatus.TOO_MANY_REQUESTS, {
            retryAfter,
        });
    }
    clientOf(req, isPublic) {
        if (this.config.auth.required && !isPublic) {
            const check = this.keys.checkRequest(req);
            if (check.status === 'valid')
                return { tracker: `key:${check.principal.id}`, keyId: check.principal.id };
        }
        return { tracker: `ip:${(0, throttler_1.normalizeIp)((0, common_2.clientIpOf)(req))}` };
    }
};
exports.RateLimitGuard = RateLimitGuard;
exports.RateLimitGuard = RateLimitGuard = __decorate([
    (0, common_1.Injectable)(),
    __param(0, (0, throttler_1.InjectThrottlerOptions)()),
    __param(1, (0, throttler_1.InjectThrottlerStorage)()),
    __metadata("design:paramtypes", [Object, token_bucket_storage_1.TokenBucketStorage,
        core_1.Reflector,
        config_1.AppConfig,
        common_2.RouteTable,
        rate_limit_policy_1.RateLimitPolicy,
        api_key_service_1.ApiKeyService,
        route_access_1.RouteAccessResolver,
        audit_service_1.AuditService,
        metrics_service_1.MetricsService])
], RateLimitGuard);
//# sourceMappingURL=rate-limit.guard.js.map