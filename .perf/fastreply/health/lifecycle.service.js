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
exports.LifecycleService = void 0;
const common_1 = require("@nestjs/common");
const config_1 = require("../config");
const common_2 = require("../common");
const PROBE_PATHS = new Set(['/health', '/health/ready']);
/**
 * Graceful shutdown. On SIGTERM: readiness turns 503 at once; after MFN_SHUTDOWN_DELAY_MS the
 * service drains — requests already accepted run to completion, new work gets 503 with
 * `Connection: close` (probes still answer) — then the listener closes and the app exits. The
 * drain is bounded by MFN_SHUTDOWN_TIMEOUT_MS.
 */
let LifecycleService = class LifecycleService {
    config;
    state = 'running';
    inFlight = 0;
    drained;
    shutdownPromise;
    log;
    constructor(config, logger) {
        this.config = config;
        this.log = logger.child({ logger: 'mfn.lifecycle' });
    }
    get shuttingDown() {
        return this.state !== 'running';
    }
    get inFlightRequests() {
        return this.inFlight;
    }
    /** Counts accepted requests; refuses new work while draining. */
    middleware = (req, res, next) => {
        if (this.state === 'draining') {
            res.setHeader('Connection', 'close');
            if (PROBE_PATHS.has((0, common_2.normalisePath)(req.path)))
                return next();
            return (0, common_2.sendErrorResponse)(common_2.AppException.unavailable('Service is shutting down', 1), req, res, this.log, false);
        }
        this.inFlight++;
        (0, common_2.whenResponseDone)(req, res, () => {
            this.inFlight--;
            if (this.inFlight === 0 && this.drained)
                this.drained();
        });
        next();
    };
    /** Runs the shutdown sequence once; later calls return the same promise. */
    shutdown(server, closeApp) {
        this.shutdownPromise ??= this.runShutdown(server, closeApp);
        return this.shutdownPromise;
    }
    async runShutdown(server, closeApp) {
        const { shutdownDelayMs, shutdownTimeoutMs } = this.config.http;
        this.state = 'stopping';
        this.log.info({ in_flight: this.inFlight, delay_ms: shutdownDelayMs }, 'shutdown requested: readiness now 503');
        if (shutdownDelayMs > 0)
            await sleep(shutdownDelayMs);
        this.state = 'draining';
        const completed = await this.waitForInFlight(shutdownTimeoutMs);
        if (!completed) {
            this.log.warn({ in_flight: this.inFlight }, 'shutdown timeout reached with requests still running');
        }
        await new Promise((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
        });
        await closeApp();
        this.log.info('shutdown complete');
    }
    waitForInFlight(timeoutMs) {
        if (this.inFlight === 0)
            return Promise.resolve(true);
        return new Promise((resolve) => {
            const timer = setTimeout(() => {
                this.drained = undefined;
                resolve(false);
            }, timeoutMs);
            timer.unref();
            this.drained = () => {
                clearTimeout(timer);
                this.drained = undefined;
                resolve(true);
            };
        });
    }
};
exports.LifecycleService = LifecycleService;
exports.LifecycleService = LifecycleService = __decorate([
    (0, common_1.Injectable)(),
    __param(1, (0, common_1.Inject)(common_2.ROOT_LOGGER)),
    __metadata("design:paramtypes", [config_1.AppConfig, Object])
], LifecycleService);
function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
//# sourceMappingURL=lifecycle.service.js.map