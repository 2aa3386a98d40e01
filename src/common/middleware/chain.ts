import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Runs several Express middlewares as one: the same order and `next(err)` semantics, without a
 * router dispatch (path match, layer bookkeeping) per middleware on every request.
 */
export function chainMiddleware(handlers: readonly RequestHandler[]): RequestHandler {
  return (req: Request, res: Response, done: NextFunction) => {
    let index = 0;
    const next: NextFunction = (err?: unknown) => {
      if (err !== undefined && err !== null) return done(err);
      const handler = handlers[index++];
      if (handler === undefined) return done();
      try {
        void handler(req, res, next);
      } catch (thrown) {
        done(thrown);
      }
    };
    next();
  };
}
