"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createApp = createApp;
const core_1 = require("@nestjs/core");
const nestjs_pino_1 = require("nestjs-pino");
const app_module_1 = require("./app.module");
const common_1 = require("./common");
const protocol_errors_1 = require("./common/http/protocol-errors");
const chain_1 = require("./common/middleware/chain");
const preflight_middleware_1 = require("./common/security/preflight.middleware");
const openapi_1 = require("./docs/openapi");
const redoc_1 = require("./docs/redoc");
const lifecycle_service_1 = require("./health/lifecycle.service");
const http_metrics_middleware_1 = require("./metrics/http-metrics.middleware");
const metrics_service_1 = require("./metrics/metrics.service");
/**
 * Builds and initialises the service for a given configuration, without listening. The HTTP
 * pipeline order is: request id → access log → HTTP metrics → shutdown gate → security headers → Host
 * check → CORS → body parsing (limits, depth, 415/400/413) → [Nest] rate limit → authentication →
 * roles → audit → validation → handler → error filter. Requests Node's parser refuses never reach
 * it; they are answered in the envelope by answerProtocolErrors.
 */
async function createApp(config, options = {}) {
    const root = (0, common_1.createRootLogger)(config, options.logDestination);
    const app = await core_1.NestFactory.create(app_module_1.AppModule.register(config, root), {
        bodyParser: false,
        bufferLogs: true,
        abortOnError: false,
    });
    app.useLogger(app.get(nestjs_pino_1.Logger));
    const express = app.getHttpAdapter().getInstance();
    express.disable('x-powered-by');
    express.set('etag', false);
    express.set('trust proxy', config.http.trustProxyHeaders ? config.http.trustedProxies : false);
    const routes = app.get(common_1.RouteTable);
    const verboseErrors = config.env === 'dev' && config.logging.level === 'debug';
    const front = [
        common_1.requestIdMiddleware,
        (0, common_1.accessLogMiddleware)(root.logger, routes),
        app.get(http_metrics_middleware_1.HttpMetricsMiddleware).handle,
        app.get(lifecycle_service_1.LifecycleService).middleware,
        (0, common_1.securityHeadersMiddleware)({ docsEnabled: config.docsEnabled, docsPages: { [redoc_1.REDOC_PATH]: redoc_1.REDOC_CSP_DIRECTIVES } }),
        protocol_errors_1.requireHostHeader,
    ];
    const jsonBody = (0, common_1.jsonBodyMiddleware)({
        defaultBytes: config.http.maxBodyBytes,
        perRoute: { '/federated/aggregate': config.http.aggregateMaxBytes },
    });
    if (config.cors.origins === '*' || config.cors.origins.length > 0) {
        app.use((0, chain_1.chainMiddleware)(front));
        app.enableCors({
            origin: config.cors.origins === '*' ? '*' : config.cors.origins,
            credentials: config.cors.credentials,
            methods: ['GET', 'POST', 'OPTIONS'],
            exposedHeaders: ['X-Request-ID', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'Retry-After'],
            maxAge: 600,
            optionsSuccessStatus: 204,
        });
        app.use(jsonBody);
    }
    else {
        // Without CORS (the prod default) the whole front of the pipeline is one middleware.
        app.use((0, chain_1.chainMiddleware)([...front, preflight_middleware_1.preflightWithoutCorsMiddleware, jsonBody]));
    }
    app.use((0, common_1.expressErrorHandler)(root.logger, verboseErrors));
    (0, protocol_errors_1.answerProtocolErrors)(app.getHttpServer(), { logger: root.logger, metrics: config.metrics.enabled ? app.get(metrics_service_1.MetricsService) : undefined });
    if (config.docsEnabled) {
        (0, openapi_1.mountDocs)(app, config);
        routes.addPrefix('/docs');
        routes.addPrefix('/openapi.json');
        routes.addPrefix(redoc_1.REDOC_PATH);
    }
    try {
        await app.init();
    }
    catch (err) {
        // A start-up check failed: release what already started (e.g. the Redis connection) before reporting.
        await app.close().catch(() => undefined);
        throw err;
    }
    return { app, logger: root.logger, flushLogs: root.flush };
}
//# sourceMappingURL=app.factory.js.map