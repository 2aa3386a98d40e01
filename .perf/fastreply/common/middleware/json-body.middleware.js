"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.MAX_JSON_DEPTH = void 0;
exports.exceedsJsonDepth = exceedsJsonDepth;
exports.jsonBodyMiddleware = jsonBodyMiddleware;
const common_1 = require("@nestjs/common");
const express_1 = __importDefault(require("express"));
const errors_1 = require("../errors");
const route_table_1 = require("../http/route-table");
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
function isJsonType(contentType) {
    if (!contentType)
        return false;
    const mime = contentType.split(';')[0].trim().toLowerCase();
    return mime === 'application/json' || (mime.startsWith('application/') && mime.endsWith('+json'));
}
function hasBody(req) {
    if (req.headers['transfer-encoding'] !== undefined)
        return true;
    const len = req.headers['content-length'];
    return len !== undefined && len !== '0';
}
/**
 * JSON nested deeper than this is refused. No request of the API nests beyond three levels, and
 * validating deeper input recursively would exhaust the stack (a 500 instead of a 400).
 */
exports.MAX_JSON_DEPTH = 32;
/** True when `value` nests objects/arrays deeper than `limit` (walked without recursion). */
function exceedsJsonDepth(value, limit) {
    if (value === null || typeof value !== 'object')
        return false;
    const pending = [[value, 1]];
    while (pending.length > 0) {
        const [node, depth] = pending.pop();
        if (depth > limit)
            return true;
        const children = Array.isArray(node) ? node : Object.values(node);
        for (const child of children)
            if (child !== null && typeof child === 'object')
                pending.push([child, depth + 1]);
    }
    return false;
}
/**
 * JSON body parsing with the envelope's errors: a body that is not JSON → 415, malformed or
 * nested deeper than MAX_JSON_DEPTH → 400, over the route's limit → 413 (checked against
 * Content-Length before reading when possible).
 */
function jsonBodyMiddleware(limits) {
    const make = (limit) => express_1.default.json({ limit, strict: true, type: () => true });
    const general = make(limits.defaultBytes);
    const special = new Map(Object.entries(limits.perRoute).map(([path, bytes]) => [(0, route_table_1.normalisePath)(path), make(bytes)]));
    return (req, res, next) => {
        if (!BODY_METHODS.has(req.method) || !hasBody(req))
            return next();
        if (!isJsonType(req.headers['content-type'])) {
            return next(new errors_1.AppException(errors_1.ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Unsupported media type: send the body as application/json', common_1.HttpStatus.UNSUPPORTED_MEDIA_TYPE));
        }
        const parser = special.get((0, route_table_1.normalisePath)(req.path)) ?? general;
        parser(req, res, (err) => {
            if (err)
                return next(err);
            if (exceedsJsonDepth(req.body, exports.MAX_JSON_DEPTH)) {
                return next(errors_1.AppException.badRequest(`JSON body nested deeper than ${exports.MAX_JSON_DEPTH} levels`));
            }
            next();
        });
    };
}
//# sourceMappingURL=json-body.middleware.js.map