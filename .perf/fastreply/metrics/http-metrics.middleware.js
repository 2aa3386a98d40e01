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
exports.HttpMetricsMiddleware = void 0;
const common_1 = require("@nestjs/common");
const common_2 = require("../common");
const config_1 = require("../config");
const metrics_service_1 = require("./metrics.service");
/**
 * Records every HTTP request (count by status, duration, in progress) under its route template.
 * Registered right after the access log, before the shutdown gate, CORS, body parsing and the
 * guards, so 401/404/405/413/415/429 and drain-time 503 responses are counted like any other.
 * With MFN_METRICS_ENABLED=false nothing is recorded (the scrape route still answers).
 */
let HttpMetricsMiddleware = class HttpMetricsMiddleware {
    config;
    metrics;
    routes;
    constructor(config, metrics, routes) {
        this.config = config;
        this.metrics = metrics;
        this.routes = routes;
    }
    handle = (req, res, next) => {
        if (!this.config.metrics.enabled)
            return next();
        const startedAt = (0, common_2.requestState)(req).startedAt;
        const done = this.metrics.httpRequestStarted(req.method, (0, common_2.routeLabel)(req, this.routes));
        (0, common_2.whenResponseDone)(req, res, (aborted) => {
            // Same convention as the access log: a client that left before any response is a 499.
            const status = aborted && !res.headersSent ? 499 : res.statusCode;
            done(status, Number(process.hrtime.bigint() - startedAt) / 1e9);
        });
        next();
    };
};
exports.HttpMetricsMiddleware = HttpMetricsMiddleware;
exports.HttpMetricsMiddleware = HttpMetricsMiddleware = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [config_1.AppConfig,
        metrics_service_1.MetricsService,
        common_2.RouteTable])
], HttpMetricsMiddleware);
//# sourceMappingURL=http-metrics.middleware.js.map