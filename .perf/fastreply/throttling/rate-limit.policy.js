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
exports.RateLimitPolicy = exports.FIXED_LIMITS_PER_MINUTE = void 0;
const common_1 = require("@nestjs/common");
const common_2 = require("../common");
const config_1 = require("../config");
/**
 * The seed's fixed limits, in requests per minute. Each applies to the path itself and to
 * everything below it (`/health/ready`), never to a mere string prefix (`/healthz`).
 */
exports.FIXED_LIMITS_PER_MINUTE = {
    '/health': 1000,
    '/nernst': 200,
    '/validate': 50,
    '/simulate': 50,
    '/federated/aggregate': 50,
};
function covers(prefix, path) {
    return path === prefix || path.startsWith(`${prefix}/`);
}
/** Longest matching prefix of `table` for `path`, if any. */
function lookup(table, path) {
    let best;
    for (const prefix of table.keys()) {
        if (covers(prefix, path) && (best === undefined || prefix.length > best.length))
            best = prefix;
    }
    return best === undefined ? undefined : table.get(best);
}
/**
 * Bucket capacity per route template (SERVICE.md §4): an MFN_RATE_LIMIT_ROUTES override (per
 * window), else the seed's per-minute figure scaled to the window so the per-minute rate holds
 * for any MFN_RATE_LIMIT_WINDOW, else MFN_RATE_LIMIT_REQUESTS. Templates are a bounded set, so the
 * answers are cached.
 */
let RateLimitPolicy = class RateLimitPolicy {
    config;
    windowMs;
    overrides;
    fixed;
    cache = new Map();
    constructor(config) {
        this.config = config;
        const { windowSeconds, routes } = config.rateLimit;
        this.windowMs = windowSeconds * 1000;
        this.overrides = new Map(Object.entries(routes).map(([path, limit]) => [(0, common_2.normalisePath)(path), limit]));
        this.fixed = new Map(Object.entries(exports.FIXED_LIMITS_PER_MINUTE).map(([path, perMinute]) => [
            path,
            Math.max(1, Math.round((perMinute * windowSeconds) / 60)),
        ]));
    }
    /** Capacity (and refill per window) of the bucket for a route template. */
    limitFor(template) {
        let limit = this.cache.get(template);
        if (limit === undefined) {
            const path = (0, common_2.normalisePath)(template);
            limit = lookup(this.overrides, path) ?? lookup(this.fixed, path) ?? this.config.rateLimit.requests;
            this.cache.set(template, limit);
        }
        return limit;
    }
};
exports.RateLimitPolicy = RateLimitPolicy;
exports.RateLimitPolicy = RateLimitPolicy = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [config_1.AppConfig])
], RateLimitPolicy);
//# sourceMappingURL=rate-limit.policy.js.map