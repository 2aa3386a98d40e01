import type { IncomingMessage } from 'node:http';
import { STREAM_PATHS } from './protocol';

const PATHS: ReadonlySet<string> = new Set(Object.values(STREAM_PATHS));

/**
 * Whether a request with `Connection: Upgrade` is a stream upgrade (Node's
 * `shouldUpgradeCallback`): `Upgrade: websocket` to one of the stream paths. Every other one
 * (`Upgrade: h2c` to any route, a WebSocket upgrade to another path or with a Host no URL can be
 * built from) is served as the plain HTTP request it also is, by the HTTP pipeline: its answer is
 * the route's own, or the 4xx envelope, instead of a dropped connection.
 */
export function isStreamUpgrade(req: IncomingMessage): boolean {
  const protocols = (req.headers.upgrade ?? '').toLowerCase().split(',').map((p) => p.trim());
  if (req.method !== 'GET' || !protocols.includes('websocket')) return false;
  try {
    // The ws adapter builds the same URL from Host; one it could not build is not an upgrade.
    return PATHS.has(new URL(req.url ?? '/', `ws://${req.headers.host ?? 'localhost'}/`).pathname);
  } catch {
    return false;
  }
}
