import type { WebSocket } from 'ws';
import { SendQueue } from './send-queue';
import type { StreamMetrics } from './stream-metrics';

/** A socket that holds every write until `complete()` (a reader that stopped reading). */
class StuckSocket {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  readonly written: string[] = [];
  private readonly callbacks: ((err?: Error) => void)[] = [];

  send(data: string, cb: (err?: Error) => void): void {
    this.written.push(data);
    this.bufferedAmount += data.length;
    this.callbacks.push(cb);
  }

  complete(err?: Error): void {
    const cb = this.callbacks.shift();
    this.bufferedAmount = 0;
    cb?.(err);
  }
}

function metrics() {
  const dropped: string[] = [];
  return {
    dropped,
    m: { queueChanged: () => undefined, sent: () => undefined, drop: (t: string) => dropped.push(t) } as unknown as StreamMetrics,
  };
}

const types = (s: StuckSocket) => s.written.map((w) => (JSON.parse(w) as { type: string }).type);

describe('SendQueue', () => {
  it('holds at most `max` frames for a stuck socket, dropping the oldest updates', () => {
    const socket = new StuckSocket();
    const { m, dropped } = metrics();
    const q = new SendQueue(socket as unknown as WebSocket, 4, 1, m, jest.fn(), jest.fn());
    q.send('subscribe_success', { stream_id: 'a' });
    for (let i = 0; i < 100; i++) q.send('simulation_state', { step: i });
    q.send('simulation_complete', { stream_id: 'a' });
    expect(q.length).toBeLessThanOrEqual(4);
    expect(dropped.length).toBeGreaterThan(90);
    for (let i = 0; i < 10; i++) socket.complete();
    expect(types(socket)[0]).toBe('subscribe_success');
    expect(types(socket).at(-1)).toBe('simulation_complete');
    // The newest states survive, the oldest were dropped.
    const steps = socket.written.map((w) => JSON.parse(w) as { payload: { step?: number } }).filter((f) => f.payload.step !== undefined);
    expect(steps.at(-1)!.payload.step).toBe(99);
  });

  it('closes the connection when the queue is full of frames it may not drop', () => {
    const socket = new StuckSocket();
    const overflow = jest.fn();
    const q = new SendQueue(socket as unknown as WebSocket, 4, 1, metrics().m, overflow, jest.fn());
    for (let i = 0; i < 6; i++) q.send('error', { n: i });
    expect(overflow).toHaveBeenCalledTimes(1);
    expect(q.length).toBe(0);
  });

  it('empties itself and reports a failed write', () => {
    const socket = new StuckSocket();
    const failed = jest.fn();
    const q = new SendQueue(socket as unknown as WebSocket, 8, 1, metrics().m, jest.fn(), failed);
    q.send('heartbeat', {});
    q.send('heartbeat', {});
    socket.complete(new Error('EPIPE'));
    expect(failed).toHaveBeenCalledTimes(1);
    expect(q.length).toBe(0);
    q.send('heartbeat', {});
    expect(socket.written).toHaveLength(1);
  });

  it('stamps every frame with a timestamp', () => {
    const socket = new StuckSocket();
    new SendQueue(socket as unknown as WebSocket, 8, 1024, metrics().m, jest.fn(), jest.fn()).send('init', { protocol_version: '1.0' });
    expect(JSON.parse(socket.written[0])).toEqual({ type: 'init', payload: { protocol_version: '1.0' }, timestamp: expect.any(Number) });
  });
});
