import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { RouteTable, requestState, routeLabel, whenResponseDone } from '../common';
import { AppConfig } from '../config';
import { MetricsService } from './metrics.service';

/**
 * Records every HTTP request (count by status, duration, in progress) under its route template.
 * Registered right after the access log, before the shutdown gate, CORS and the guards (body
 * parsing included), so 401/404/405/413/415/429 and drain-time 503 responses are counted alike.
 * With MFN_METRICS_ENABLED=false nothing is recorded (the scrape route still answers).
 */
@Injectable()
export class HttpMetricsMiddleware {
  constructor(
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    private readonly routes: RouteTable,
  ) {}

  readonly middleware: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    if (!this.config.metrics.enabled) return next();
    const startedAt = requestState(req).startedAt;
    const done = this.metrics.httpRequestStarted(req.method, routeLabel(req, this.routes));
    whenResponseDone(req, res, (aborted) => {
      // Same convention as the access log: a client that left before any response is a 499.
      const status = aborted && !res.headersSent ? 499 : res.statusCode;
      done(status, (performance.now() - startedAt) / 1e3);
    });
    next();
  };
}
