import { OnGatewayConnection, WebSocketGateway } from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { STREAM_PATHS } from './protocol';
import { StreamingContext } from './streaming-context.service';

/**
 * The two stream endpoints. Both speak the same protocol; the path only names the stream a
 * client means to use (either stream type may be subscribed on either). Messages are handled
 * by the connection (StreamConnection), not by @SubscribeMessage handlers: every frame first
 * passes the connection's gate (rate, shape, authentication state).
 */
@WebSocketGateway({ path: STREAM_PATHS.features })
export class FeatureStreamGateway implements OnGatewayConnection {
  constructor(private readonly streams: StreamingContext) {}

  handleConnection(socket: WebSocket, req: IncomingMessage): void {
    this.streams.accept(socket, req);
  }
}

@WebSocketGateway({ path: STREAM_PATHS.simulation })
export class SimulationStreamGateway implements OnGatewayConnection {
  constructor(private readonly streams: StreamingContext) {}

  handleConnection(socket: WebSocket, req: IncomingMessage): void {
    this.streams.accept(socket, req);
  }
}
