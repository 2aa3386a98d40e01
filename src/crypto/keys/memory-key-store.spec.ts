import { MemoryKeyStore } from './memory-key-store';
import { KeyType, StoredKeyMeta, StoredKeyVersion } from './key-types';

const version = (n: number): StoredKeyVersion => ({ version: n, createdAt: 't', wrapped: `w${n}` });
const meta = (id: string, owner?: string): StoredKeyMeta => ({
  id,
  type: KeyType.AES_256_GCM,
  createdAt: 't',
  owner,
  latestVersion: 1,
  minDecryptionVersion: 1,
});

describe('MemoryKeyStore', () => {
  it('creates once per id and enforces the per-owner quota', async () => {
    const store = new MemoryKeyStore();
    expect(await store.create({ meta: meta('a', 'o'), firstVersion: version(1), quota: 2 })).toEqual({ status: 'created' });
    expect(await store.create({ meta: meta('a', 'o'), firstVersion: version(1), quota: 2 })).toEqual({ status: 'exists' });
    expect(await store.create({ meta: meta('b', 'o'), firstVersion: version(1), quota: 2 })).toEqual({ status: 'created' });
    expect(await store.create({ meta: meta('c', 'o'), firstVersion: version(1), quota: 2 })).toEqual({ status: 'quota_exceeded' });
    expect(await store.create({ meta: meta('c', 'p'), firstVersion: version(1), quota: 2 })).toEqual({ status: 'created' });
    expect(await store.read('c')).toBeDefined();
  });

  it('claims a default once; if_absent creates but keeps the first default', async () => {
    const store = new MemoryKeyStore();
    const claim = { role: 'encryption' as const, mode: 'claim' as const };
    expect(await store.create({ meta: meta('d1'), firstVersion: version(1), default: claim })).toEqual({ status: 'created' });
    expect(await store.create({ meta: meta('d2'), firstVersion: version(1), default: claim })).toEqual({ status: 'default_exists', id: 'd1' });
    expect(await store.read('d2')).toBeUndefined();
    const ifAbsent = { role: 'encryption' as const, mode: 'if_absent' as const };
    expect(await store.create({ meta: meta('d3'), firstVersion: version(1), default: ifAbsent })).toEqual({ status: 'created' });
    expect(await store.getDefault('encryption')).toBe('d1');
    expect(await store.getDefault('signing')).toBeUndefined();
  });

  it('appends versions only on top of the expected latest, and bounds min_decryption_version', async () => {
    const store = new MemoryKeyStore();
    await store.create({ meta: meta('r'), firstVersion: version(1) });
    expect(await store.addVersion('r', 1, version(2))).toBe('ok');
    expect(await store.addVersion('r', 1, version(2))).toBe('conflict');
    expect(await store.addVersion('missing', 1, version(2))).toBe('missing');
    expect((await store.read('r'))?.version?.wrapped).toBe('w2');
    expect((await store.read('r', 1))?.version?.wrapped).toBe('w1');
    expect((await store.read('r', 3))?.version).toBeUndefined();
    expect(await store.setMinDecryptionVersion('r', 3)).toBe('out_of_range');
    expect(await store.setMinDecryptionVersion('r', 2)).toBe('ok');
    expect((await store.readAll('r'))?.meta.minDecryptionVersion).toBe(2);
  });

  it('keeps the first key-check value', async () => {
    const store = new MemoryKeyStore();
    expect(await store.getCheckValue()).toBeUndefined();
    expect(await store.ensureCheckValue('first')).toBe('first');
    expect(await store.getCheckValue()).toBe('first');
    expect(await store.ensureCheckValue('second')).toBe('first');
  });
});
