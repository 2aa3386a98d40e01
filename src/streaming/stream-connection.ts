import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { Principal } from '../auth/principal';
import { ClientDisconnectedError } from '../simulation/compute-pool.service';
import type { Admission } from './connection-registry';
import { FeatureStreamParamsDto, SimulationLiveParamsDto, validateParams } from './dto/stream-params.dto';
import { BEFORE_AUTH, CloseCode, ClientFrame, PROTOCOL_VERSION, STREAM_TYPES, ServerType, StreamType, WsErrorCode, parseClientFrame } from './protocol';
import { SendQueue } from './send-queue';
import { streamErrorMessage } from './stream-runner';
import type { StreamingContext } from './streaming-context.service';

/** Invalid frames a connection may send before it is closed. */
const MAX_INVALID_FRAMES = 10;
const MAX_STREAM_ID_LENGTH = 128;

/**
 * One client connection: its authentication state, message gate (token bucket, frame shape,
 * what may be sent before `auth`), timers (heartbeat, idle, auth deadline), send queue and
 * streams (one per stream_id, at most MFN_WS_MAX_STREAMS; closing the connection cancels all).
 */
export class StreamConnection {
  private principal?: Principal;
  private readonly queue: SendQueue;
  private readonly streams = new Map<string, AbortController>();
  private tokens: number;
  private refilledAt = Date.now();
  private lastSeen = Date.now();
  private invalidFrames = 0;
  private messagesIn = 0;
  private readonly openedAt = Date.now();
  private reportedFlood = false;
  private reportedInvalid = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private closed = false;
  private closing = false;

  constructor(
    private readonly socket: WebSocket,
    private readonly req: IncomingMessage,
    private readonly admission: Admission,
    private readonly ctx: StreamingContext,
  ) {
    const ws = ctx.config.ws;
    this.principal = admission.principal;
    this.tokens = ws.messagesPerSecond;
    this.queue = new SendQueue(socket, ws.sendQueueMax, ws.maxBufferedBytes, ctx.metrics, () => this.shut(CloseCode.OVERLOADED, 'slow reader', 'queue_overflow'), () => this.shut(CloseCode.GOING_AWAY, 'send failed', 'send_error', true));
    socket.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    socket.on('error', (err: Error & { code?: string }) => this.onSocketError(err));
    // WebSocket ping and pong control frames (libraries' keep-alives) are activity too; ws answers pings itself.
    socket.on('ping', () => (this.lastSeen = Date.now()));
    socket.on('pong', () => (this.lastSeen = Date.now()));
    socket.once('close', (code: number) => this.onClose(code));
    this.timers.push(setInterval(() => this.tick(), ws.heartbeatMs));
    this.timers.push(setInterval(() => this.checkIdle(), Math.max(50, Math.min(ws.idleTimeoutMs / 4, 1000))));
    if (this.principal === undefined) this.timers.push(setTimeout(() => this.principal === undefined && this.shut(CloseCode.POLICY, 'authentication timeout', 'auth_timeout'), ws.authTimeoutMs));
    ctx.metrics.opened(admission.path);
  }

  get streamCount(): number {
    return this.streams.size;
  }

  /** Closes the connection with `code` (shutdown, policy). */
  shut(code: number, reason: string, metricReason: string, hard = false): void {
    // Once: the closing handshake may take a while, during which the timers keep firing.
    if (this.closed || this.closing) return;
    this.closing = true;
    this.ctx.metrics.closedBy(metricReason);
    this.queue.close();
    if (hard) this.socket.terminate();
    else this.socket.close(code, reason);
  }

  private send(type: ServerType, payload: Record<string, unknown>): void {
    this.queue.send(type, payload);
  }

  private tick(): void {
    this.send('heartbeat', {});
  }

  private checkIdle(): void {
    if (Date.now() - this.lastSeen >= this.ctx.config.ws.idleTimeoutMs) this.shut(CloseCode.GOING_AWAY, 'idle timeout', 'idle');
  }

