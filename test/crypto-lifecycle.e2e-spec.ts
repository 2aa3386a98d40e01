import type Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { AutoRotation, ROTATION_BATCH } from '../src/crypto/keys/auto-rotation.service';
import { KEY_CLOCK, KeyClock } from '../src/crypto/keys/key-clock';
import { auditEvents, b64 } from './helpers/crypto';
import { listenOnce } from './helpers/raw-http';
import { ReplicaPair, SHARED_REDIS_URL, connectRedis, deleteKeys, startReplicaPair } from './helpers/redis';
import { TENANT_ENV, TENANT_KEYS, as } from './helpers/tenants';
import { TestApp, createTestApp } from './helpers/test-app';

jest.setTimeout(60_000);

const MASTER_KEY = randomBytes(32).toString('base64');
const HOUR_MS = 3_600_000;
/** No background passes: the tests run AutoRotation.runOnce() themselves, at the time they choose. */
const BASE_ENV = { ...TENANT_ENV, MFN_MASTER_KEY: MASTER_KEY, MFN_CRYPTO_AUTO_ROTATE_CHECK_S: '0' };

type Client = ReturnType<typeof as>;

/** Moves the key clock of `t` (one shared object, so every replica of this process sees it). */
function fakeClock(t: TestApp, start: number): { at(ms: number): void; advance(ms: number): void; now(): number } {
  let now = start;
  jest.spyOn(t.app.get<KeyClock>(KEY_CLOCK), 'now').mockImplementation(() => now);
  return {
    at: (ms) => (now = ms),
    advance: (ms) => (now += ms),
    now: () => now,
  };
}

const autoRotation = (t: TestApp): AutoRotation => t.app.get(AutoRotation);

/** The error envelope every refusal answers with: code, message and the request id. */
function expectError(res: { body: Record<string, unknown> }, code: string, message?: string | RegExp): void {
  expect(res.body.error_code).toBe(code);
  expect(typeof res.body.request_id).toBe('string');
  if (message !== undefined) expect(res.body.message).toEqual(typeof message === 'string' ? message : expect.stringMatching(message));
}

const byteOrder = (ids: string[]): string[] => [...ids].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));

interface Store {
  name: string;
  /** Redis key of a record in the store of `t` (Redis only). */
  recordKey?: (t: TestApp, tenant: string, id: string) => string;
}

const STORES: Store[] = [
  { name: 'memory' },
  { name: 'redis', recordKey: (t, tenant, id) => `${t.config.crypto.redisPrefix}key:${tenant}/${id}` },
];

