import { Environment, envValue } from '../../config/environment';
import { readSecretMappingFile, readSecretText } from '../secret-files';
import type { SecretMap } from '../secret-files';
import { envSecretNames } from '../secret-names';
import type { SecretsBackend } from './secrets-backend';

/**
 * Secrets from the environment snapshot taken at boot (never process.env). Each secret name
 * (see envSecretNames) resolves, first hit wins: 1) the variable itself, 2) the file named by `<NAME>_FILE`
 * (Kubernetes mounted secret), 3) the `MFN_SECRETS_FILE` mapping. A blank value counts as
 * missing and falls through, so an empty `MFN_API_KEY` never hides `MFN_API_KEY_FILE`.
 * Files are re-read on every load, so a rotated mounted secret is picked up on refresh.
 */
export class EnvSecretsBackend implements SecretsBackend {
  readonly name = 'env' as const;
  readonly mayBeEmpty = true;

  constructor(
    private readonly environment: Environment,
    private readonly mappingFile?: string,
    private readonly names: readonly string[] = envSecretNames(environment),
  ) {}

  async load(): Promise<SecretMap> {
    const out = this.mappingFile
      ? await readSecretMappingFile(this.mappingFile, 'MFN_SECRETS_FILE', this.name)
      : new Map<string, string>();
    for (const name of this.names) {
      const value = await this.resolveOwnSource(name);
      if (value !== undefined) out.set(name, value);
    }
    return out;
  }

  /** The variable, else its `_FILE` twin; undefined lets the mapping value stand. */
  private async resolveOwnSource(name: string): Promise<string | undefined> {
    const direct = envValue(this.environment, name)?.trim();
    if (direct) return direct;
    const fileVariable = `${name}_FILE`;
    const path = envValue(this.environment, fileVariable)?.trim();
    if (!path) return undefined;
    const content = (await readSecretText(path, fileVariable, this.name)).trim();
    return content === '' ? undefined : content;
  }
}
