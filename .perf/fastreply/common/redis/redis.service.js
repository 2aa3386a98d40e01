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
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.RedisService = void 0;
const common_1 = require("@nestjs/common");
const ioredis_1 = __importDefault(require("ioredis"));
const logging_constants_1 = require("../logging/logging.constants");
const secrets_service_1 = require("../../secrets/secrets.service");
/**
 * The shared Redis connection (rate-limit buckets, crypto key store), present only when the
 * MFN_REDIS_URL secret is set. Commands fail fast while disconnected (no offline queue), so
 * callers can fall back instead of hanging; the client reconnects by itself.
 */
let RedisService = class RedisService {
    secrets;
    redis;
    log;
    constructor(secrets, logger) {
        this.secrets = secrets;
        this.log = logger.child({ logger: 'mfn.redis' });
    }
    onModuleInit() {
        const url = this.secrets.getSecret('MFN_REDIS_URL');
        if (!url)
            return;
        this.redis = new ioredis_1.default(url, {
            enableOfflineQueue: false,
            maxRetriesPerRequest: 1,
            connectTimeout: 2_000,
            commandTimeout: 1_000,
            retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
        });
        // Errors repeat on every reconnect attempt; the users of the connection report outages once.
        this.redis.on('error', (err) => this.log.debug({ error: err.name }, 'redis connection error'));
    }
    /** The client, or undefined when no Redis is configured. */
    get client() {
        return this.redis;
    }
    get configured() {
        return this.redis !== undefined;
    }
    get ready() {
        return this.redis?.status === 'ready';
    }
    /**
     * Resolves true once the connection is ready, false after `timeoutMs` (or at once when no Redis
     * is configured). Start-up uses it so the first requests do not race the initial connect.
     */
    waitUntilReady(timeoutMs) {
        const redis = this.redis;
        if (!redis)
            return Promise.resolve(false);
        if (redis.status === 'ready')
            return Promise.resolve(true);
        return new Promise((resolve) => {
            const done = (ok) => {
                clearTimeout(timer);
                redis.off('ready', onReady);
                resolve(ok);
            };
            const onReady = () => done(true);
            const timer = setTimeout(() => done(false), timeoutMs);
            timer.unref();
            redis.on('ready', onReady);
        });
    }
    async onModuleDestroy() {
        if (!this.redis)
            return;
        // QUIT only makes sense on a live connection; otherwise stop reconnecting at once, so a
        // shutdown during a Redis outage does not wait for the retry timer.
        if (this.redis.status !== 'ready') {
            this.redis.disconnect(false);
            return;
        }
        try {
            await this.redis.quit();
        }
        catch {
            this.redis.disconnect(false);
        }
    }
};
exports.RedisService = RedisService;
exports.RedisService = RedisService = __decorate([
    (0, common_1.Injectable)(),
    __param(1, (0, common_1.Inject)(logging_constants_1.ROOT_LOGGER)),
    __metadata("design:paramtypes", [secrets_service_1.SecretsService, Object])
], RedisService);
//# sourceMappingURL=redis.service.js.map