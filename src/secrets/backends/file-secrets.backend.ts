import { SecretsBackendError } from '../secrets.errors';
import { readSecretMappingFile } from '../secret-files';
import type { SecretMap } from '../secret-files';
import type { SecretsBackend } from './secrets-backend';

/**
 * Secrets from one mapping file (`MFN_SECRETS_FILE`): a JSON object of names to strings or
 * `.env` lines. Nothing else is consulted. Re-read on every load, so replacing the file (or
 * the Kubernetes secret mounted there) rotates values without a restart.
 */
export class FileSecretsBackend implements SecretsBackend {
  readonly name = 'file' as const;
  readonly mayBeEmpty = false;

  constructor(private readonly path: string | undefined) {}

  async load(): Promise<SecretMap> {
    if (!this.path) {
      throw new SecretsBackendError(this.name, 'config', 'MFN_SECRETS_FILE must be set when using the file secrets backend');
    }
    return readSecretMappingFile(this.path, 'MFN_SECRETS_FILE', this.name);
  }
}
