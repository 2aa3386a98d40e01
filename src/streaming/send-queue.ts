import type { WebSocket } from 'ws';
import { DROPPABLE, ServerType, encodeFrame } from './protocol';
import type { StreamMetrics } from './stream-metrics';

interface Frame {
  type: ServerType;
  data: string;
}

/**
 * A connection's outgoing frames (docs/streaming.md, "Send queue"). A frame goes to the socket
 * while the socket holds less than `maxBuffered` unsent bytes, else waits here; each completed
 * write sends the next. Past `max` waiting frames the oldest update frame (feature_update,
 * simulation_state) is dropped and counted; other frames are never dropped: when the queue is
 * full of them the connection is closed (`onOverflow`). A failed write empties the queue and
 * closes the connection (`onSendError`). So a reader that stops reading costs at most `max`
 * frames here plus `maxBuffered` bytes in the socket.
 */
export class SendQueue {
  private readonly frames: Frame[] = [];
  private closed = false;

  constructor(
    private readonly socket: WebSocket,
    private readonly max: number,
    private readonly maxBuffered: number,
    private readonly metrics: StreamMetrics,
    private readonly onOverflow: () => void,
    private readonly onSendError: () => void,
  ) {}

  get length(): number {
    return this.frames.length;
  }

  send(type: ServerType, payload: Record<string, unknown>): void {
    if (this.closed) return;
    this.frames.push({ type, data: encodeFrame(type, payload) });
    this.metrics.queueChanged(1, this.frames.length);
    if (this.frames.length > this.max && !this.dropOldestUpdate()) {
      this.close();
      this.onOverflow();
      return;
    }
    this.flush();
  }

  /** Stops sending and forgets what waits. */
  close(): void {
    this.closed = true;
    if (this.frames.length > 0) this.metrics.queueChanged(-this.frames.length, 0);
    this.frames.length = 0;
  }

  private dropOldestUpdate(): boolean {
    const index = this.frames.findIndex((f) => DROPPABLE.has(f.type));
    if (index === -1) return false;
    const [dropped] = this.frames.splice(index, 1);
    this.metrics.drop(dropped.type);
    this.metrics.queueChanged(-1, this.frames.length);
    return true;
  }

  private flush(): void {
    while (!this.closed && this.frames.length > 0 && this.socket.readyState === this.socket.OPEN && this.socket.bufferedAmount < this.maxBuffered) {
      const frame = this.frames.shift()!;
      this.metrics.queueChanged(-1, this.frames.length);
      this.metrics.sent(frame.type);
      this.socket.send(frame.data, (err) => {
        if (err) {
          if (!this.closed) {
            this.close();
            this.onSendError();
          }
          return;
        }
        this.flush();
      });
    }
  }
}
