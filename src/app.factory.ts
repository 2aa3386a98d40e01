import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { RequestHandler } from 'express';
import type { Server } from 'node:http';
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
import { bodylessMethodMiddleware } from './common/body/unread-body';
import { createServiceServer } from './common/http/protocol-errors';
import { requireHostHeader } from './common/middleware/host-header.middleware';
import { preflightWithoutCorsMiddleware } from './common/middleware/preflight.middleware';
import { AddressListMiddleware } from './auth/address-lists/address-list.middleware';
import { AppConfig } from './config';
import { DOCS_PATH, OPENAPI_JSON_PATH, buildOpenApiDocument, liveExamplesEnabled, mountDocs } from './docs/openapi';
import { REDOC_CSP_DIRECTIVES, REDOC_PATH } from './docs/redoc';
import { LifecycleService } from './health/lifecycle.service';
import { HttpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { MetricsService } from './metrics/metrics.service';
import { SecretsService } from './secrets/secrets.service';
import { readCaBundle } from './redis/redis-tls';
import { checkSecretsAtStartup } from './startup-checks';
import { StreamingContext } from './streaming/streaming-context.service';
import { StreamingWsAdapter } from './streaming/streaming-ws.adapter';
import { UpgradeGate } from './streaming/upgrade-gate.service';
import { isStreamUpgrade } from './streaming/upgrade-routing';

export interface CreateAppOptions {
  /** Where log lines go (tests capture them); stdout by default. */
  logDestination?: DestinationStream;
}

export interface ServiceApp {
  app: NestExpressApplication;
  /**
   * The HTTP server that serves `app` (createServiceServer): listen and close through `listen`
   * and `close` below, not through `app.listen`, whose server Nest creates without these options.
   */
  server: Server;
  logger: Logger;
  flushLogs(): void;
  listen(port: number, host: string): Promise<void>;
  /** Closes every stream connection (1001) and refuses new upgrades: first step of a shutdown. */
  closeStreams(): void;
  /** Stops listening (when listening), then closes the app. */
  close(): Promise<void>;
}

/**
 * Builds and initialises the service for a given configuration, without listening. Before any
 * module initialises, the secrets are loaded and every start-up requirement on them is checked at
 * once (src/startup-checks.ts), so a refused start names all its problems. The HTTP
 * pipeline order is: request id → access log → HTTP metrics → shutdown gate → security headers →
 * address lists → Host check → body discard for bodyless methods → CORS (or the preflight answer
 * without CORS) → [Nest guards] brute-force lock → rate limit → authentication →
 * roles → access audit → body (in the next turn of the event loop, next-turn.ts; read,
 * inflated and parsed only now: 415/411/413/400/503) → input
 * scan → validation → handler → error filter. Everything before the body guard is decided from
 * the request line and headers alone. Requests Node's parser refuses never reach it; they are
 * answered in the envelope by the server's protocol error handlers (createServiceServer).
 */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<ServiceApp> {
  // The Redis CA bundle is configuration, not a secret: read it before the modules are built,
  // since the job queue's connection is made while they are (a failure there would reach the
  // console as a framework error with its stack instead of one line).
  if (config.redis.tlsCaFile) readCaBundle(config.redis.tlsCaFile);
  const root: RootLogger = createRootLogger(config, options.logDestination);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, root), {
    bodyParser: false,
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(PinoNestLogger));
  try {
    await checkSecretsAtStartup(config, app.get(SecretsService));
  } catch (err) {
    await app.close().catch(() => undefined);
    throw err;
  }

  const express = app.getHttpAdapter().getInstance();
  express.disable('x-powered-by');
  express.set('etag', false);
  express.set('trust proxy', config.http.trustProxyHeaders ? config.http.trustedProxies : false);

  const routes = app.get(RouteTable);
  const verboseErrors = config.env === 'dev' && config.logging.level === 'debug';
  const front: RequestHandler[] = [
    requestIdMiddleware,
    accessLogMiddleware(root.logger, routes),
    app.get(HttpMetricsMiddleware).middleware,
    app.get(LifecycleService).middleware,
    securityHeadersMiddleware({ docsEnabled: config.docsEnabled, docsPages: { [REDOC_PATH]: REDOC_CSP_DIRECTIVES } }),
    app.get(AddressListMiddleware).middleware,
    requireHostHeader,
    bodylessMethodMiddleware,
  ];
  // Each its own Express middleware: Express runs them in order and hands whatever one throws or
  // rejects to the error handler below.
  for (const middleware of front) app.use(middleware);
  if (config.cors.origins === '*' || config.cors.origins.length > 0) {
    app.enableCors({
      origin: config.cors.origins === '*' ? '*' : config.cors.origins,
      credentials: config.cors.credentials,
      methods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
      exposedHeaders: ['X-Request-ID', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'Retry-After'],
      maxAge: 600,
      optionsSuccessStatus: 204,
    });
  } else {
    app.use(preflightWithoutCorsMiddleware);
  }
  app.use(expressErrorHandler(root.logger, verboseErrors));

  const document = buildOpenApiDocument(app, config);
  routes.addDocument(document);
  if (config.docsEnabled) {
    mountDocs(app, document, { log: root.logger, liveExamples: liveExamplesEnabled(config) });
    routes.addPrefix(DOCS_PATH);
    routes.addPrefix(OPENAPI_JSON_PATH);
    routes.addPrefix(REDOC_PATH);
  }

  // A worker serves no streams (StreamingModule is not part of its composition, app.module.ts).
  const streams = config.jobs.role !== 'worker';
  const server = createServiceServer(express, {
    logger: root.logger,
    metrics: config.metrics.enabled ? app.get(MetricsService) : undefined,
    shouldUpgrade: streams ? isStreamUpgrade : undefined,
  });
  // The stream gateways attach to the server that listens (before init, when gateways bind).
  if (streams) app.useWebSocketAdapter(new StreamingWsAdapter(server, app.get(UpgradeGate), config.ws.maxMessageBytes));
  const closeStreams = () => {
    if (streams) app.get(StreamingContext).closeAll();
  };
  try {
    await app.init();
  } catch (err) {
    // A start-up check failed: release what already started (e.g. the Redis connection) before reporting.
    await app.close().catch(() => undefined);
    throw err;
  }
  return {
    app,
    server,
    logger: root.logger,
    flushLogs: root.flush,
    listen: async (port, host) => {
      await listen(server, port, host);
      // What app.listen does once listening: print the start-up lines Nest buffered (bufferLogs).
      app.flushLogs();
    },
    closeStreams,
    close: async () => {
      // Upgraded sockets would keep server.close waiting.
      closeStreams();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
