import WebSocket from 'ws';
import { until } from './until';

export interface Frame {
  type: string;
  payload: Record<string, unknown>;
  timestamp: number;
}

/** A real `ws` client that records every frame the server sends. */
export class StreamClient {
  readonly frames: Frame[] = [];
  closeCode?: number;
  closeReason?: string;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => this.frames.push(JSON.parse(String(data)) as Frame));
    socket.on('close', (code, reason) => {
      this.closeCode = code;
      this.closeReason = String(reason);
    });
    socket.on('error', () => undefined);
  }

  /** Opens a connection; resolves once open, rejects with the refusal's status and body. */
  static open(url: string, headers: Record<string, string> = {}): Promise<StreamClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers });
      socket.once('open', () => resolve(new StreamClient(socket)));
      socket.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += String(chunk)));
        res.on('end', () => reject(Object.assign(new Error(`refused ${res.statusCode}`), { status: res.statusCode, body, headers: res.headers })));
      });
      socket.once('error', (err) => reject(err));
    });
  }

  send(type: string, payload: Record<string, unknown> = {}): void {
    this.socket.send(JSON.stringify({ type, payload }));
  }

  of(type: string, streamId?: string): Frame[] {
    return this.frames.filter((f) => f.type === type && (streamId === undefined || f.payload.stream_id === streamId));
  }

  async next(type: string, streamId?: string, after = 0, timeoutMs = 30_000): Promise<Frame> {
    await until(`a ${type} frame`, () => this.of(type, streamId).length > after, timeoutMs);
    return this.of(type, streamId).at(after)!;
  }

  async closed(timeoutMs = 30_000): Promise<number> {
    await until('the connection to close', () => this.closeCode !== undefined, timeoutMs);
    return this.closeCode!;
  }

  close(): void {
    this.socket.terminate();
  }
}