  private takeToken(): boolean {
    const now = Date.now();
    const rate = this.ctx.config.ws.messagesPerSecond;
    this.tokens = Math.min(rate, this.tokens + ((now - this.refilledAt) / 1000) * rate);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private onMessage(data: unknown, isBinary: boolean): void {
    if (this.closed || this.closing) return;
    this.messagesIn++;
    this.lastSeen = Date.now();
    if (!this.takeToken()) {
      this.ctx.metrics.received('rate_limited');
      if (!this.reportedFlood) {
        this.reportedFlood = true;
        this.ctx.audit(this.admission, this.principal, 'rate_limit_exceeded', 'security', { reason: 'ws_message_rate', limit_per_s: this.ctx.config.ws.messagesPerSecond });
      }
      this.send('error', { error_code: WsErrorCode.RATE_LIMITED, message: 'Too many messages; slow down' });
      return;
    }
    const frame = parseClientFrame(data, isBinary);
    if (typeof frame === 'string') return this.invalid(frame);
    this.ctx.metrics.received(frame.type);
    if (this.principal === undefined && !BEFORE_AUTH.has(frame.type)) {
      const error = { error_code: WsErrorCode.NOT_AUTHENTICATED, message: 'Authenticate first (X-API-Key at upgrade, or the auth message)' };
      this.send(frame.type === 'subscribe' ? 'subscribe_failed' : 'error', error);
      return;
    }
    try {
      this.handle(frame);
    } catch (err) {
      // A bug must cost this message, never the process (a throw here would be uncaught).
      this.ctx.failed(this.admission, frame.type, err);
      this.send('error', { error_code: WsErrorCode.INTERNAL_ERROR, message: 'The message could not be processed' });
    }
  }

  private invalid(reason: string): void {
    this.ctx.metrics.received('invalid');
    this.invalidFrames++;
    if (!this.reportedInvalid) {
      this.reportedInvalid = true;
      this.ctx.audit(this.admission, this.principal, 'suspicious_activity', 'security', { activity_type: 'invalid_ws_frame', reason });
    }
    this.send('error', { error_code: WsErrorCode.INVALID_MESSAGE, message: `Invalid message: ${reason}` });
    if (this.invalidFrames >= MAX_INVALID_FRAMES) this.shut(CloseCode.POLICY, 'too many invalid messages', 'invalid_frames');
  }

  private handle(frame: ClientFrame): void {
    const p = frame.payload;
    switch (frame.type) {
      case 'init':
        return this.send('init', { protocol_version: PROTOCOL_VERSION });
      case 'auth':
        return this.authenticate(p);
      case 'pong':
        return;
      case 'close':
        return this.shut(CloseCode.NORMAL, 'closed by client', 'client');
      case 'subscribe':
        return this.subscribe(p);
      case 'unsubscribe': {
        const id = streamIdOf(p.stream_id);
        if (id === undefined) return this.send('error', { error_code: WsErrorCode.INVALID_MESSAGE, message: 'stream_id must be a non-empty string' });
        this.cancel(id);
        return this.send('unsubscribe', { stream_id: id });
      }
    }
  }

  private authenticate(p: Record<string, unknown>): void {
    // Keys off: every connection already runs as the anonymous principal.
    if (!this.ctx.config.auth.required) return this.send('auth_success', {});
    const outcome = this.ctx.inBandAuth(this.req, this.admission, p);
    const done = (result: Principal | string) => {
      if (this.closed) return;
      if (typeof result === 'string') return this.send('auth_failed', { error_code: WsErrorCode.AUTH_FAILED, message: result });
      if (this.principal !== undefined && this.principal.id !== result.id) {
        return this.send('auth_failed', { error_code: WsErrorCode.AUTH_FAILED, message: 'This connection is already authenticated with another key' });
      }
      if (result.authenticated && !this.ctx.claimSlot(this.admission, `key:${result.id}`)) {
        this.send('auth_failed', { error_code: WsErrorCode.AUTH_FAILED, message: `At most ${this.ctx.config.ws.maxConnectionsPerKey} stream connections per caller` });
        return this.shut(CloseCode.POLICY, 'connection cap', 'key_cap');
      }
      this.principal = result;
      this.send('auth_success', {});
    };
    if (outcome instanceof Promise) outcome.then(done, () => done('Authentication failed')).catch((err: unknown) => this.ctx.failed(this.admission, 'auth', err));
    else done(outcome);
  }

  private subscribe(p: Record<string, unknown>): void {
    const id = streamIdOf(p.stream_id);
    const type = p.stream_type as StreamType;
    const failed = (error_code: string, message: string) => this.send('subscribe_failed', { stream_id: id, error_code, message });
    if (id === undefined) return failed(WsErrorCode.SUBSCRIBE_FAILED, `stream_id must be a string of 1 to ${MAX_STREAM_ID_LENGTH} characters`);
    if (!STREAM_TYPES.includes(type)) return failed(WsErrorCode.SUBSCRIBE_FAILED, `stream_type must be one of ${STREAM_TYPES.join(', ')}`);
    const params = type === 'simulation_live' ? validateParams(SimulationLiveParamsDto, p.params) : validateParams(FeatureStreamParamsDto, p.params);
    if (typeof params === 'string') return failed(WsErrorCode.INVALID_PARAMS, params);
    // The same id replaces its stream: the old one is cancelled first.
    this.cancel(id);
    if (this.streams.size >= this.ctx.config.ws.maxStreams) {
      return failed(WsErrorCode.TOO_MANY_STREAMS, `At most ${this.ctx.config.ws.maxStreams} streams per connection`);
    }
    const controller = new AbortController();
    this.streams.set(id, controller);
    this.send('subscribe_success', { stream_id: id });
    const sink = (t: ServerType, payload: Record<string, unknown>) => {
      if (!controller.signal.aborted) this.send(t, payload);
    };
    const request = this.ctx.computeRequest(this.admission, this.principal!, controller.signal);
    // Started in a promise: whatever fails, even synchronously, ends this stream alone (STREAM_ERROR, its slot freed).
    Promise.resolve()
      .then(() => (params instanceof SimulationLiveParamsDto ? this.ctx.runner.simulationLive(id, params, request, sink) : this.ctx.runner.streamFeatures(id, params, request, sink)))
      .catch((err: unknown) => {
        if (!controller.signal.aborted) this.send('error', { error_code: WsErrorCode.STREAM_ERROR, message: streamErrorMessage(err), stream_id: id });
      })
      .finally(() => {
        if (this.streams.get(id) === controller) this.streams.delete(id);
      });
  }

  private cancel(id: string): void {
    const running = this.streams.get(id);
    if (running === undefined) return;
    this.streams.delete(id);
    running.abort(new ClientDisconnectedError());
  }

  private onSocketError(err: Error & { code?: string }): void {
    if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
      this.ctx.metrics.received('oversize');
      this.ctx.metrics.closedBy('oversize');
      this.ctx.audit(this.admission, this.principal, 'suspicious_activity', 'security', { activity_type: 'oversize_ws_frame', limit_bytes: this.ctx.config.ws.maxMessageBytes });
    } else {
      this.ctx.metrics.received('invalid');
      this.ctx.audit(this.admission, this.principal, 'suspicious_activity', 'security', { activity_type: 'invalid_ws_frame', reason: err.code ?? 'protocol_error' });
    }
  }

  private onClose(code: number): void {
    this.closed = true;
    this.ctx.logClosed(this.admission, this.principal, { code, seconds: Math.round((Date.now() - this.openedAt) / 1000), messages_in: this.messagesIn, streams: this.streams.size });
    this.queue.close();
    for (const t of this.timers) clearTimeout(t);
    for (const id of [...this.streams.keys()]) this.cancel(id);
    this.ctx.metrics.gone(this.admission.path);
    this.ctx.forget(this);
  }
}

function streamIdOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_STREAM_ID_LENGTH ? value : undefined;
}
