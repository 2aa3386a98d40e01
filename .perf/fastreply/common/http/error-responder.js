"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.sendErrorResponse = sendErrorResponse;
const errors_1 = require("../errors");
const request_context_1 = require("./request-context");
/**
 * Writes the error envelope for any failure, from Nest's filter or from Express middleware
 * (body parsing runs before Nest). Unexpected failures are logged without leaking them.
 */
function sendErrorResponse(err, req, res, logger, verbose) {
    const resolved = (0, errors_1.resolveError)(err);
    if (resolved.unexpected) {
        const log = logger.child({ request_id: (0, request_context_1.requestIdOf)(req), logger: 'mfn.errors' });
        const error = (0, errors_1.describeError)(err);
        if (verbose && err instanceof Error)
            log.debug({ error, stack: err.stack }, 'unhandled error (stack)');
        log.error({ error }, 'unhandled error');
    }
    // Nobody is left to read an answer (the connection is gone, or the body upload was cut off):
    // closing the response makes the access log and the metrics record the 499 it is, not a
    // delivered error.
    if (res.headersSent || req.socket?.destroyed || isAbortedUpload(err)) {
        res.destroy();
        return;
    }
    for (const [name, value] of Object.entries(resolved.headers))
        res.setHeader(name, value);
    res.status(resolved.status).json((0, errors_1.buildEnvelope)(resolved, (0, request_context_1.requestIdOf)(req)));
}
/** body-parser's error for a request whose connection closed before its body was complete. */
function isAbortedUpload(err) {
    return typeof err === 'object' && err !== null && err.type === 'request.aborted';
}
//# sourceMappingURL=error-responder.js.map