describe.each(STORES)('crypto key lifecycle ($name key store)', (store) => {
  const apps: TestApp[] = [];
  const prefixes: string[] = [];
  let inspector: Redis | undefined;

  /** A fresh app (own store, own Redis prefix) with `env` on top of the tenants. */
  async function boot(env: Record<string, string> = {}): Promise<TestApp> {
    const storeEnv: Record<string, string> = {};
    if (store.recordKey) {
      const prefix = `mfn:test:lifecycle:${randomBytes(6).toString('hex')}:`;
      prefixes.push(prefix);
      Object.assign(storeEnv, { MFN_REDIS_URL: SHARED_REDIS_URL, MFN_CRYPTO_REDIS_PREFIX: prefix });
    }
    const t = await createTestApp({ ...BASE_ENV, ...storeEnv, ...env });
    apps.push(t);
    // Listening once: supertest would otherwise open and close a listener per request.
    await listenOnce(t.server);
    return t;
  }

  beforeAll(async () => {
    if (!store.recordKey) return;
    inspector = await connectRedis();
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  afterAll(async () => {
    for (const t of apps.splice(0)) await t.close();
    if (inspector) {
      for (const prefix of prefixes) await deleteKeys(inspector, `${prefix}*`);
      inspector.disconnect();
    }
  });

  describe('automatic rotation', () => {
    let t: TestApp;
    let A: Client;

    beforeAll(async () => {
      t = await boot();
      A = as(t, TENANT_KEYS.a);
    });

    it('rotates once when the period has passed, audits it as automatic, and again one period later', async () => {
      const clock = fakeClock(t, Date.parse('2030-01-01T00:00:00.000Z'));
      const created = await A.post('/api/keys', { type: 'AES-256-GCM', key_id: 'rotor' }).expect(201);
      expect(created.body).toMatchObject({ created_at: '2030-01-01T00:00:00.000Z', auto_rotate_period: 0, next_rotation_at: null });
      const before = await A.post('/api/encrypt', { plaintext: b64('before rotation'), key_id: 'rotor' }).expect(200);

      const cfg = await A.post('/api/keys/rotor/config', { auto_rotate_period: 3600 }).expect(200);
      expect(cfg.body).toMatchObject({ auto_rotate_period: 3600, next_rotation_at: '2030-01-01T01:00:00.000Z' });
      const described = await A.get('/api/keys/rotor').expect(200);
      expect(described.body.next_rotation_at).toBe('2030-01-01T01:00:00.000Z');

      // Not yet due: a second before the schedule nothing happens.
      clock.advance(HOUR_MS - 1000);
      expect(await autoRotation(t).runOnce()).toBe(0);
      expect((await A.get('/api/keys/rotor').expect(200)).body.latest_version).toBe(1);

      clock.advance(2000);
      expect(await autoRotation(t).runOnce()).toBe(1);
      const rotated = await A.get('/api/keys/rotor').expect(200);
      expect(rotated.body).toMatchObject({ latest_version: 2, next_rotation_at: '2030-01-01T02:00:01.000Z' });
      expect(rotated.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
      expect(rotated.body.versions[1].created_at).toBe('2030-01-01T01:00:01.000Z');
      const events = auditEvents(t, 'key_rotated').filter((e) => (e.details as Record<string, unknown>).key_id === 'rotor');
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ success: true, details: { tenant: 'tenant-a', key_id: 'rotor', version: 2, automatic: true } });

      // Same time again: already rotated, nothing more.
      expect(await autoRotation(t).runOnce()).toBe(0);
      expect((await A.get('/api/keys/rotor').expect(200)).body.latest_version).toBe(2);

      // New data uses v2; data of v1 still opens.
      const after = await A.post('/api/encrypt', { plaintext: b64('after rotation'), key_id: 'rotor' }).expect(200);
      expect(after.body.key_version).toBe(2);
      const dec = await A.post('/api/decrypt', { ciphertext: before.body.ciphertext, key_id: 'rotor' }).expect(200);
      expect(Buffer.from(dec.body.plaintext, 'base64').toString()).toBe('before rotation');

      clock.advance(HOUR_MS);
      expect(await autoRotation(t).runOnce()).toBe(1);
      expect((await A.get('/api/keys/rotor').expect(200)).body).toMatchObject({ latest_version: 3, next_rotation_at: '2030-01-01T03:00:01.000Z' });
      expect(auditEvents(t, 'key_rotated').filter((e) => (e.details as Record<string, unknown>).key_id === 'rotor')).toHaveLength(2);
      // Unscheduled again, so the next test's passes see only its own key.
      await A.post('/api/keys/rotor/config', { auto_rotate_period: 0 }).expect(200);
    });

    it('a manual rotation restarts the period; auto_rotate_period 0 unschedules', async () => {
      const clock = fakeClock(t, Date.parse('2031-06-01T00:00:00.000Z'));
      await A.post('/api/keys', { type: 'Ed25519', key_id: 'manual-rotor' }).expect(201);
      await A.post('/api/keys/manual-rotor/config', { auto_rotate_period: 7200 }).expect(200);
      clock.advance(HOUR_MS);
      const manual = await A.post('/api/keys/manual-rotor/rotate', {}).expect(200);
      expect(manual.body).toMatchObject({ latest_version: 2, next_rotation_at: '2031-06-01T03:00:00.000Z' });
      const latest = async () => (await A.get('/api/keys/manual-rotor').expect(200)).body.latest_version as number;
      clock.advance(HOUR_MS + 1000);
      expect(await autoRotation(t).runOnce()).toBe(0);
      expect(await latest()).toBe(2);
      clock.advance(HOUR_MS);
      expect(await autoRotation(t).runOnce()).toBe(1);
      expect(await latest()).toBe(3);

      const off = await A.post('/api/keys/manual-rotor/config', { auto_rotate_period: 0 }).expect(200);
      expect(off.body).toMatchObject({ auto_rotate_period: 0, next_rotation_at: null });
      clock.advance(10 * HOUR_MS);
      expect(await autoRotation(t).runOnce()).toBe(0);
      expect(await latest()).toBe(3);
    });

    it("keys that cannot rotate (a tenant at its version quota) do not hold up other tenants' due keys", async () => {
      const q = await boot({ MFN_CRYPTO_MAX_VERSIONS_PER_TENANT: String(ROTATION_BATCH) });
      const clock = fakeClock(q, Date.parse('2033-01-01T00:00:00.000Z'));
      const full = as(q, TENANT_KEYS.a);
      // A whole pass's worth of tenant-a keys, due first, every one refused by the tenant's version quota.
      for (let i = 0; i < ROTATION_BATCH; i++) {
        await full.post('/api/keys', { type: 'AES-256-GCM', key_id: `stuck-${i}` }).expect(201);
        await full.post(`/api/keys/stuck-${i}/config`, { auto_rotate_period: 3600 }).expect(200);
      }
      clock.advance(1000);
      const B = as(q, TENANT_KEYS.b);
      await B.post('/api/keys', { type: 'AES-256-GCM', key_id: 'due-later' }).expect(201);
      await B.post('/api/keys/due-later/config', { auto_rotate_period: 3600 }).expect(200);

      clock.advance(HOUR_MS);
      expect(await autoRotation(q).runOnce()).toBe(1);
      expect((await B.get('/api/keys/due-later').expect(200)).body.latest_version).toBe(2);
      expect((await full.get('/api/keys/stuck-0').expect(200)).body.latest_version).toBe(1);
    });

    it('auto_rotate_period below an hour is refused 400; a period longer than ten years 422', async () => {
      await A.post('/api/keys', { type: 'AES-256-GCM', key_id: 'too-fast' }).expect(201);
      const res = await A.post('/api/keys/too-fast/config', { auto_rotate_period: 60 }).expect(400);
      expectError(res, 'INVALID_REQUEST', 'auto_rotate_period must be 0 (off) or at least 3600 seconds');
      await A.post('/api/keys/too-fast/config', { auto_rotate_period: 3599 }).expect(400);
      await A.post('/api/keys/too-fast/config', { auto_rotate_period: 315_360_001 }).expect(422);
      const meta = await A.get('/api/keys/too-fast').expect(200);
      expect(meta.body).toMatchObject({ auto_rotate_period: 0, next_rotation_at: null });
    });
  });

  describe('deletion', () => {
    let t: TestApp;
    let A: Client;

    beforeAll(async () => {
      t = await boot({ MFN_CRYPTO_MAX_KEYS_PER_TENANT: '2' });
      A = as(t, TENANT_KEYS.a);
    });

    it('needs deletion_allowed; then destroys the key for good, frees the quota, and a new key of the same id opens nothing old', async () => {
      await A.post('/api/keys', { type: 'AES-256-GCM', key_id: 'doomed' }).expect(201);
      await A.post('/api/keys', { type: 'AES-256-GCM', key_id: 'keeper' }).expect(201);
      const full = await A.post('/api/keys', { type: 'AES-256-GCM', key_id: 'third' }).expect(409);
      expectError(full, 'CONFLICT', 'Key limit reached: at most 2 keys per tenant');
      await A.post('/api/keys/doomed/rotate', {}).expect(200);
      const enc = await A.post('/api/encrypt', { plaintext: b64('shred me'), key_id: 'doomed' }).expect(200);
      const recordKey = store.recordKey?.(t, 'tenant-a', 'doomed');
      if (recordKey) expect(await inspector!.exists(recordKey)).toBe(1);

      const refused = await A.delete('/api/keys/doomed').expect(409);
      expectError(refused, 'CONFLICT', "Key 'doomed' cannot be deleted: set deletion_allowed to true in its config first");
      await A.post('/api/decrypt', { ciphertext: enc.body.ciphertext, key_id: 'doomed' }).expect(200);

      const cfg = await A.post('/api/keys/doomed/config', { deletion_allowed: true }).expect(200);
      expect(cfg.body.deletion_allowed).toBe(true);
      // B cannot delete A's key even when it is deletable: to B it is a missing key.
      await as(t, TENANT_KEYS.b).delete('/api/keys/doomed?tenant=tenant-a').expect(404);
      await as(t, TENANT_KEYS.b).delete('/api/keys/doomed').expect(404);
      const deleted = await A.delete('/api/keys/doomed').expect(204);
      expect(deleted.text).toBe('');
      const event = auditEvents(t, 'key_deleted').find((e) => (e.details as Record<string, unknown>).key_id === 'doomed');
      expect(event).toMatchObject({ details: { tenant: 'tenant-a', key_id: 'doomed', versions_destroyed: 2 } });

      expectError(await A.get('/api/keys/doomed').expect(404), 'NOT_FOUND', "Key 'doomed' not found");
      expectError(await A.post('/api/decrypt', { ciphertext: enc.body.ciphertext, key_id: 'doomed' }).expect(404), 'NOT_FOUND', "Key 'doomed' not found");
      await A.delete('/api/keys/doomed').expect(404);
      await A.post('/api/keys/doomed/rotate', {}).expect(404);
      const listed = await A.get('/api/keys').expect(200);
      expect(listed.body.keys).toEqual(['keeper']);
      if (recordKey) {
        expect(await inspector!.exists(recordKey)).toBe(0);
        expect(await inspector!.zscore(`${t.config.crypto.redisPrefix}index:tenant-a`, 'doomed')).toBeNull();
        expect(await inspector!.hmget(`${t.config.crypto.redisPrefix}usage:tenant-a`, 'keys', 'versions')).toEqual(['1', '1']);
      }

      // The quota slot is free again, and the id can be reused: a new key, whose v1 is not the old v1.
      const again = await A.post('/api/keys', { type: 'AES-256-GCM', key_id: 'doomed' }).expect(201);
      expect(again.body).toMatchObject({ latest_version: 1, deletion_allowed: false });
      await A.post('/api/keys/doomed/rotate', {}).expect(200);
      const reborn = await A.post('/api/decrypt', { ciphertext: enc.body.ciphertext, key_id: 'doomed' }).expect(400);
      expectError(reborn, 'DECRYPTION_FAILED');
      await A.post('/api/keys', { type: 'AES-256-GCM', key_id: 'third' }).expect(409);
    });

    it("deleting a tenant's default key: the next encrypt without key_id makes a new default", async () => {
      const B = as(t, TENANT_KEYS.b);
      const first = await B.post('/api/encrypt', { plaintext: b64('old default') }).expect(200);
      const id = first.body.key_id as string;
      await B.post(`/api/keys/${id}/config`, { deletion_allowed: true }).expect(200);
      await B.delete(`/api/keys/${id}`).expect(204);
      expectError(await B.post('/api/decrypt', { ciphertext: first.body.ciphertext }).expect(400), 'DECRYPTION_FAILED');
      const next = await B.post('/api/encrypt', { plaintext: b64('new default') }).expect(200);
      expect(next.body.key_id).not.toBe(id);
      expect(next.body.key_version).toBe(1);
      expectError(await B.post('/api/decrypt', { ciphertext: first.body.ciphertext }).expect(400), 'DECRYPTION_FAILED');
      const dec = await B.post('/api/decrypt', { ciphertext: next.body.ciphertext }).expect(200);
      expect(Buffer.from(dec.body.plaintext, 'base64').toString()).toBe('new default');
    });
  });

  describe('trim, version rules and key_version', () => {
    let t: TestApp;
    let A: Client;

    beforeAll(async () => {
      t = await boot();
      A = as(t, TENANT_KEYS.a);
    });

    it('trim destroys the versions below min_decryption_version; they never decrypt again and cannot be re-enabled', async () => {
      await A.post('/api/keys', { type: 'AES-256-GCM', key_id: 'trimmed' }).expect(201);
      const v1 = await A.post('/api/encrypt', { plaintext: b64('v1 data'), key_id: 'trimmed' }).expect(200);
      for (let i = 0; i < 3; i++) await A.post('/api/keys/trimmed/rotate', {}).expect(200);
      const v3 = await A.post('/api/encrypt', { plaintext: b64('v3 data'), key_id: 'trimmed', key_version: 3 }).expect(200);
      expect(v3.body.key_version).toBe(3);
      const recordKey = store.recordKey?.(t, 'tenant-a', 'trimmed');
      if (recordKey) expect((await inspector!.hkeys(recordKey)).filter((f) => f.startsWith('v:')).sort()).toEqual(['v:1', 'v:2', 'v:3', 'v:4']);

      // Trim may not go past min_decryption_version.
      const early = await A.post('/api/keys/trimmed/trim', { min_available_version: 2 }).expect(400);
      expectError(early, 'INVALID_REQUEST', /min_available_version must be between 1 .* and 1/);
      await A.post('/api/keys/trimmed/config', { min_decryption_version: 3 }).expect(200);
      expectError(await A.post('/api/decrypt', { ciphertext: v1.body.ciphertext, key_id: 'trimmed' }).expect(400), 'DECRYPTION_FAILED');
      expectError(await A.post('/api/keys/trimmed/trim', { min_available_version: 4 }).expect(400), 'INVALID_REQUEST');
      await A.post('/api/keys/trimmed/trim', { min_available_version: 0 }).expect(422);

      const trimmed = await A.post('/api/keys/trimmed/trim', {}).expect(200);
      expect(trimmed.body).toMatchObject({ latest_version: 4, min_available_version: 3, min_decryption_version: 3 });
      const meta = await A.get('/api/keys/trimmed').expect(200);
      expect(meta.body.min_available_version).toBe(3);
      expect(meta.body.versions.map((v: { version: number }) => v.version)).toEqual([3, 4]);
      const event = auditEvents(t, 'key_trimmed').find((e) => (e.details as Record<string, unknown>).key_id === 'trimmed');
      expect(event).toMatchObject({ details: { min_available_version: 3 } });
      if (recordKey) expect((await inspector!.hkeys(recordKey)).filter((f) => f.startsWith('v:')).sort()).toEqual(['v:3', 'v:4']);

      // Retired, then destroyed: lowering the rule again cannot bring v1/v2 back.
      const lower = await A.post('/api/keys/trimmed/config', { min_decryption_version: 2 }).expect(400);
      expectError(lower, 'INVALID_REQUEST', 'min_decryption_version must be between 3 and the latest version (4)');
      expectError(await A.post('/api/decrypt', { ciphertext: v1.body.ciphertext, key_id: 'trimmed' }).expect(400), 'DECRYPTION_FAILED');
      await A.post('/api/encrypt', { plaintext: b64('x'), key_id: 'trimmed', key_version: 2 }).expect(400);
      // Trimming again to the same point is a no-op; below it is refused.
      await A.post('/api/keys/trimmed/trim', {}).expect(200);
      expectError(await A.post('/api/keys/trimmed/trim', { min_available_version: 2 }).expect(400), 'INVALID_REQUEST');
      const dec = await A.post('/api/decrypt', { ciphertext: v3.body.ciphertext, key_id: 'trimmed' }).expect(200);
      expect(Buffer.from(dec.body.plaintext, 'base64').toString()).toBe('v3 data');
    });

    it('key_version: at least min_encryption_version, at most the latest; 0 allows every decryptable version', async () => {
      await A.post('/api/keys', { type: 'AES-256-GCM', key_id: 'versions' }).expect(201);
      await A.post('/api/keypair', { key_id: 'signer' }).expect(200);
      for (let i = 0; i < 3; i++) {
        await A.post('/api/keys/versions/rotate', {}).expect(200);
        await A.post('/api/keys/signer/rotate', {}).expect(200);
      }
      const encrypt = (key_version: number) => A.post('/api/encrypt', { plaintext: b64('pick a version'), key_id: 'versions', key_version });
      const sign = (key_version: number) => A.post('/api/sign', { message: b64('pick a version'), key_id: 'signer', key_version });

      // Default (min_encryption_version 0) with min_decryption_version 1: any of 1..4.
      for (const v of [1, 2, 4]) expect((await encrypt(v).expect(200)).body.key_version).toBe(v);
      expectError(await encrypt(5).expect(400), 'INVALID_REQUEST', 'key_version must be between 1 and 4');
      expectError(await sign(5).expect(400), 'INVALID_REQUEST', 'key_version must be between 1 and 4');
      await encrypt(0).expect(422);

      await A.post('/api/keys/versions/config', { min_encryption_version: 3 }).expect(200);
      await A.post('/api/keys/signer/config', { min_encryption_version: 3 }).expect(200);
      expectError(await encrypt(2).expect(400), 'INVALID_REQUEST', 'key_version must be between 3 and 4');
      expectError(await sign(2).expect(400), 'INVALID_REQUEST', 'key_version must be between 3 and 4');
      expect((await encrypt(3).expect(200)).body.key_version).toBe(3);
      const sig = await sign(3).expect(200);
      expect(sig.body.signature).toMatch(/^mfn:v3:/);
      const verified = await A.post('/api/verify', { message: b64('pick a version'), signature: sig.body.signature, key_id: 'signer' }).expect(200);
      expect(verified.body.valid).toBe(true);
      // The request may not go below min_encryption_version, but batch items are held to it too.
      const batch = await A.post('/api/encrypt', {
        key_id: 'versions',
        batch_input: [{ plaintext: b64('a'), key_version: 3 }, { plaintext: b64('b'), key_version: 1 }],
      }).expect(200);
      expect(batch.body.batch_results[0].key_version).toBe(3);
      expect(batch.body.batch_results[1].error).toMatchObject({ code: 'INVALID_REQUEST' });

      // min_encryption_version below min_decryption_version is refused.
      await A.post('/api/keys/versions/config', { min_decryption_version: 2, min_encryption_version: 0 }).expect(200);
      expectError(await A.post('/api/keys/versions/config', { min_encryption_version: 1 }).expect(400), 'INVALID_REQUEST');
      expectError(await A.post('/api/keys/versions/config', { min_encryption_version: 5 }).expect(400), 'INVALID_REQUEST');
      // Back to 0: every version from min_decryption_version up works.
      expectError(await encrypt(1).expect(400), 'INVALID_REQUEST', 'key_version must be between 2 and 4');
      for (const v of [2, 3, 4]) expect((await encrypt(v).expect(200)).body.key_version).toBe(v);
      await A.post('/api/keys/signer/config', { min_encryption_version: 0 }).expect(200);
      expect((await sign(1).expect(200)).body.signature).toMatch(/^mfn:v1:/);
    });

    it('GET /api/keys pages through the tenant in byte order with limit/after/next_cursor', async () => {
      const B = as(t, TENANT_KEYS.b);
      const ids = ['zeta', 'Zeta', 'a.b', 'a-b', 'a:b', '0num', 'a_b'];
      for (const id of ids) await B.post('/api/keys', { type: 'AES-256-GCM', key_id: id }).expect(201);
      const def = await B.post('/api/encrypt', { plaintext: b64('x') }).expect(200);
      const signer = await B.post('/api/sign', { message: b64('x') }).expect(200);
      const expected = byteOrder([...ids, def.body.key_id, signer.body.key_id]);
      expect(expected.slice(0, 3)).toEqual(['0num', 'Zeta', 'a-b']);

      const all = await B.get('/api/keys').expect(200);
      expect(all.body).toEqual({ keys: expected, next_cursor: null });
      const exact = await B.get(`/api/keys?limit=${expected.length}`).expect(200);
      expect(exact.body).toEqual({ keys: expected, next_cursor: null });
      const oneShort = await B.get(`/api/keys?limit=${expected.length - 1}`).expect(200);
      expect(oneShort.body).toEqual({ keys: expected.slice(0, -1), next_cursor: expected[expected.length - 2] });

      const pages: string[][] = [];
      let after: string | undefined;
      do {
        const res = await B.get(`/api/keys?limit=3${after === undefined ? '' : `&after=${encodeURIComponent(after)}`}`).expect(200);
        pages.push(res.body.keys);
        after = res.body.next_cursor ?? undefined;
        if (after !== undefined) expect(after).toBe(res.body.keys[res.body.keys.length - 1]);
      } while (after !== undefined && pages.length < 10);
      expect(pages).toEqual([expected.slice(0, 3), expected.slice(3, 6), expected.slice(6, 9)]);

      // A cursor need not be an existing id; past the end is an empty last page.
      expect((await B.get('/api/keys?after=a').expect(200)).body.keys).toEqual(expected.filter((id) => Buffer.compare(Buffer.from(id), Buffer.from('a')) > 0));
      expect((await B.get('/api/keys?after=zzz').expect(200)).body).toEqual({ keys: [], next_cursor: null });

      for (const query of ['limit=0', 'limit=1001', 'limit=-1', 'limit=abc', 'after=a%2Fb']) {
        const res = await B.get(`/api/keys?${query}`).expect(422);
        expectError(res, 'VALIDATION_ERROR');
      }
    });
  });

  describe('version caps', () => {
    it('MFN_CRYPTO_MAX_VERSIONS_PER_KEY: rotation past the cap is 409 with the trim hint; after a trim it rotates again', async () => {
      const t = await boot({ MFN_CRYPTO_MAX_VERSIONS_PER_KEY: '3' });
      const A = as(t, TENANT_KEYS.a);
      await A.post('/api/keys', { type: 'AES-256-GCM', key_id: 'capped' }).expect(201);
      await A.post('/api/keys/capped/rotate', {}).expect(200);
      await A.post('/api/keys/capped/rotate', {}).expect(200);
      const capped = await A.post('/api/keys/capped/rotate', {}).expect(409);
      expectError(capped, 'CONFLICT', "Key 'capped' holds the maximum of 3 versions; trim versions below min_decryption_version first");
      expect((await A.get('/api/keys/capped').expect(200)).body.latest_version).toBe(3);

      // Retiring alone does not free a slot: the versions are still stored.
      await A.post('/api/keys/capped/config', { min_decryption_version: 2 }).expect(200);
      await A.post('/api/keys/capped/rotate', {}).expect(409);
      await A.post('/api/keys/capped/trim', {}).expect(200);
      const rotated = await A.post('/api/keys/capped/rotate', {}).expect(200);
      expect(rotated.body).toMatchObject({ latest_version: 4, min_available_version: 2 });
      await A.post('/api/keys/capped/rotate', {}).expect(409);

      // Automatic rotation is held to the cap as well, and retried on a later pass.
      const clock = fakeClock(t, Date.now());
      await A.post('/api/keys/capped/config', { auto_rotate_period: 3600 }).expect(200);
      clock.advance(2 * HOUR_MS);
      expect(await autoRotation(t).runOnce()).toBe(0);
      expect((await A.get('/api/keys/capped').expect(200)).body.latest_version).toBe(4);
      await A.post('/api/keys/capped/config', { min_decryption_version: 3 }).expect(200);
      await A.post('/api/keys/capped/trim', {}).expect(200);
      expect(await autoRotation(t).runOnce()).toBe(1);
      expect((await A.get('/api/keys/capped').expect(200)).body).toMatchObject({ latest_version: 5, min_available_version: 3 });
    });

    it('MFN_CRYPTO_MAX_VERSIONS_PER_TENANT counts every version of every key; trim and delete give them back', async () => {
      const t = await boot({ MFN_CRYPTO_MAX_VERSIONS_PER_TENANT: '4' });
      const A = as(t, TENANT_KEYS.a);
      await A.post('/api/keys', { type: 'AES-256-GCM', key_id: 'one' }).expect(201);
      await A.post('/api/keys', { type: 'Ed25519', key_id: 'two' }).expect(201);
      await A.post('/api/keys/one/rotate', {}).expect(200);
      await A.post('/api/keys/two/rotate', {}).expect(200);
      const message = 'Version limit reached: at most 4 stored key versions per tenant; trim or delete old keys';
      expectError(await A.post('/api/keys/one/rotate', {}).expect(409), 'CONFLICT', message);
      expectError(await A.post('/api/keys/two/rotate', {}).expect(409), 'CONFLICT', message);
      // A new key needs a version too.
      expectError(await A.post('/api/keys', { type: 'AES-256-GCM', key_id: 'three' }).expect(409), 'CONFLICT', message);
      expectError(await A.post('/api/encrypt', { plaintext: b64('needs a default') }).expect(409), 'CONFLICT', message);
      // Another tenant has its own count.
      await as(t, TENANT_KEYS.b).post('/api/keys', { type: 'AES-256-GCM', key_id: 'one' }).expect(201);

      await A.post('/api/keys/one/config', { min_decryption_version: 2 }).expect(200);
      await A.post('/api/keys/one/trim', {}).expect(200);
      await A.post('/api/keys/one/rotate', {}).expect(200);
      await A.post('/api/keys/one/rotate', {}).expect(409);

      await A.post('/api/keys/two/config', { deletion_allowed: true }).expect(200);
      await A.delete('/api/keys/two').expect(204);
      await A.post('/api/keys/one/rotate', {}).expect(200);
      await A.post('/api/keys', { type: 'AES-256-GCM', key_id: 'three' }).expect(201);
      await A.post('/api/keys/three/rotate', {}).expect(409);
      expect((await A.get('/api/keys/one').expect(200)).body).toMatchObject({ latest_version: 4, min_available_version: 2 });
      if (store.recordKey) {
        expect(await inspector!.hmget(`${t.config.crypto.redisPrefix}usage:tenant-a`, 'keys', 'versions')).toEqual(['2', '4']);
      }
    });
  });
});

describe('key lifecycle across two replicas on one Redis', () => {
  let pair: ReplicaPair;
  const prefix = `mfn:test:lifecycle:${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    pair = await startReplicaPair({ ...BASE_ENV, MFN_REDIS_URL: SHARED_REDIS_URL, MFN_CRYPTO_REDIS_PREFIX: `${prefix}:` }, prefix);
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });
  afterAll(async () => {
    await pair.close();
  });

  it('both replicas run the pass at once: each due key rotates exactly once in total', async () => {
    const A1 = as(pair.a, TENANT_KEYS.a);
    const A2 = as(pair.b, TENANT_KEYS.a);
    // Both apps read the same clock object; one spy moves both.
    expect(pair.a.app.get(KEY_CLOCK)).toBe(pair.b.app.get(KEY_CLOCK));
    const clock = fakeClock(pair.a, Date.parse('2032-03-01T00:00:00.000Z'));
    const ids = ['r1', 'r2', 'r3', 'r4'];
    for (const id of ids) {
      await A1.post('/api/keys', { type: 'AES-256-GCM', key_id: id }).expect(201);
      await A2.post(`/api/keys/${id}/config`, { auto_rotate_period: 3600 }).expect(200);
    }
    const schedule = await pair.inspector.zrange(`${prefix}:rotation`, 0, -1, 'WITHSCORES');
    expect(schedule).toEqual(ids.flatMap((id) => [`tenant-a/${id}`, String(Date.parse('2032-03-01T01:00:00.000Z'))]));

    for (let round = 1; round <= 2; round++) {
      clock.advance(HOUR_MS + 1000);
      const counts = await Promise.all([autoRotation(pair.a).runOnce(), autoRotation(pair.b).runOnce()]);
      expect(counts[0] + counts[1]).toBe(ids.length);
      for (const id of ids) {
        const meta = await A2.get(`/api/keys/${id}`).expect(200);
        expect(meta.body.latest_version).toBe(round + 1);
        expect(meta.body.versions).toHaveLength(round + 1);
      }
      const again = await Promise.all([autoRotation(pair.a).runOnce(), autoRotation(pair.b).runOnce()]);
      expect(again).toEqual([0, 0]);
    }
    const automatic = [...auditEvents(pair.a, 'key_rotated'), ...auditEvents(pair.b, 'key_rotated')].filter(
      (e) => (e.details as Record<string, unknown>).automatic === true,
    );
    expect(automatic).toHaveLength(2 * ids.length);
    const usage = await pair.inspector.hmget(`${prefix}:usage:tenant-a`, 'keys', 'versions');
    expect(usage).toEqual([String(ids.length), String(3 * ids.length)]);
  });
  it("a key deleted or trimmed on one replica opens nothing on the other, though the other had it in use", async () => {
    const A1 = as(pair.a, TENANT_KEYS.a);
    const A2 = as(pair.b, TENANT_KEYS.a);
    await A1.post('/api/keys', { type: 'AES-256-GCM', key_id: 'shredded' }).expect(201);
    await A1.post('/api/keys', { type: 'AES-256-GCM', key_id: 'pruned' }).expect(201);
    const shredded = await A1.post('/api/encrypt', { plaintext: b64('gone'), key_id: 'shredded' }).expect(200);
    const pruned = await A1.post('/api/encrypt', { plaintext: b64('pruned'), key_id: 'pruned' }).expect(200);
    const aDefault = await A2.post('/api/encrypt', { plaintext: b64('default') }).expect(200);
    // Replica 2 opens all three first, so it holds their material.
    for (const [res, key_id] of [[shredded, 'shredded'], [pruned, 'pruned'], [aDefault, undefined]] as const) {
      await A2.post('/api/decrypt', { ciphertext: res.body.ciphertext, key_id }).expect(200);
    }

    await A1.post('/api/keys/shredded/config', { deletion_allowed: true }).expect(200);
    await A1.delete('/api/keys/shredded').expect(204);
    expectError(await A2.post('/api/decrypt', { ciphertext: shredded.body.ciphertext, key_id: 'shredded' }).expect(404), 'NOT_FOUND');
    await A1.post('/api/keys', { type: 'AES-256-GCM', key_id: 'shredded' }).expect(201);
    expectError(await A2.post('/api/decrypt', { ciphertext: shredded.body.ciphertext, key_id: 'shredded' }).expect(400), 'DECRYPTION_FAILED');

    await A1.post('/api/keys/pruned/rotate', {}).expect(200);
    await A1.post('/api/keys/pruned/config', { min_decryption_version: 2 }).expect(200);
    await A1.post('/api/keys/pruned/trim', {}).expect(200);
    expectError(await A2.post('/api/decrypt', { ciphertext: pruned.body.ciphertext, key_id: 'pruned' }).expect(400), 'DECRYPTION_FAILED');
    const fields = await pair.inspector.hkeys(`${prefix}:key:tenant-a/pruned`);
    expect(fields.filter((f) => f.startsWith('v:'))).toEqual(['v:2']);

    // The default deleted on replica 1: replica 2 makes a new one instead of using the old.
    await A1.post(`/api/keys/${aDefault.body.key_id}/config`, { deletion_allowed: true }).expect(200);
    await A1.delete(`/api/keys/${aDefault.body.key_id}`).expect(204);
    expectError(await A2.post('/api/decrypt', { ciphertext: aDefault.body.ciphertext }).expect(400), 'DECRYPTION_FAILED');
    const fresh = await A2.post('/api/encrypt', { plaintext: b64('default 2') }).expect(200);
    expect(fresh.body.key_id).not.toBe(aDefault.body.key_id);
    expect(await pair.inspector.get(`${prefix}:default:tenant-a:encryption`)).toBe(fresh.body.key_id);
  });
});
