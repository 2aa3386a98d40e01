import { KeyCommit } from './key-store';
import { MemoryKeyStore } from './memory-key-store';

const QUOTAS = { keys: 2, versions: 3 };

function commit(id: string, extra: Partial<KeyCommit> = {}): KeyCommit {
  return {
    ref: { tenant: 'acme', id },
    rev: 1,
    latest: 1,
    meta: `meta-${id}`,
    mac: 'mac',
    putVersions: [[1, 'v1']],
    keyDelta: 1,
    versionDelta: 1,
    quotas: QUOTAS,
    ...extra,
  };
}

describe('MemoryKeyStore', () => {
  it('creates once, then commits only on top of the revision it holds', async () => {
    const store = new MemoryKeyStore();
    expect(await store.commit(commit('a'))).toEqual({ status: 'ok' });
    expect(await store.commit(commit('a'))).toEqual({ status: 'exists' });
    const rotate = commit('a', { expectedRev: 1, rev: 2, latest: 2, putVersions: [[2, 'v2']], keyDelta: 0 });
    expect(await store.commit({ ...rotate, expectedRev: 5 })).toEqual({ status: 'conflict' });
    expect(await store.commit(rotate)).toEqual({ status: 'ok' });
    expect(await store.commit(rotate)).toEqual({ status: 'conflict' });
    const read = await store.read({ tenant: 'acme', id: 'a' }, 'latest');
    expect(read).toMatchObject({ rev: 2, latest: 2 });
    expect([...read!.versions]).toEqual([[2, 'v2']]);
    expect([...(await store.read({ tenant: 'acme', id: 'a' }, 'all'))!.versions]).toEqual([
      [1, 'v1'],
      [2, 'v2'],
    ]);
    expect(await store.read({ tenant: 'other', id: 'a' }, 'all')).toBeUndefined();
  });

  it('counts keys and versions per tenant and refuses past the quotas', async () => {
    const store = new MemoryKeyStore();
    await store.commit(commit('a'));
    await store.commit(commit('b'));
    expect(await store.commit(commit('c'))).toEqual({ status: 'key_quota' });
    expect(await store.commit({ ...commit('c'), ref: { tenant: 'beta', id: 'c' } })).toEqual({ status: 'ok' });
    const rotate = (rev: number) => commit('a', { expectedRev: rev, rev: rev + 1, latest: rev + 1, keyDelta: 0, putVersions: [[rev + 1, 'v']] });
    expect(await store.commit(rotate(1))).toEqual({ status: 'ok' });
    expect(await store.commit(rotate(2))).toEqual({ status: 'version_quota' });
    expect(await store.usage('acme')).toEqual({ keys: 2, versions: 3 });
    expect(await store.commit(commit('a', { expectedRev: 2, rev: 3, remove: true, keyDelta: -1, versionDelta: -2 }))).toEqual({ status: 'ok' });
    expect(await store.usage('acme')).toEqual({ keys: 1, versions: 1 });
    expect(await store.list('acme', undefined, 10)).toEqual(['b']);
  });

  it('claims a default once and pages ids in byte order', async () => {
    const store = new MemoryKeyStore();
    expect(await store.commit(commit('d1', { claimDefault: 'encryption' }))).toEqual({ status: 'ok' });
    expect(await store.commit(commit('d2', { claimDefault: 'encryption' }))).toEqual({ status: 'default_exists', id: 'd1' });
    expect(await store.getDefault('acme', 'encryption')).toBe('d1');
    expect(await store.getDefault('beta', 'encryption')).toBeUndefined();
    const wide = { keys: 10, versions: 10 };
    for (const id of ['b', 'a', 'C', 'c']) await store.commit(commit(id, { quotas: wide }));
    expect(await store.list('acme', undefined, 2)).toEqual(['C', 'a']);
    expect(await store.list('acme', 'a', 10)).toEqual(['b', 'c', 'd1']);
  });

  it('keeps the rotation schedule of each commit', async () => {
    const store = new MemoryKeyStore();
    await store.commit(commit('a', { rotateAt: 1000 }));
    await store.commit(commit('b', { rotateAt: 5000 }));
    expect(await store.dueForRotation(999, 10)).toEqual([]);
    expect(await store.dueForRotation(1000, 10)).toEqual([{ tenant: 'acme', id: 'a' }]);
    expect(await store.dueForRotation(5000, 1, 1)).toEqual([{ tenant: 'acme', id: 'b' }]);
    expect(await store.dueForRotation(5000, 10, 2)).toEqual([]);
    await store.commit(commit('a', { expectedRev: 1, rev: 2, keyDelta: 0, versionDelta: 0 }));
    expect(await store.dueForRotation(10_000, 10)).toEqual([{ tenant: 'acme', id: 'b' }]);
  });
});
