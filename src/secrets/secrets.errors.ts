/**
 * Typed errors of the secrets module. Every message is a single line that names the backend,
 * the secret or the variable involved and what went wrong — never a secret value, a file's
 * content or a file path — so it is safe for logs and for the start-up failure line.
 */

/**
 * Why a backend could not deliver its secrets.
 * - `config`: a setting is missing or unusable (fix the deployment).
 * - `unreachable` / `timeout`: network trouble, 5xx, throttling — worth retrying.
 * - `auth`: the backend refused our credentials or token.
 * - `not_found`: the secret (AWS name, Vault path, file) does not exist.
 * - `invalid`: the backend answered, but the content cannot be used.
 * - `empty`: the backend holds no secrets at all.
 */
export type SecretsFailureKind = 'config' | 'unreachable' | 'timeout' | 'auth' | 'not_found' | 'invalid' | 'empty';

const TRANSIENT: ReadonlySet<SecretsFailureKind> = new Set(['unreachable', 'timeout']);

export class SecretsBackendError extends Error {
  constructor(
    readonly backend: string,
    readonly kind: SecretsFailureKind,
    readonly reason: string,
  ) {
    super(`Secrets backend '${backend}' failed: ${reason}`);
    this.name = 'SecretsBackendError';
  }

  /** Unreachable or slow backends may recover by themselves; every other failure needs a fix. */
  get transient(): boolean {
    return TRANSIENT.has(this.kind);
  }
}

/** Raised when a required secret is missing; the message names the secret, never a value. */
export class SecretNotFoundError extends Error {
  constructor(
    readonly secretName: string,
    readonly backend?: string,
  ) {
    super(
      `Secret '${secretName}' is required but was not found` + (backend ? ` (secrets backend: ${backend})` : ''),
    );
    this.name = 'SecretNotFoundError';
  }
}

/** A secret exists but its content does not have the expected shape (e.g. a broken JSON list). */
export class SecretFormatError extends Error {
  constructor(
    readonly secretName: string,
    problem: string,
  ) {
    super(`Secret '${secretName}' ${problem}`);
    this.name = 'SecretFormatError';
  }
}
