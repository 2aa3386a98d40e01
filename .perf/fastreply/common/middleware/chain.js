"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.chainMiddleware = chainMiddleware;
/**
 * Runs several Express middlewares as one: the same order and `next(err)` semantics, without a
 * router dispatch (path match, layer bookkeeping) per middleware on every request.
 */
function chainMiddleware(handlers) {
    return (req, res, done) => {
        let index = 0;
        const next = (err) => {
            if (err !== undefined && err !== null)
                return done(err);
            const handler = handlers[index++];
            if (handler === undefined)
                return done();
            try {
                void handler(req, res, next);
            }
            catch (thrown) {
                done(thrown);
            }
        };
        next();
    };
}
//# sourceMappingURL=chain.js.map