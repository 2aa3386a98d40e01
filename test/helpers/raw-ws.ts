import { randomBytes } from 'node:crypto';
import { Socket, connect } from 'node:net';

/**
 * A WebSocket client written by hand on a TCP socket, for what a well-behaved client never
 * does: frames with reserved bits set, never answering the server's close frame.
 */
export class RawWsClient {
  private received: Buffer = Buffer.alloc(0);
  private ended = false;

  private constructor(
    readonly socket: Socket,
    /** The bytes after the handshake's answer (frames the server sent). */
    rest: Buffer,
  ) {
    this.received = rest;
    socket.on('data', (chunk: Buffer) => (this.received = Buffer.concat([this.received, chunk])));
    socket.on('close', () => (this.ended = true));
    socket.on('error', () => undefined);
  }

  /** Completes an upgrade to `path` (101) or rejects with the status line. */
  static open(port: number, path: string, headers: Record<string, string> = {}): Promise<RawWsClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let head = Buffer.alloc(0);
      const onData = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        socket.off('data', onData);
        const status = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
        if (!status.includes(' 101 ')) {
          socket.destroy();
          return reject(new Error(status));
        }
        resolve(new RawWsClient(socket, head.subarray(end + 4)));
      };
      socket.on('data', onData);
      socket.once('error', reject);
      const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n${extra}\r\n`,
      );
    });
  }

  /** Sends one masked text frame; `rsv1` sets the bit permessage-deflate would use. */
  sendText(text: string, rsv1 = false): void {
    const payload = Buffer.from(text);
    if (payload.length > 125) throw new Error('short frames only');
    const mask = randomBytes(4);
    const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
    this.socket.write(Buffer.concat([Buffer.from([0x81 | (rsv1 ? 0x40 : 0), 0x80 | payload.length]), mask, masked]));
  }

  /** The code of the close frame the server sent, if it sent one (server frames are unmasked, under 64 KiB here). */
  get closeCode(): number | undefined {
    const r = this.received;
    let at = 0;
    while (at + 2 <= r.length) {
      const opcode = r.readUInt8(at) & 0x0f;
      let length = r.readUInt8(at + 1) & 0x7f;
      let header = 2;
      if (length === 126) {
        if (at + 4 > r.length) return undefined;
        length = r.readUInt16BE(at + 2);
        header = 4;
      } else if (length === 127) return undefined;
      if (opcode === 0x8) return length >= 2 && at + header + 2 <= r.length ? r.readUInt16BE(at + header) : undefined;
      at += header + length;
    }
    return undefined;
  }

  get isClosed(): boolean {
    return this.ended;
  }

  destroy(): void {
    this.socket.destroy();
  }
}
