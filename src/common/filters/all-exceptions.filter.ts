import { ArgumentsHost, Catch, ExceptionFilter, Inject } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { AppConfig } from '../../config';
import { sendErrorResponse } from '../http/error-responder';
import { ROOT_LOGGER } from '../logging/logging.constants';

/** The one exception filter: every error leaves in the error envelope (common/errors/error-envelope.ts) with the request id. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly config: AppConfig,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    sendErrorResponse(exception, req, res, this.logger, this.config.env === 'dev' && this.config.logging.level === 'debug');
  }
}
