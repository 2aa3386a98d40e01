import type { FactoryProvider } from '@nestjs/common';
import { RedisService } from '../../redis/redis.service';
import { AppConfig } from '../../config';
import { SecretsService } from '../../secrets/secrets.service';
import { KEY_STORE, KeyStore } from './key-store';
import { MemoryKeyStore } from './memory-key-store';
import { RedisKeyStore } from './redis-key-store';

/**
 * KEY_STORE: Redis when the MFN_REDIS_URL secret is set (shared by replicas, persistent), else
 * memory. The choice needs the secrets, so the factory waits for them to be loaded; tests swap
 * the store with `overrideProvider(KEY_STORE)`.
 */
export const keyStoreProvider: FactoryProvider<KeyStore> = {
  provide: KEY_STORE,
  inject: [AppConfig, SecretsService, RedisService],
  useFactory: async (config: AppConfig, secrets: SecretsService, redis: RedisService): Promise<KeyStore> => {
    // A failed load is reported by SecretsService's own initialisation, as one start-up line;
    // thrown here it would surface as a framework stack trace instead.
    await secrets.whenLoaded().catch(() => undefined);
    return secrets.getSecret('MFN_REDIS_URL') ? new RedisKeyStore(redis, config.crypto.redisPrefix) : new MemoryKeyStore();
  },
};
