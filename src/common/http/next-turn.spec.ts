import type { IncomingMessage } from 'node:http';
import { AppException } from '../errors';
import { nextTurn, stageBoundary } from './next-turn';
import { requestState } from './request-context';

const request = (destroyed: boolean) => ({ socket: { destroyed } }) as unknown as IncomingMessage;

describe('nextTurn and the stage boundary', () => {
  it('continues after the work already queued for this turn: microtasks and earlier immediates first', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('earlier immediate'));
    const boundary = nextTurn(request(false)).then(() => order.push('boundary'));
    process.nextTick(() => order.push('tick'));
    void Promise.resolve().then(() => order.push('microtask'));
    await boundary;
    expect(order.slice(0, 2).sort()).toEqual(['microtask', 'tick']);
    expect(order.slice(2)).toEqual(['earlier immediate', 'boundary']);
  });

  it('refuses to continue once the connection has closed', async () => {
    await expect(nextTurn(request(true))).rejects.toBeInstanceOf(AppException);
  });

  it('checks the connection when the turn comes, not when it is asked for', async () => {
    const req = { socket: { destroyed: false } };
    const boundary = nextTurn(req as unknown as IncomingMessage);
    req.socket.destroyed = true;
    await expect(boundary).rejects.toThrow(/closed the connection/);
  });

  it('waits for the next turn only in the turn the request arrived in', async () => {
    const req = request(false);
    requestState(req);
    await Promise.resolve();
    const boundary = stageBoundary(req);
    expect(boundary).toBeInstanceOf(Promise);
    await boundary;
    // Now in a later turn (as after a Redis round trip): no further wait.
    expect(stageBoundary(req)).toBeUndefined();
    const other = request(false);
    requestState(other);
    expect(stageBoundary(other)).toBeInstanceOf(Promise);
  });
});
