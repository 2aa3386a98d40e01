import type { AppConfig } from '../../config';
import { AwsSecretsBackend } from './aws-secrets.backend';
import { EnvSecretsBackend } from './env-secrets.backend';
import { FileSecretsBackend } from './file-secrets.backend';
import type { SecretsBackend } from './secrets-backend';
import { VaultSecretsBackend } from './vault-secrets.backend';

/**
 * Builds the backend named by MFN_SECRETS_BACKEND. Never throws: missing settings are reported
 * by the backend's first load, inside the start-up sequence, as one clear line.
 */
export function createSecretsBackend(config: AppConfig): SecretsBackend {
  const { secrets } = config;
  switch (secrets.backend) {
    case 'file':
      return new FileSecretsBackend(secrets.file);
    case 'aws':
      return new AwsSecretsBackend({
        name: secrets.aws.name,
        region: secrets.aws.region,
        endpoint: secrets.aws.endpoint,
        timeoutMs: secrets.timeoutMs,
        retries: secrets.retries,
      });
    case 'vault':
      return new VaultSecretsBackend({
        ...secrets.vault,
        environment: config.environment,
        timeoutMs: secrets.timeoutMs,
        retries: secrets.retries,
      });
    case 'env':
    default:
      return new EnvSecretsBackend(config.environment, secrets.file);
  }
}
