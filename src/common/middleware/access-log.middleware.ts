import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { cutText } from '../errors';
import { redactedClientIpOf, requestIdOf, requestState, whenResponseDone } from '../http/request-context';
import { RouteTable } from '../http/route-table';
import { auditLevelOf } from '../logging/logging.constants';
import { MAX_RESOURCE_LENGTH } from '../logging/redact';

/** Route template of a request (bounded label set: known templates, registered prefixes, `unmatched`). */
export function routeLabel(req: Request, routes: RouteTable): string {
  const state = requestState(req);
  if (state.route === undefined) {
    const url = req.originalUrl ?? req.url ?? '/';
    const q = url.indexOf('?');
    state.route = routes.labelFor(q === -1 ? url : url.slice(0, q));
  }
  return state.route;
}

/**
 * One access record per request (`action: "api_request"`), written when the response is done
 * or the client went away. INFO, ERROR for 5xx. Bodies and headers are never logged.
 *
 * When the audit service folded a granted request's events into it (MFN_AUDIT_GRANTED_EVENTS=
 * folded), the record is also an audit record: `audit_event: true`, `audit_actions` (the folded
 * actions), `user_id` and `resource`, and like every audit line it is written at INFO even when
 * MFN_LOG_LEVEL is higher.
 */
export function accessLogMiddleware(logger: Logger, routes: RouteTable): RequestHandler {
  // The record below has fixed fields (client_ip already redacted): the root logger's path
  // redaction would only add cost to the one line every request writes.
  const log = logger.child({ logger: 'mfn.access' }, { redact: [] });
  const auditLog = logger.child({ logger: 'mfn.access', audit_event: true }, { redact: [], level: auditLevelOf(logger) });
  return (req: Request, res: Response, next: NextFunction) => {
    const state = requestState(req);
    whenResponseDone(req, res, (aborted) => {
      const durationMs = performance.now() - state.startedAt;
      const status = aborted && !res.headersSent ? 499 : res.statusCode;
      const record = {
        action: 'api_request',
        request_id: requestIdOf(req),
        method: req.method,
        endpoint: routeLabel(req, routes),
        status,
        duration_ms: Math.round(durationMs * 100) / 100,
        client_ip: redactedClientIpOf(req),
      };
      const message = aborted ? 'request aborted by client' : 'request completed';
      const folded = state.foldedAudit;
      if (folded !== undefined) {
        const audited = { ...record, audit_actions: folded.actions, user_id: folded.userId, resource: cutText(req.path, MAX_RESOURCE_LENGTH) };
        if (status >= 500) auditLog.error(audited, message);
        else auditLog.info(audited, message);
      } else if (status >= 500) log.error(record, message);
      else log.info(record, message);
    });
    next();
  };
}
