import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../config';
import { CallKeys, DECRYPT, ENCRYPT } from './call-keys';
import type { CryptoCaller } from './caller';
import type { CryptoActivity, OperationTrace } from './crypto-activity';
import type { KeyResolver, UsableKey } from './keys/key-resolver.service';
import { KeyType } from './keys/key-types';
import { createAes256Key } from './primitives/aes-gcm';

/** Batches resolve each key version once, however many items use it. */
describe('CallKeys', () => {
  const material = new Map([1, 2].map((v) => [v, createAes256Key(randomBytes(32))]));
  const usable = (version: number): UsableKey =>
    ({ ref: { tenant: 't', id: 'k' }, meta: {}, material: { type: KeyType.AES_256_GCM, version, secretKey: material.get(version) }, path: 'owner', createdDefault: false }) as unknown as UsableKey;
  const resolver = {
    current: jest.fn(async (_a: unknown, _r: unknown, _s: unknown, v?: number) => usable(v ?? 2)),
    existing: jest.fn(async (_a: unknown, _r: unknown, _s: unknown, v: number) => ({ key: usable(v), ref: { tenant: 't', id: 'k' } })),
    latestVersionOf: jest.fn(),
  };
  const activity = { defaultCreated: jest.fn() } as unknown as CryptoActivity;
  const config = { crypto: { acceptUnversioned: false } } as unknown as AppConfig;
  const caller = { req: {}, actor: { tenant: 't' } } as unknown as CryptoCaller;

  it('seals and opens 50 items per version with one key lookup per version', async () => {
    const trace = { keyId: 'k', tenant: 't', algorithm: 'AES-256-GCM' } as OperationTrace;
    const keys = new CallKeys(config, resolver as unknown as KeyResolver, activity, caller, { keyId: 'k' }, trace);
    const sealed = [];
    for (let i = 0; i < 50; i++) {
      sealed.push(await keys.seal(ENCRYPT, Buffer.from(`item ${i}`), undefined));
      sealed.push(await keys.seal(ENCRYPT, Buffer.from(`old ${i}`), undefined, 1));
    }
    expect(resolver.current).toHaveBeenCalledTimes(2);
    for (const s of sealed) await keys.open(DECRYPT, s.ciphertext, undefined);
    expect(resolver.existing).toHaveBeenCalledTimes(2);
    keys.finishBatch(0);
    expect(trace.keyVersion).toBeUndefined();
    expect(trace.details).toEqual({ failed: 0, key_versions: [1, 2] });
  });
});
