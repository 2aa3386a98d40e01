import type { SecretsBackendName } from '../../config';
import type { SecretMap } from '../secret-files';

/** DI token of the backend chosen by MFN_SECRETS_BACKEND. */
export const SECRETS_BACKEND = Symbol('SECRETS_BACKEND');

/**
 * One source of secrets. `load` returns every secret the source holds, by env-style name
 * (`MFN_API_KEY`, …), with values trimmed and empty ones left out. It throws only
 * SecretsBackendError, whose message never carries a value.
 */
export interface SecretsBackend {
  readonly name: SecretsBackendName;
  /** Remote and mapping backends must hold at least one secret; the env backend may hold none. */
  readonly mayBeEmpty: boolean;
  load(): Promise<SecretMap>;
  /** Releases sockets and clients (called on shutdown). */
  close?(): void;
}
