"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.REQUEST_ID_HEADER = void 0;
exports.requestIdMiddleware = requestIdMiddleware;
exports.isValidRequestId = isValidRequestId;
const node_crypto_1 = require("node:crypto");
const request_context_1 = require("../http/request-context");
exports.REQUEST_ID_HEADER = 'X-Request-ID';
const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** Keeps a well-formed client X-Request-ID, else mints a UUID v4; echoes it on every response. */
function requestIdMiddleware(req, res, next) {
    const state = (0, request_context_1.requestState)(req);
    const incoming = req.headers['x-request-id'];
    const candidate = Array.isArray(incoming) ? undefined : incoming;
    const id = candidate !== undefined && VALID_REQUEST_ID.test(candidate) ? candidate : (0, node_crypto_1.randomUUID)();
    state.id = id;
    res.setHeader(exports.REQUEST_ID_HEADER, id);
    next();
}
function isValidRequestId(value) {
    return VALID_REQUEST_ID.test(value);
}
//# sourceMappingURL=request-id.middleware.js.map