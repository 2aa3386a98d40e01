import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StubHttpServer } from '../helpers/stub-http-server';

/**
 * A local HashiCorp Vault speaking the KV v2 HTTP API: `GET /v1/auth/token/lookup-self` and
 * `GET /v1/<mount>/data/<path>` with the token in `X-Vault-Token` (403 `{"errors":["permission
 * denied"]}` when it is wrong), an optional enterprise namespace in `X-Vault-Namespace`, 404
 * `{"errors":[]}` for a missing path, and the `data.data` / `data.metadata` body of a read.
 */
export interface ReceivedVaultRequest {
  method: string;
  path: string;
  token: string | undefined;
  namespace: string | undefined;
  /** The W3C trace context the client sent, if any. */
  traceparent: string | undefined;
}

interface StoredVersion {
  data: Record<string, unknown> | null;
  version: number;
  createdTime: string;
  deletionTime: string;
}

export class VaultKvStub {
  readonly tokens = new Set<string>(['hvs.stub-root-token-0123456789']);
  readonly requests: ReceivedVaultRequest[] = [];
  /** Set to require this X-Vault-Namespace on every request. */
  namespace?: string;
  /** Delay before each answer (slow-server tests). */
  delayMs = 0;
  /** Statuses to answer the next requests with (e.g. 503 while sealed). */
  failNext: number[] = [];
  /** Answer every request with a redirect to this URL. */
  redirectTo?: string;
  private readonly store = new Map<string, StoredVersion>();
  private readonly http = new StubHttpServer((req, res) => this.handle(req, res));

  get token(): string {
    return [...this.tokens][0];
  }

  /** Writes a new version of `<mount>/<path>`. */
  put(mount: string, path: string, data: Record<string, unknown>): void {
    const key = `${mount}/${path}`;
    const version = (this.store.get(key)?.version ?? 0) + 1;
    this.store.set(key, { data, version, createdTime: new Date().toISOString(), deletionTime: '' });
  }

  /** Soft-deletes the latest version, as `vault kv delete` does. */
  softDelete(mount: string, path: string): void {
    const current = this.store.get(`${mount}/${path}`);
    if (current) this.store.set(`${mount}/${path}`, { ...current, data: null, deletionTime: new Date().toISOString() });
  }

  /** Forgets the requests seen and every injected fault (delay, failures, redirect). */
  reset(): void {
    this.requests.length = 0;
    this.delayMs = 0;
    this.failNext = [];
    this.redirectTo = undefined;
  }

  /** Listens on `port` (0: any free port; give the old port to come back where clients expect it). */
  start(port = 0): Promise<string> {
    return this.http.start(port);
  }

  get url(): string {
    return this.http.url;
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://vault.local');
    const token = single(req.headers['x-vault-token']);
    const namespace = single(req.headers['x-vault-namespace']);
    this.requests.push({ method: req.method ?? '', path: url.pathname, token, namespace, traceparent: single(req.headers.traceparent) });

    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (res.destroyed) return;

    const status = this.failNext.shift();
    if (status !== undefined) return send(res, status, { errors: status === 503 ? ['Vault is sealed'] : ['injected failure'] });
    if (this.redirectTo) {
      res.writeHead(307, { Location: `${this.redirectTo}${url.pathname}` });
      return void res.end();
    }
    if (req.method !== 'GET') return send(res, 405, { errors: [] });
    if (!token || !this.tokens.has(token)) return send(res, 403, { errors: ['permission denied'] });
    if (this.namespace !== undefined && namespace !== this.namespace) return send(res, 403, { errors: ['permission denied'] });

    if (url.pathname === '/v1/auth/token/lookup-self') {
      return send(res, 200, envelope({ accessor: 'stub-accessor', policies: ['default', 'mfn'], ttl: 3600, renewable: true, type: 'service' }));
    }
    const match = /^\/v1\/(.+?)\/data\/(.+)$/.exec(url.pathname);
    const stored = match ? this.store.get(`${match[1]}/${decodeURIComponent(match[2])}`) : undefined;
    if (!stored) return send(res, 404, { errors: [] });
    const body = envelope({
      data: stored.data,
      metadata: { created_time: stored.createdTime, custom_metadata: null, deletion_time: stored.deletionTime, destroyed: false, version: stored.version },
    });
    // Vault answers 404 with the metadata for a deleted latest version.
    return send(res, stored.data === null ? 404 : 200, body);
  }
}

function single(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function envelope(data: unknown): Record<string, unknown> {
  return { request_id: randomUUID(), lease_id: '', renewable: false, lease_duration: 0, data, wrap_info: null, warnings: null, auth: null };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}
