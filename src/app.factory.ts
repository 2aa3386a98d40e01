import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import type { DestinationStream, Logger } from 'pino';
import { AppModule } from './app.module';
import {
  RootLogger,
  RouteTable,
  accessLogMiddleware,
  createRootLogger,
  expressErrorHandler,
  requestIdMiddleware,
  securityHeadersMiddleware,
} from './common';
import { ServiceHttpAdapter } from './common/http/json-response';
import { bodylessMethodMiddleware } from './common/body/unread-body';
import { answerProtocolErrors, requireHostHeader } from './common/http/protocol-errors';
import { chainMiddleware } from './common/middleware/chain';
import { preflightWithoutCorsMiddleware } from './common/security/preflight.middleware';
import { AddressListMiddleware } from './auth/address-lists/address-list.middleware';
import { AppConfig } from './config';
import { mountDocs } from './docs/openapi';
import { REDOC_CSP_DIRECTIVES, REDOC_PATH } from './docs/redoc';
import { LifecycleService } from './health/lifecycle.service';
import { HttpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { MetricsService } from './metrics/metrics.service';

export interface CreateAppOptions {
  /** Where log lines go (tests capture them); stdout by default. */
  logDestination?: DestinationStream;
}

export interface ServiceApp {
  app: NestExpressApplication;
  logger: Logger;
  flushLogs(): void;
}

/**
 * Builds and initialises the service for a given configuration, without listening. The HTTP
 * pipeline order is: request id → access log → HTTP metrics → shutdown gate → security headers →
 * address lists → Host check → CORS → [Nest guards] brute-force lock → rate limit → authentication →
 * roles → access audit → body (read, inflated and parsed only now: 415/411/413/400/503) → input
 * scan → validation → handler → error filter. Everything before the body guard is decided from
 * the request line and headers alone. Requests Node's parser refuses never reach it; they are
 * answered in the envelope by answerProtocolErrors.
 */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<ServiceApp> {
  const root: RootLogger = createRootLogger(config, options.logDestination);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, root), new ServiceHttpAdapter(), {
    bodyParser: false,
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(PinoNestLogger));

  const express = app.getHttpAdapter().getInstance();
  express.disable('x-powered-by');
  express.set('etag', false);
  express.set('trust proxy', config.http.trustProxyHeaders ? config.http.trustedProxies : false);

  const routes = app.get(RouteTable);
  const verboseErrors = config.env === 'dev' && config.logging.level === 'debug';
  const front = [
    requestIdMiddleware,
    accessLogMiddleware(root.logger, routes),
    app.get(HttpMetricsMiddleware).handle,
    app.get(LifecycleService).middleware,
    securityHeadersMiddleware({ docsEnabled: config.docsEnabled, docsPages: { [REDOC_PATH]: REDOC_CSP_DIRECTIVES } }),
    app.get(AddressListMiddleware).handle,
    requireHostHeader,
    bodylessMethodMiddleware,
  ];
  if (config.cors.origins === '*' || config.cors.origins.length > 0) {
    app.use(chainMiddleware(front));
    app.enableCors({
      origin: config.cors.origins === '*' ? '*' : config.cors.origins,
      credentials: config.cors.credentials,
      methods: ['GET', 'POST', 'OPTIONS'],
      exposedHeaders: ['X-Request-ID', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'Retry-After'],
      maxAge: 600,
      optionsSuccessStatus: 204,
    });
  } else {
    // Without CORS (the prod default) the whole front of the pipeline is one middleware.
    app.use(chainMiddleware([...front, preflightWithoutCorsMiddleware]));
  }
  app.use(expressErrorHandler(root.logger, verboseErrors));
  answerProtocolErrors(app.getHttpServer(), { logger: root.logger, metrics: config.metrics.enabled ? app.get(MetricsService) : undefined });

  if (config.docsEnabled) {
    mountDocs(app, config);
    routes.addPrefix('/docs');
    routes.addPrefix('/openapi.json');
    routes.addPrefix(REDOC_PATH);
  }

  try {
    await app.init();
  } catch (err) {
    // A start-up check failed: release what already started (e.g. the Redis connection) before reporting.
    await app.close().catch(() => undefined);
    throw err;
  }
  return { app, logger: root.logger, flushLogs: root.flush };
}
