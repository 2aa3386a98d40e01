import { Environment, envValue } from '../../config/environment';
import { SecretsBackendError } from '../secrets.errors';
import { mapFromJsonObject, readSecretText } from '../secret-files';
import type { SecretMap } from '../secret-files';
import { DeadlineExceededError, callWithRetries } from '../remote-call';
import type { SecretsBackend } from './secrets-backend';

export interface VaultSecretsBackendOptions {
  url?: string;
  /** Path of the secret inside the mount, e.g. `mfn/prod`. */
  path?: string;
  mount: string;
  namespace?: string;
  /** Variable holding the token; `<tokenEnv>_FILE` names a file holding it. */
  tokenEnv: string;
  environment: Environment;
  timeoutMs: number;
  retries: number;
  /** Backoff base between retries (tests shorten it). */
  retryDelayMs?: number;
}

/** Vault answers are small; anything bigger is not a KV v2 secret of ours. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

/** Status codes worth another attempt: throttled, or Vault sealed/standby/overloaded. */
function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** A failed HTTP exchange, classified; converted to SecretsBackendError after the retries. */
class VaultCallError extends Error {
  constructor(
    readonly kind: SecretsBackendError['kind'],
    readonly reason: string,
    readonly retryable: boolean,
  ) {
    super(reason);
  }
}

/**
 * HashiCorp Vault KV v2 over its HTTP API with plain fetch (TLS verification stays on; extra
 * CAs come from NODE_EXTRA_CA_CERTS). Each load checks the token (`GET
 * /v1/auth/token/lookup-self`) and reads the latest version (`GET /v1/<mount>/data/<path>`)
 * whose `data.data` must be an object of strings. The token is re-read on every load, so a
 * token file renewed by a Vault agent sidecar is picked up. Redirects are refused rather than
 * followed so the token is never sent to a host that was not configured.
 */
export class VaultSecretsBackend implements SecretsBackend {
  readonly name = 'vault' as const;
  readonly mayBeEmpty = false;

  constructor(private readonly options: VaultSecretsBackendOptions) {}

  async load(): Promise<SecretMap> {
    const { url, path, mount } = this.options;
    if (!url) throw this.error('config', 'MFN_SECRETS_VAULT_URL must be set when using the vault secrets backend');
    if (!path) throw this.error('config', 'MFN_SECRETS_VAULT_PATH must be set when using the vault secrets backend');
    const token = await this.readToken();

    await this.call(`${url}/v1/auth/token/lookup-self`, token, (status) => {
      if (status === 401 || status === 403) return new VaultCallError('auth', `Vault authentication failed (HTTP ${status})`, false);
      return undefined;
    });

    const secretUrl = `${url}/v1/${mount}/data/${path.split('/').map(encodeURIComponent).join('/')}`;
    const body = await this.call(secretUrl, token, (status) => {
      if (status === 404) return new VaultCallError('not_found', `no secret at ${mount}/${path} (HTTP 404)`, false);
      if (status === 401 || status === 403) {
        return new VaultCallError('auth', `Vault denied access to ${mount}/${path} (HTTP ${status})`, false);
      }
      return undefined;
    });
    return parseVaultKvResponse(body, (kind, reason) => this.error(kind, reason));
  }

  private async readToken(): Promise<string> {
    const { tokenEnv, environment } = this.options;
    let token = envValue(environment, tokenEnv)?.trim();
    if (!token) {
      const fileVariable = `${tokenEnv}_FILE`;
      const file = envValue(environment, fileVariable)?.trim();
      if (file) token = (await readSecretText(file, fileVariable, this.name)).trim();
    }
    if (!token) {
      throw this.error('config', `Vault token not found in environment variable ${tokenEnv} (or a file named by ${tokenEnv}_FILE)`);
    }
    // fetch rejects bad header values with a message that quotes them: check first.
    if (!/^[\x21-\x7e]+$/.test(token)) throw this.error('config', `the Vault token in ${tokenEnv} contains characters not allowed in an HTTP header`);
    return token;
  }

