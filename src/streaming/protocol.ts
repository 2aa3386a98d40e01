import { type JsonShapeLimits, checkJsonShape } from '../common/body/json-structure';

/**
 * The stream protocol (docs/streaming.md): JSON text frames `{"type": ..., "payload": {...}}`;
 * every frame the server sends also carries `timestamp` (epoch ms).
 */
export const PROTOCOL_VERSION = '1.0';

export const STREAM_PATHS = { features: '/ws/stream_features', simulation: '/ws/simulation_live' } as const;

export type StreamType = 'stream_features' | 'simulation_live';
export const STREAM_TYPES: readonly StreamType[] = ['stream_features', 'simulation_live'];

/** Types a client may send; anything else is an invalid frame. */
export const CLIENT_TYPES = ['init', 'auth', 'subscribe', 'unsubscribe', 'pong', 'close'] as const;
export type ClientType = (typeof CLIENT_TYPES)[number];

/** What an unauthenticated connection may send. */
export const BEFORE_AUTH: ReadonlySet<string> = new Set(['init', 'auth', 'pong', 'close']);

export type ServerType =
  | 'init'
  | 'auth_success'
  | 'auth_failed'
  | 'subscribe_success'
  | 'subscribe_failed'
  | 'unsubscribe'
  | 'heartbeat'
  | 'feature_update'
  | 'simulation_state'
  | 'simulation_complete'
  | 'error';

/** Frames a slow reader may lose (the oldest first); every other frame is always delivered or the connection closed. */
export const DROPPABLE: ReadonlySet<ServerType> = new Set(['feature_update', 'simulation_state']);

export interface ClientFrame {
  type: ClientType;
  payload: Record<string, unknown>;
}

/** Error codes of `error`, `auth_failed` and `subscribe_failed` payloads. */
export const WsErrorCode = {
  AUTH_FAILED: 'AUTH_FAILED',
  NOT_AUTHENTICATED: 'NOT_AUTHENTICATED',
  SUBSCRIBE_FAILED: 'SUBSCRIBE_FAILED',
  INVALID_PARAMS: 'INVALID_PARAMS',
  TOO_MANY_STREAMS: 'TOO_MANY_STREAMS',
  RATE_LIMITED: 'RATE_LIMITED',
  INVALID_MESSAGE: 'INVALID_MESSAGE',
  STREAM_ERROR: 'STREAM_ERROR',
  INTERNAL_ERROR: 'INTERNAL_ERROR',
} as const;

/** Close codes the server uses (RFC 6455 section 7.4.1). */
export const CloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  POLICY: 1008,
  TOO_BIG: 1009,
  OVERLOADED: 1013,
} as const;

export function encodeFrame(type: ServerType, payload: Record<string, unknown>): string {
  return JSON.stringify({ type, payload, timestamp: Date.now() });
}

/**
 * What a client frame may hold before it is parsed (the largest protocol frame, a `subscribe`
 * with every param and feature, has about 40 values and depth 4). A frame within the byte limit
 * could otherwise nest thousands of levels deep, which the params' transformation would recurse
 * through.
 */
export const FRAME_SHAPE: Readonly<JsonShapeLimits> = Object.freeze({ maxValues: 512, maxContainers: 64, maxDepth: 8, maxStringBytes: 4096 });

/**
 * A client frame, or a short reason why it is not one. Text only, within FRAME_SHAPE, a JSON
 * object with a known `type` and an object (or absent) `payload`.
 */
export function parseClientFrame(data: unknown, isBinary: boolean): ClientFrame | string {
  if (isBinary) return 'binary frames are not accepted';
  const bytes = Buffer.isBuffer(data) ? data : Buffer.from(String(data));
  const problem = checkJsonShape(bytes, FRAME_SHAPE);
  if (problem !== undefined) return problem.kind === 'unterminated' ? 'not JSON' : `too many ${problem.kind === 'depth' ? 'nesting levels' : problem.kind === 'string' ? 'bytes in one string' : problem.kind} (at most ${problem.limit})`;
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return 'not JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const { type, payload } = value as { type?: unknown; payload?: unknown };
  if (typeof type !== 'string' || !(CLIENT_TYPES as readonly string[]).includes(type)) return 'unknown message type';
  if (payload !== undefined && (typeof payload !== 'object' || payload === null || Array.isArray(payload))) return 'payload must be an object';
  return { type: type as ClientType, payload: (payload ?? {}) as Record<string, unknown> };
}
