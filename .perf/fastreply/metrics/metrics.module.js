"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.MetricsModule = void 0;
const common_1 = require("@nestjs/common");
const nestjs_prometheus_1 = require("@willsoto/nestjs-prometheus");
const http_metrics_middleware_1 = require("./http-metrics.middleware");
const metrics_constants_1 = require("./metrics.constants");
const metrics_controller_1 = require("./metrics.controller");
const metrics_token_guard_1 = require("./metrics-token.guard");
const metrics_service_1 = require("./metrics.service");
/**
 * PrometheusModule configures the scrape route (path, options). Its default-metrics switch stays
 * off because it registers the Node collectors on every app built in a process (prom-client
 * throws on the second); MetricsService starts them once per process instead.
 */
const prometheus = nestjs_prometheus_1.PrometheusModule.register({
    controller: metrics_controller_1.MetricsController,
    path: metrics_constants_1.METRICS_PATH,
    defaultMetrics: { enabled: false },
});
/**
 * Prometheus metrics: the MetricsService facade every module records through, the HTTP metrics
 * middleware, and the GET /metrics scrape route. The route is hosted here rather than in an
 * imported PrometheusModule because Nest registers routes of nested modules after those of the
 * application's direct imports — after the catch-all FallbackController, which would shadow it.
 */
let MetricsModule = class MetricsModule {
};
exports.MetricsModule = MetricsModule;
exports.MetricsModule = MetricsModule = __decorate([
    (0, common_1.Global)(),
    (0, common_1.Module)({
        controllers: prometheus.controllers,
        providers: [...(prometheus.providers ?? []), metrics_service_1.MetricsService, http_metrics_middleware_1.HttpMetricsMiddleware, metrics_token_guard_1.MetricsTokenGuard],
        exports: [metrics_service_1.MetricsService, http_metrics_middleware_1.HttpMetricsMiddleware, metrics_token_guard_1.MetricsTokenGuard],
    })
], MetricsModule);
//# sourceMappingURL=metrics.module.js.map