  /** GET with token, deadline and retries; returns the parsed JSON body of a 200. */
  private async call(
    url: string,
    token: string,
    classify: (status: number) => VaultCallError | undefined,
  ): Promise<unknown> {
    const headers: Record<string, string> = { 'X-Vault-Token': token, Accept: 'application/json' };
    if (this.options.namespace) headers['X-Vault-Namespace'] = this.options.namespace;
    try {
      return await callWithRetries(
        async (signal) => {
          let res: Response;
          try {
            res = await fetch(url, { method: 'GET', headers, redirect: 'manual', signal });
          } catch (err) {
            if (signal.aborted) throw signal.reason;
            throw new VaultCallError('unreachable', `Vault is unreachable (${networkCause(err)})`, true);
          }
          if (res.status === 200) return readJson(res);
          await res.body?.cancel().catch(() => undefined);
          const known = classify(res.status);
          if (known) throw known;
          if (res.status >= 300 && res.status < 400) {
            throw new VaultCallError('config', `Vault answered with a redirect (HTTP ${res.status}); point MFN_SECRETS_VAULT_URL at the active node`, false);
          }
          if (isRetryableStatus(res.status)) {
            throw new VaultCallError('unreachable', `Vault returned HTTP ${res.status}`, true);
          }
          throw new VaultCallError('invalid', `Vault returned unexpected HTTP ${res.status}`, false);
        },
        {
          timeoutMs: this.options.timeoutMs,
          retries: this.options.retries,
          baseDelayMs: this.options.retryDelayMs,
          isRetryable: (err) => err instanceof DeadlineExceededError || (err instanceof VaultCallError && err.retryable),
        },
      );
    } catch (err) {
      if (err instanceof VaultCallError) throw this.error(err.kind, err.reason);
      if (err instanceof DeadlineExceededError) throw this.error('timeout', `Vault did not answer within ${err.timeoutMs} ms`);
      throw this.error('invalid', `unexpected error talking to Vault (${err instanceof Error ? err.name : 'unknown'})`);
    }
  }

  private error(kind: SecretsBackendError['kind'], reason: string): SecretsBackendError {
    return new SecretsBackendError(this.name, kind, reason);
  }
}

/** Reads a JSON body of bounded size; a bad body is a non-retryable protocol error. */
async function readJson(res: Response): Promise<unknown> {
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > MAX_RESPONSE_BYTES) {
    await res.body?.cancel().catch(() => undefined);
    throw new VaultCallError('invalid', 'Vault response is too large', false);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (res.body) {
    for await (const chunk of res.body) {
      size += chunk.byteLength;
      if (size > MAX_RESPONSE_BYTES) throw new VaultCallError('invalid', 'Vault response is too large', false);
      chunks.push(chunk);
    }
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new VaultCallError('invalid', 'Vault response is not valid JSON', false);
  }
}

/** Network error codes (ECONNREFUSED, ENOTFOUND, certificate problems …) are safe to report. */
function networkCause(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } } | undefined)?.cause;
  const code = cause && typeof cause.code === 'string' ? cause.code : undefined;
  return code && /^[A-Z0-9_]{2,64}$/.test(code) ? code : 'network error';
}

/**
 * The KV v2 read body: `{"data": {"data": {...}, "metadata": {...}}}`. A deleted or destroyed
 * latest version has `data.data` null.
 */
export function parseVaultKvResponse(
  body: unknown,
  fail: (kind: SecretsBackendError['kind'], reason: string) => Error,
): Map<string, string> {
  const outer = (body as { data?: unknown } | null)?.data;
  if (outer === null || typeof outer !== 'object' || Array.isArray(outer)) {
    throw fail('invalid', 'Vault response has no data object (is the mount a KV v2 engine?)');
  }
  const inner = (outer as { data?: unknown }).data;
  if (inner === null || inner === undefined) throw fail('not_found', 'the latest version of the Vault secret is deleted or destroyed');
  return mapFromJsonObject(inner, (problem) => fail('invalid', `Vault secret data.data ${problem.replace(/^content /, '')}`));
}
