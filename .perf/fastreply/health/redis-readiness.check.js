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
exports.RedisReadinessCheck = void 0;
const common_1 = require("@nestjs/common");
const terminus_1 = require("@nestjs/terminus");
const redis_service_1 = require("../common/redis/redis.service");
const readiness_registry_1 = require("./readiness.registry");
/**
 * Readiness of the shared Redis (rate-limit buckets, key store), registered only when Redis is
 * configured. A pod whose connection is down, or whose PING fails within the client's command
 * timeout, reports not ready. Liveness never runs this.
 */
let RedisReadinessCheck = class RedisReadinessCheck {
    redis;
    registry;
    indicators;
    constructor(redis, registry, indicators) {
        this.redis = redis;
        this.registry = registry;
        this.indicators = indicators;
    }
    // After every onModuleInit: the connection exists only once RedisService has read its secret.
    onApplicationBootstrap() {
        if (this.redis.configured)
            this.registry.register('redis', () => this.check());
    }
    async check() {
        const session = this.indicators.check('redis');
        const client = this.redis.client;
        if (!client || !this.redis.ready)
            return session.down({ state: client?.status ?? 'not_connected' });
        try {
            await client.ping();
            return session.up({ state: 'ready' });
        }
        catch {
            return session.down({ state: 'ping_failed' });
        }
    }
};
exports.RedisReadinessCheck = RedisReadinessCheck;
exports.RedisReadinessCheck = RedisReadinessCheck = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [redis_service_1.RedisService,
        readiness_registry_1.ReadinessRegistry,
        terminus_1.HealthIndicatorService])
], RedisReadinessCheck);
//# sourceMappingURL=redis-readiness.check.js.map