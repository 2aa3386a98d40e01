import { AddressListError } from './auth/address-lists/address-list';
import { ALLOWLIST_VARIABLE, DENYLIST_VARIABLE, readAddressList } from './auth/address-lists/address-list.service';
import { ApiKeyConfigError } from './auth/api-key-entries';
import { readApiKeyEntries } from './auth/api-key-source';
import { describeProblems } from './common/errors/problem-list';
import type { AppConfig } from './config';
import { MASTER_KEY_SECRET, MasterKeyError, resolveMasterKey } from './crypto/keys/master-key';
import { RedisConfigError, redisTlsOptions } from './redis/redis-tls';
import { parseRedisTarget } from './redis/redis-topology';
import type { SecretsService } from './secrets/secrets.service';

/** Every secret the service cannot start with; `message` names each of them on one line (describeProblems), never a value. */
export class StartupCheckError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(describeProblems(problems));
    this.name = 'StartupCheckError';
  }
}

/** The one-line problems of a refused start-up requirement, or undefined for any other failure. */
function problemsOf(err: unknown): string[] | undefined {
  if (err instanceof ApiKeyConfigError) return [...err.problems];
  if (err instanceof MasterKeyError || err instanceof RedisConfigError || err instanceof AddressListError) return [err.message];
  return undefined;
}

/**
 * The start-up requirements on secrets, checked together once the secrets are loaded and before
 * any module initialises, so one start-up names every missing or invalid secret instead of one
 * per run: the API keys (presence when required, every entry's shape, the prod rules), the master
 * key (required in prod while crypto is on; base64 of 32 bytes), the form of a Sentinel or Cluster
 * MFN_REDIS_URL and the Redis TLS settings next to it, and address lists held by the secrets
 * backend. Each check is the very function the owning module runs at its own initialisation, so
 * both always agree.
 *
 * A backend that cannot load at all is not reported here: the secrets module's initialisation
 * reports it (one line naming the backend), as it always did.
 */
export async function checkSecretsAtStartup(config: AppConfig, secrets: SecretsService): Promise<void> {
  try {
    await secrets.whenLoaded();
  } catch {
    return;
  }
  const problems: string[] = [];
  const check = (requirement: () => unknown): void => {
    try {
      requirement();
    } catch (err) {
      const found = problemsOf(err);
      if (found === undefined) throw err;
      problems.push(...found);
    }
  };
  check(() => readApiKeyEntries(secrets, config));
  if (config.crypto.enabled) check(() => resolveMasterKey(secrets.getSecret(MASTER_KEY_SECRET), config.env));
  const redisUrl = secrets.getSecret('MFN_REDIS_URL')?.trim();
  if (redisUrl) check(() => parseRedisTarget(redisUrl));
  if (redisUrl) check(() => redisTlsOptions(redisUrl, config.redis));
  for (const list of [ALLOWLIST_VARIABLE, DENYLIST_VARIABLE] as const) check(() => readAddressList(list, secrets, config));
  if (problems.length > 0) throw new StartupCheckError(problems);
}
