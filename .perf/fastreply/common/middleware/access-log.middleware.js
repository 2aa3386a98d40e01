"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.routeLabel = routeLabel;
exports.accessLogMiddleware = accessLogMiddleware;
const request_context_1 = require("../http/request-context");
/** Route template of a request (bounded label set: known templates, registered prefixes, `unmatched`). */
function routeLabel(req, routes) {
    const state = (0, request_context_1.requestState)(req);
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
 */
function accessLogMiddleware(logger, routes) {
    // The record below has fixed fields (client_ip already redacted): the root logger's path
    // redaction would only add cost to the one line every request writes.
    const log = logger.child({ logger: 'mfn.access' }, { redact: [] });
    return (req, res, next) => {
        const state = (0, request_context_1.requestState)(req);
        (0, request_context_1.whenResponseDone)(req, res, (aborted) => {
            const durationMs = Number(process.hrtime.bigint() - state.startedAt) / 1e6;
            const status = aborted && !res.headersSent ? 499 : res.statusCode;
            const record = {
                action: 'api_request',
                request_id: (0, request_context_1.requestIdOf)(req),
                method: req.method,
                endpoint: routeLabel(req, routes),
                status,
                duration_ms: Math.round(durationMs * 100) / 100,
                client_ip: (0, request_context_1.redactedClientIpOf)(req),
            };
            const message = aborted ? 'request aborted by client' : 'request completed';
            if (status >= 500)
                log.error(record, message);
            else
                log.info(record, message);
        });
        next();
    };
}
//# sourceMappingURL=access-log.middleware.js.map