import { WsAdapter } from '@nestjs/platform-ws';
import type { Server } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { VerifyCallback } from './upgrade-gate.service';

interface UpgradeDecider {
  verify(req: IncomingMessage, callback: VerifyCallback): void;
}

/**
 * The ws adapter of the stream gateways, bound to the service's own HTTP server (the one that
 * listens, see app.factory.ts). Every ws server it creates decides upgrades with the gate
 * (`verifyClient`: the refusal is the HTTP answer to the upgrade, no socket is accepted first)
 * and refuses frames over MFN_WS_MAX_MESSAGE_BYTES (`maxPayload`: close 1009). Nest's own message
 * dispatch is not used (the parser drops everything): each connection reads its frames itself.
 */
export class StreamingWsAdapter extends WsAdapter {
  constructor(
    server: Server,
    private readonly gate: UpgradeDecider,
    private readonly maxPayload: number,
  ) {
    super(server, { messageParser: () => undefined });
  }

  /**
   * Client socket errors (a frame over maxPayload, a protocol violation) are the connection's
   * to report (StreamConnection: metrics and audit, no stack trace); only server errors are logged.
   */
  override bindErrorHandler(server: { on(event: string, listener: (arg: unknown) => void): void }): unknown {
    server.on('error', (err: unknown) => this.logger.error(err instanceof Error ? err.message : 'WebSocket server error'));
    // Until the connection's own listener is attached an error must not go unhandled.
    server.on('connection', (socket: unknown) => (socket as { on(event: string, listener: () => void): void }).on('error', () => undefined));
    return server;
  }

  override create(port: number, options: Record<string, unknown> & { namespace?: string; server?: unknown; path?: string } = {}): unknown {
    return super.create(port, {
      ...options,
      maxPayload: this.maxPayload,
      perMessageDeflate: false,
      verifyClient: (info: { req: IncomingMessage }, callback: VerifyCallback) => this.gate.verify(info.req, callback),
    });
  }
}
