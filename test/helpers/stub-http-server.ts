import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type StubHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/**
 * A loopback HTTP server standing in for a remote service (Vault, AWS, a sick health endpoint).
 * `close` cuts open connections, so a stub can go away in the middle of a client's keep-alive
 * session, and `start(port)` can bring it back where its clients expect it.
 */
export class StubHttpServer {
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly handler: StubHandler) {}

  /** Listens on `port` of 127.0.0.1 (0: any free port) and returns the base URL. */
  async start(port = 0): Promise<string> {
    const server = createServer((req, res) => {
      void this.handler(req, res);
    });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.server = server;
    return this.url;
  }

  get port(): number {
    if (!this.server) throw new Error('the stub server is not listening');
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
