import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import express, { type Request, type RequestHandler, type Response } from 'express';
import { AppConfig } from '../../config';
import { AppException, ErrorCode, StandardErrors } from '../errors';
import { FallbackController } from '../http/fallback.controller';
import { stageBoundary } from '../http/next-turn';
import { clientIpOf, whenResponseDone } from '../http/request-context';
import { principalOf } from '../../auth/principal';
import { BodyBudget } from './body-budget';
import { BODY_LIMITS_KEY, DEFAULT_BODY_SHAPE, MAX_JSON_DEPTH, type RouteBodyLimits } from './body-limits.decorator';
import { BODY_METHODS, bodyCoding, declaredLength, hasBody, isJsonType, isUtf8 } from './content-headers';
import { checkJsonShape, type JsonShapeLimits, type JsonShapeProblem } from './json-structure';

/** HTTP 411; the envelope code stays INVALID_REQUEST. */
const LENGTH_REQUIRED = 411;

interface RouteBody {
  bytes: number;
  shape: JsonShapeLimits;
  /** body-parser for uncompressed bodies (compressed ones get a parser sized per request). */
  parser: RequestHandler;
}

function shapeError(problem: JsonShapeProblem): AppException {
  switch (problem.kind) {
    case 'depth':
      return AppException.badRequest(`JSON body nested deeper than ${problem.limit} levels`);
    case 'unterminated':
      return StandardErrors.malformedJson();
    case 'values':
      return tooLarge(`Request body holds more than ${problem.limit} JSON values`);
    case 'containers':
      return tooLarge(`Request body holds more than ${problem.limit} JSON objects and arrays`);
    case 'string':
      return tooLarge(`Request body holds a string longer than ${problem.limit} bytes`);
  }
}

/** Whose reservation a body is: the authenticated key's id, else the client address. */
function callerOf(req: Request): string {
  const principal = principalOf(req);
  return principal?.authenticated ? `key:${principal.id}` : `ip:${clientIpOf(req)}`;
}

function tooLarge(message: string): AppException {
  return StandardErrors.payloadTooLarge(message);
}

/**
 * The last step of the guard chain, and the first to touch the body: by the time it runs the
 * request line and headers alone have decided address lists, rate limits, the API key and roles,
 * so no body is read, buffered or inflated for a caller the service refuses (its body is
 * discarded unparsed, and the connection closed if the client keeps sending: unread-body.ts).
 *
 * For an allowed request it checks the media type (415) and content coding (gzip and deflate are
 * inflated, anything else is 415; a compressed body must announce its length, 411), refuses an
 * announced length over the route's limit before reading (413), reserves the body's bytes in the
 * BodyBudget (503 when concurrent uploads hold it, 429 past the caller's share), sends `100
 * Continue` when the client waits for it, then reads with body-parser within MFN_BODY_TIMEOUT_MS
 * (408): the byte limit applies to the inflated size, which may be
 * at most MFN_MAX_INFLATE_RATIO times the compressed one, and the raw bytes pass the route's
 * shape limits (values, objects and arrays, string length, depth) before JSON.parse builds
 * anything. Routes without a body (GET routes, unknown paths) never read one (unread-body.ts).
 */
@Injectable()
export class JsonBodyGuard implements CanActivate {
  private readonly routes = new WeakMap<object, RouteBody>();

  constructor(
    private readonly config: AppConfig,
    private readonly reflector: Reflector,
    private readonly budget: BodyBudget,
  ) {}

