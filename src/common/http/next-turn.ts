import { HttpStatus } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { AppException, ErrorCode } from '../errors';
import { currentTurn } from './event-loop-turn';
import { requestState } from './request-context';

/**
 * The stage boundary of the request pipeline (docs/performance.md, "One stage boundary"): a
 * request continues in the check phase of the event loop (setImmediate), after every connection
 * that was readable in the same poll phase has had its request line and headers parsed and
 * checked. The header stages of a burst of requests run back to back, then their body stages,
 * each stage's code and data still warm; a request that ran from its first byte to its reply in
 * one go pushed the others' out of the CPU caches (measured: about a third less CPU per guarded
 * request under load). A microtask (process.nextTick, a resolved promise) would not do: it runs
 * before the next connection is read.
 *
 * A request whose header stage already waited for I/O (a rate-limit or lock-out check in Redis)
 * has left the turn it arrived in, its continuation batched with the others by the replies:
 * it goes on at once (undefined), as an extra turn measured slower there.
 *
 * Rejects when the connection closed meanwhile: nothing is read or computed for a client that
 * has gone (the error responder closes the response, the access log records 499).
 */
export function stageBoundary(req: IncomingMessage): Promise<void> | undefined {
  if (requestState(req).arrivalTurn !== currentTurn()) return undefined;
  return nextTurn(req);
}

/** Resolves in the next check phase of the event loop; rejects if the connection closed meanwhile. */
export function nextTurn(req: IncomingMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    setImmediate(() => {
      if (req.socket?.destroyed) reject(new AppException(ErrorCode.INVALID_REQUEST, 'The client closed the connection', HttpStatus.BAD_REQUEST));
      else resolve();
    });
  });
}
