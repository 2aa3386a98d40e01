import { All, Controller, HttpStatus, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { AppException, ErrorCode } from '../errors';
import { FALLBACK_ROUTE_TEMPLATE, RouteTable } from './route-table';

/**
 * The last route: everything no controller claimed. Because it is a real route, the global
 * guards (rate limit, API key) run for unknown paths too — no route enumeration without a key.
 * A known path with the wrong method answers 405 with Allow.
 */
@ApiExcludeController()
@Controller()
export class FallbackController {
  constructor(private readonly routes: RouteTable) {}

  @All(FALLBACK_ROUTE_TEMPLATE)
  unmatched(@Req() req: Request): never {
    const hit = this.routes.match(req.path);
    if (hit) {
      throw new AppException(
        ErrorCode.METHOD_NOT_ALLOWED,
        `Method ${req.method} is not allowed on ${hit.template}`,
        HttpStatus.METHOD_NOT_ALLOWED,
        { headers: { Allow: hit.methods.join(', ') } },
      );
    }
    throw AppException.notFound('Resource not found');
  }
}