  /** The pipeline's stage boundary first (stageBoundary: the next turn of the event loop, unless the request waited already), then the body. */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const boundary = stageBoundary(context.switchToHttp().getRequest<Request>());
    return boundary === undefined ? this.admitBody(context) : boundary.then(() => this.admitBody(context));
  }

  private admitBody(context: ExecutionContext): boolean | Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    if (!hasBody(req)) return true;
    // Unknown paths answer 404 or 405 without their body; methods without a body are handled
    // in front of the guards (bodylessMethodMiddleware).
    if (!BODY_METHODS.has(req.method) || context.getClass() === FallbackController) return true;
    if (!isJsonType(req.headers['content-type'])) {
      throw StandardErrors.unsupportedMediaType();
    }
    if (!isUtf8(req.headers['content-type'])) {
      throw StandardErrors.unsupportedMediaType('Unsupported charset: send UTF-8 JSON');
    }
    const coding = bodyCoding(req);
    if (coding === undefined) {
      throw StandardErrors.unsupportedMediaType('Unsupported content encoding: send identity, gzip or deflate');
    }
    const route = this.routeBody(context);
    const length = declaredLength(req);
    if (length !== undefined && length > route.bytes) throw StandardErrors.bodyOverLimit(route.bytes);

    let limit = route.bytes;
    let parser = route.parser;
    if (coding !== 'identity') {
      if (length === undefined) {
        throw new AppException(ErrorCode.INVALID_REQUEST, 'A compressed request body must carry Content-Length', LENGTH_REQUIRED);
      }
      limit = Math.min(route.bytes, length * this.config.http.maxInflateRatio);
      parser = this.parserFor(limit, route.shape);
    }
    const reserved = coding === 'identity' && length !== undefined ? length : limit;
    const caller = callerOf(req);
    const reservation = this.budget.tryReserve(caller, reserved);
    if (reservation === 'over_share') {
      throw new AppException(ErrorCode.RATE_LIMIT_EXCEEDED, 'Too many of your request bodies are in flight; retry shortly', HttpStatus.TOO_MANY_REQUESTS, {
        retryAfter: 1,
      });
    }
    if (reservation === 'full') throw AppException.unavailable('Too many large request bodies in flight; retry shortly', 1);
    whenResponseDone(req, res, () => this.budget.release(caller, reserved));
    if (/^100-continue$/i.test(req.headers.expect ?? '')) res.writeContinue();

    return new Promise<boolean>((resolve, reject) => {
      // A body that trickles in holds its reservation: it gets a deadline of its own.
      const timer = setTimeout(
        () => reject(new AppException(ErrorCode.INVALID_REQUEST, 'The request body did not arrive in time', HttpStatus.REQUEST_TIMEOUT)),
        this.config.http.bodyTimeoutMs,
      );
      parser(req, res, (err?: unknown) => {
        clearTimeout(timer);
        if (err === undefined || err === null) return resolve(true);
        if (coding !== 'identity' && limit < route.bytes && (err as { type?: unknown }).type === 'entity.too.large') {
          return reject(tooLarge(`Request body inflates to more than ${this.config.http.maxInflateRatio} times its compressed size`));
        }
        reject(err);
      });
    });
  }

  private routeBody(context: ExecutionContext): RouteBody {
    const handler = context.getHandler();
    let route = this.routes.get(handler);
    if (route === undefined) {
      const declared = this.reflector.getAllAndOverride<RouteBodyLimits | undefined>(BODY_LIMITS_KEY, [handler, context.getClass()]) ?? {};
      const bytes = declared.bytes === 'aggregate' ? this.config.http.aggregateMaxBytes : this.config.http.maxBodyBytes;
      const shape: JsonShapeLimits = {
        maxValues: declared.maxValues ?? DEFAULT_BODY_SHAPE.maxValues,
        maxContainers: declared.maxContainers ?? DEFAULT_BODY_SHAPE.maxContainers,
        maxStringBytes: declared.maxStringBytes ?? bytes,
        maxDepth: MAX_JSON_DEPTH,
      };
      route = { bytes, shape, parser: this.parserFor(bytes, shape) };
      this.routes.set(handler, route);
    }
    return route;
  }

  /**
   * body-parser's JSON reader; its `verify` hook sees the (inflated) bytes before they are
   * parsed, and an error thrown there aborts parsing and reaches the callback as is.
   */
  private parserFor(limit: number, shape: JsonShapeLimits): RequestHandler {
    return express.json({
      limit,
      strict: true,
      inflate: true,
      type: () => true,
      verify: (_req, _res, buf) => {
        const problem = checkJsonShape(buf, shape);
        if (problem !== undefined) throw shapeError(problem);
      },
    });
  }
}
