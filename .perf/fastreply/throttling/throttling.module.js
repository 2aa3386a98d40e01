"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.ThrottlingModule = void 0;
const common_1 = require("@nestjs/common");
const throttler_1 = require("@nestjs/throttler");
const config_1 = require("../config");
const rate_limit_policy_1 = require("./rate-limit.policy");
const token_bucket_storage_1 = require("./token-bucket.storage");
/**
 * Rate limiting: the token-bucket storage (memory or Redis) behind @nestjs/throttler, the
 * per-route policy and the guard. The guard joins the global chain in AuthModule, which fixes
 * the order: rate limit → API key → roles → input scan.
 */
let ThrottlingModule = class ThrottlingModule {
};
exports.ThrottlingModule = ThrottlingModule;
exports.ThrottlingModule = ThrottlingModule = __decorate([
    (0, common_1.Module)({
        providers: [
            rate_limit_policy_1.RateLimitPolicy,
            token_bucket_storage_1.TokenBucketStorage,
            { provide: (0, throttler_1.getStorageToken)(), useExisting: token_bucket_storage_1.TokenBucketStorage },
            {
                provide: (0, throttler_1.getOptionsToken)(),
                inject: [config_1.AppConfig],
                useFactory: (config) => ({
                    // One named throttler; its limit is resolved per route by RateLimitGuard.
                    throttlers: [{ name: 'default', limit: config.rateLimit.requests, ttl: config.rateLimit.windowSeconds * 1000 }],
                }),
            },
        ],
        exports: [rate_limit_policy_1.RateLimitPolicy, token_bucket_storage_1.TokenBucketStorage, (0, throttler_1.getStorageToken)(), (0, throttler_1.getOptionsToken)()],
    })
], ThrottlingModule);
//# sourceMappingURL=throttling.module.js.map