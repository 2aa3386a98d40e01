"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.expressErrorHandler = expressErrorHandler;
const error_responder_1 = require("../http/error-responder");
/** Express-level error handler for failures before Nest routing (body parsing, CORS). */
function expressErrorHandler(logger, verbose) {
    return (err, req, res, _next) => {
        (0, error_responder_1.sendErrorResponse)(err, req, res, logger, verbose);
    };
}
//# sourceMappingURL=error-handler.middleware.js.map