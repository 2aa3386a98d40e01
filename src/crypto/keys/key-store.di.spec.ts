import { Test } from '@nestjs/testing';
import pino from 'pino';
import { ROOT_LOGGER } from '../../common';
import { RedisService } from '../../redis/redis.service';
import { AppConfig, loadConfig } from '../../config';
import { ReadinessRegistry } from '../../health/readiness.registry';
import { SecretsService } from '../../secrets/secrets.service';
import { KEY_CLOCK, SYSTEM_CLOCK } from './key-clock';
import { KeyLifecycle } from './key-lifecycle.service';
import { KeyRecords } from './key-records.service';
import { KeyResolver } from './key-resolver.service';
import { keyStoreProvider } from './key-store.provider';
import { CommitResult, KEY_STORE, KeyCommit } from './key-store';
import { KeyType } from './key-types';
import { MemoryKeyStore } from './memory-key-store';

/** A store that records what it is asked to commit: proof that the one swapped in is the one used. */
class RecordingStore extends MemoryKeyStore {
  readonly commits: KeyCommit[] = [];

  override commit(change: KeyCommit): Promise<CommitResult> {
    this.commits.push(change);
    return super.commit(change);
  }
}

describe('KEY_STORE through dependency injection', () => {
  const master = Buffer.alloc(32, 7).toString('base64');
  const secrets = { getSecret: (name: string) => (name === 'MFN_MASTER_KEY' ? master : undefined), onChange: () => () => undefined, whenLoaded: async () => undefined };

  async function build(store?: MemoryKeyStore) {
    let builder = Test.createTestingModule({
      providers: [
        keyStoreProvider,
        KeyRecords,
        KeyResolver,
        KeyLifecycle,
        { provide: KEY_CLOCK, useValue: SYSTEM_CLOCK },
        { provide: AppConfig, useValue: loadConfig({}) },
        { provide: SecretsService, useValue: secrets },
        { provide: RedisService, useValue: { client: undefined, waitUntilReady: async () => false } },
        { provide: ReadinessRegistry, useValue: new ReadinessRegistry() },
        { provide: ROOT_LOGGER, useValue: pino({ level: 'silent' }) },
      ],
    });
    if (store) builder = builder.overrideProvider(KEY_STORE).useValue(store);
    const moduleRef = await builder.compile();
    await moduleRef.init();
    return moduleRef;
  }

  it('chooses the memory store without a Redis URL', async () => {
    const moduleRef = await build();
    expect(moduleRef.get(KEY_STORE)).toBeInstanceOf(MemoryKeyStore);
    await moduleRef.close();
  });

  it('uses the store a test swaps in, sealed records and all', async () => {
    const store = new RecordingStore();
    const moduleRef = await build(store);
    const actor = { tenant: 'acme', admin: false };
    const created = await moduleRef.get(KeyLifecycle).create(actor, KeyType.AES_256_GCM, 'payments');
    expect(created.result).toMatchObject({ key_id: 'payments', tenant: 'acme', latest_version: 1 });
    expect(store.commits).toHaveLength(1);
    expect(store.commits[0]).toMatchObject({ ref: { tenant: 'acme', id: 'payments' }, rev: 1, keyDelta: 1, versionDelta: 1 });
    // What the store holds is sealed: the metadata is an opaque string with its MAC, the material wrapped.
    const raw = await store.read({ tenant: 'acme', id: 'payments' }, 'all');
    expect(raw?.mac).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(JSON.parse(raw!.versions.get(1)!)).toEqual({ created_at: expect.any(String), wrapped: expect.any(String), hmac: expect.any(String) });
    await moduleRef.close();
  });
});
