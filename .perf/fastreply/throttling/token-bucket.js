"use strict";
/**
 * Token-bucket arithmetic shared by the in-memory and Redis stores (SERVICE.md §4): capacity =
 * the route's limit, continuous refill of capacity per window, a new bucket starts full, each
 * request costs one token.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.outcomeOf = outcomeOf;
function outcomeOf(allowed, tokens, capacity, windowMs) {
    const perMs = capacity / windowMs;
    return {
        allowed,
        remaining: Math.max(0, Math.floor(tokens)),
        retryAfterSeconds: allowed ? 0 : Math.floor((1 - tokens) / perMs / 1000) + 1,
        resetSeconds: Math.ceil((capacity - tokens) / perMs / 1000),
    };
}
//# sourceMappingURL=token-bucket.js.map