import { HttpStatus } from '@nestjs/common';
import { AppException, ErrorCode } from '../common';

/**
 * The compute routes' own failures, raised by the worker pool and the simulation service and
 * shown as the routes' error examples in the API documentation.
 */
export const ComputeErrors = {
  queueFull: (retryAfter: number) => AppException.unavailable('The compute queue is full; retry later', retryAfter),

  shuttingDown: (retryAfter: number) => AppException.unavailable('The compute service is shutting down', retryAfter),

  deadline: (timeoutMs: number) =>
    new AppException(
      ErrorCode.GATEWAY_TIMEOUT,
      `The computation did not finish within ${timeoutMs} ms and was cancelled`,
      HttpStatus.GATEWAY_TIMEOUT,
    ),

  failed: () => new AppException(ErrorCode.COMPUTATION_FAILED, 'The computation failed', HttpStatus.INTERNAL_SERVER_ERROR),

  nonFinite: (message = 'The computation produced a non-finite result') =>
    new AppException(ErrorCode.NUMERICAL_INSTABILITY, message, HttpStatus.INTERNAL_SERVER_ERROR),

  nonFinitePotential: () => ComputeErrors.nonFinite('The potential is not a finite number for these inputs'),
};
