import { Inject, Injectable } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { AppConfig } from '../config';
import { AppException, ROOT_LOGGER, normalisePath, sendErrorResponse, whenResponseDone } from '../common';

const PROBE_PATHS = new Set(['/health', '/health/ready']);

/**
 * Graceful shutdown. On SIGTERM: readiness turns 503 at once; after MFN_SHUTDOWN_DELAY_MS the
 * service drains — requests already accepted run to completion, new work gets 503 with
 * `Connection: close` (probes still answer) — then the listener closes and the app exits. The
 * drain is bounded by MFN_SHUTDOWN_TIMEOUT_MS.
 */
@Injectable()
export class LifecycleService {
  private state: 'running' | 'stopping' | 'draining' = 'running';
  private inFlight = 0;
  private drained?: () => void;
  private shutdownPromise?: Promise<void>;
  private readonly log: Logger;

  constructor(
    private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ logger: 'mfn.lifecycle' });
  }

  get shuttingDown(): boolean {
    return this.state !== 'running';
  }

  get inFlightRequests(): number {
    return this.inFlight;
  }

  /** Counts accepted requests; refuses new work while draining. */
  readonly middleware: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    if (this.state === 'draining') {
      res.setHeader('Connection', 'close');
      if (PROBE_PATHS.has(normalisePath(req.path))) return next();
      return sendErrorResponse(AppException.unavailable('Service is shutting down', 1), req, res, this.log, false);
    }
    this.inFlight++;
    whenResponseDone(req, res, () => {
      this.inFlight--;
      if (this.inFlight === 0 && this.drained) this.drained();
    });
    next();
  };

  /** Runs the shutdown sequence once; later calls return the same promise. */
  shutdown(server: Server, closeApp: () => Promise<void>): Promise<void> {
    this.shutdownPromise ??= this.runShutdown(server, closeApp);
    return this.shutdownPromise;
  }

  private async runShutdown(server: Server, closeApp: () => Promise<void>): Promise<void> {
    const { shutdownDelayMs, shutdownTimeoutMs } = this.config.http;
    this.state = 'stopping';
    this.log.info({ in_flight: this.inFlight, delay_ms: shutdownDelayMs }, 'shutdown requested: readiness now 503');
    if (shutdownDelayMs > 0) await sleep(shutdownDelayMs);

    this.state = 'draining';
    const completed = await this.waitForInFlight(shutdownTimeoutMs);
    if (!completed) {
      this.log.warn({ in_flight: this.inFlight }, 'shutdown timeout reached with requests still running');
    }
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await closeApp();
    this.log.info('shutdown complete');
  }

  private waitForInFlight(timeoutMs: number): Promise<boolean> {
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
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
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
