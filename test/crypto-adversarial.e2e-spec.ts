import type Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { KEY_STORE, KeyStore } from '../src/crypto/keys/key-store';
import { auditEvents, b64 } from './helpers/crypto';
import { listenOnce } from './helpers/raw-http';
import { SHARED_REDIS_URL, connectRedis, deleteKeys } from './helpers/redis';
import { TENANT_ENV, TENANT_KEYS, as, errorShape } from './helpers/tenants';
import { TestApp, createTestApp } from './helpers/test-app';

jest.setTimeout(60_000);

const MASTER_KEY = randomBytes(32).toString('base64');
type Client = ReturnType<typeof as>;

/** Values that start like a version prefix but whose version part is malformed. */
const MALFORMED_PREFIXES = ['mfn:v0:AAAA', 'mfn:v01:AAAA', 'mfn:v99999999999:AAAA', 'mfn:', 'mfn:v-1:AAAA', 'mfn:v1'];

/**
 * What a second tenant (or an odd request shape) can try against the per-tenant crypto API:
 * every answer about another tenant's key is the answer about a missing key, odd JSON is a 4xx,
 * and keys-admin manages other tenants' keys without ever gaining their use.
 */
describe('crypto API under attack (memory key store)', () => {
  let t: TestApp;
  let A: Client;
  let B: Client;
  let ops: Client;

  beforeAll(async () => {
    t = await createTestApp({ ...TENANT_ENV, MFN_MASTER_KEY: MASTER_KEY });
    await listenOnce(t.server);
    A = as(t, TENANT_KEYS.a);
    B = as(t, TENANT_KEYS.b);
    ops = as(t, TENANT_KEYS.ops);
    await A.post('/api/keys', { type: 'AES-256-GCM', key_id: 'payments' }).expect(201);
    await A.post('/api/keypair', { key_id: 'a-signer' }).expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  it.each(['/api/encrypt', '/api/decrypt', '/api/rewrap', '/api/sign', '/api/verify', '/api/hmac'])(
    'batch_input: null on %s is a 422 naming the field, not a 500',
    async (path) => {
      const res = await A.post(path, { key_id: 'payments', batch_input: null }).expect(422);
      expect(res.body.error_code).toBe('VALIDATION_ERROR');
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'body.batch_input' })]);
      expect(res.body.request_id).toEqual(expect.any(String));
    },
  );

  it.each(['/api/decrypt', '/api/rewrap'])(
    '%s with a malformed version prefix resolves the key first: unknown and foreign keys are 404, as for any other value',
    async (path) => {
      for (const ciphertext of MALFORMED_PREFIXES) {
        const foreign = await B.post(path, { ciphertext, key_id: 'payments', tenant: 'tenant-a' }).expect(404);
        const missing = await B.post(path, { ciphertext, key_id: 'never-made', tenant: 'tenant-a' }).expect(404);
        const ownMissing = await A.post(path, { ciphertext, key_id: 'never-made' }).expect(404);
        expect(errorShape(foreign, 'payments', 'K')).toEqual(errorShape(missing, 'never-made', 'K'));
        expect(ownMissing.body.error_code).toBe('NOT_FOUND');
        // The owner's own key: the value does not open, without saying why.
        const own = await A.post(path, { ciphertext, key_id: 'payments' }).expect(400);
        expect(own.body).toMatchObject({ error_code: 'DECRYPTION_FAILED', message: 'Decryption failed' });
      }
    },
  );

  it('prefix edge cases: bare and other-case prefixes are 400 INVALID_REQUEST; verify answers valid: false for a malformed prefix', async () => {
    for (const ciphertext of ['AAAA', 'MFN:v1:AAAA', 'vault:v1:AAAA']) {
      const res = await A.post('/api/decrypt', { ciphertext, key_id: 'payments' }).expect(400);
      expect(res.body.error_code).toBe('INVALID_REQUEST');
    }
    for (const signature of MALFORMED_PREFIXES) {
      const res = await A.post('/api/verify', { message: b64('m'), signature, key_id: 'a-signer' }).expect(200);
      expect(res.body.valid).toBe(false);
      await B.post('/api/verify', { message: b64('m'), signature, key_id: 'a-signer', tenant: 'tenant-a' }).expect(404);
    }
  });

  it("keys-admin cannot grant its own tenant another tenant's key, so it never gains its use", async () => {
    const res = await ops.put('/api/keys/a-signer/grants/ops?tenant=tenant-a', { operations: ['sign'] }).expect(403);
    expect(res.body.error_code).toBe('FORBIDDEN');
    await ops.post('/api/sign', { message: b64('m'), key_id: 'a-signer', tenant: 'tenant-a' }).expect(404);
    const described = await A.get('/api/keys/a-signer').expect(200);
    expect(described.body.grants).toEqual([]);
    // Managing for another tenant still works, and is audited as keys-admin.
    await ops.put('/api/keys/a-signer/grants/tenant-b?tenant=tenant-a', { operations: ['verify'] }).expect(200);
    const event = auditEvents(t, 'key_grant_set').at(-1)!;
    expect(event).toMatchObject({ severity: 'WARNING', details: expect.objectContaining({ as: 'keys-admin', acting_tenant: 'ops', grantee: 'tenant-b' }) });
    await A.delete('/api/keys/a-signer/grants/tenant-b').expect(200);
    // Revoking what is not granted changes nothing and says so, instead of auditing a revocation.
    const revokedEvents = auditEvents(t, 'key_grant_revoked').length;
    const none = await A.delete('/api/keys/a-signer/grants/tenant-b').expect(404);
    expect(none.body).toMatchObject({ error_code: 'NOT_FOUND', message: "Tenant 'tenant-b' holds no grant on key 'a-signer'" });
    expect(auditEvents(t, 'key_grant_revoked')).toHaveLength(revokedEvents);
  });

  it('grants: the owner, malformed tenants and a 33rd tenant are refused; a grantee gets only what it was granted', async () => {
    await A.post('/api/keys', { type: 'AES-256-GCM', key_id: 'shared' }).expect(201);
    await A.put('/api/keys/shared/grants/tenant-a', { operations: ['decrypt'] }).expect(400);
    for (const grantee of ['bad%2Fx', 'a%3Ab', '%F0%9F%98%80', 'x'.repeat(65)]) {
      await A.put(`/api/keys/shared/grants/${grantee}`, { operations: ['decrypt'] }).expect(422);
    }
    for (const operations of [[], ['manage'], ['decrypt', 'decrypt'], null, 'decrypt', [['decrypt']]]) {
      await A.put('/api/keys/shared/grants/tenant-b', { operations }).expect(422);
    }
    for (let i = 0; i < 32; i++) await A.put(`/api/keys/shared/grants/t${i}`, { operations: ['read'] }).expect(200);
    await A.put('/api/keys/shared/grants/t32', { operations: ['read'] }).expect(400);
    // Replacing an existing grantee's operations is not a 33rd grant.
    await A.put('/api/keys/shared/grants/t0', { operations: ['read', 'verify'] }).expect(200);
    await A.delete('/api/keys/shared/grants/t31').expect(200);
    await A.put('/api/keys/shared/grants/tenant-b', { operations: ['decrypt'] }).expect(200);

    const enc = await A.post('/api/encrypt', { plaintext: b64('only decrypt'), key_id: 'shared' }).expect(200);
    const named = { key_id: 'shared', tenant: 'tenant-a' };
    await B.post('/api/decrypt', { ...named, ciphertext: enc.body.ciphertext }).expect(200);
    const refused = [
      B.post('/api/encrypt', { ...named, plaintext: b64('x') }),
      B.post('/api/rewrap', { ...named, ciphertext: enc.body.ciphertext }),
      B.post('/api/datakey/wrapped', named),
      B.post('/api/hmac', { ...named, input: b64('x') }),
      B.post('/api/verify', { ...named, message: b64('x'), hmac: 'mfn:v1:AAAA' }),
      B.post('/api/encrypt', { ...named, batch_input: [{ plaintext: b64('x') }] }),
      B.get('/api/keys/shared?tenant=tenant-a'),
      B.post('/api/keys/shared/rotate?tenant=tenant-a', {}),
      B.put('/api/keys/shared/grants/tenant-b?tenant=tenant-a', { operations: ['encrypt'] }),
      B.delete('/api/keys/shared/grants/tenant-b?tenant=tenant-a'),
    ];
    for (const res of await Promise.all(refused)) {
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ error_code: 'NOT_FOUND', message: "Key 'shared' not found" });
    }
    const after = await A.get('/api/keys/shared').expect(200);
    expect(after.body.latest_version).toBe(1);
    expect(after.body.grants).toContainEqual({ tenant: 'tenant-b', operations: ['decrypt'] });
  });

  it('a batch naming a thousand distinct key versions reads the store once per stored version, not once per item', async () => {
    await A.post('/api/keys', { type: 'AES-256-GCM', key_id: 'versions' }).expect(201);
    await A.post('/api/keys/versions/rotate', {}).expect(200);
    await A.post('/api/keys/versions/rotate', {}).expect(200);
    const store = t.app.get<KeyStore>(KEY_STORE);
    const reads = jest.spyOn(store, 'read');
    try {
      const versions = Array.from({ length: 1000 }, (_, i) => i + 1);
      const dec = await A.post('/api/decrypt', { key_id: 'versions', batch_input: versions.map((v) => ({ ciphertext: `mfn:v${v}:${'A'.repeat(40)}` })) }).expect(200);
      expect(dec.body.batch_results).toHaveLength(1000);
      expect(dec.body.batch_results.every((r: { error?: { code: string } }) => r.error?.code === 'DECRYPTION_FAILED')).toBe(true);
      expect(reads.mock.calls.length).toBeLessThanOrEqual(4);

      reads.mockClear();
      const enc = await A.post('/api/encrypt', { key_id: 'versions', batch_input: versions.map((v) => ({ plaintext: b64('x'), key_version: v })) }).expect(200);
      expect(enc.body.batch_results.slice(0, 3).map((r: { key_version: number }) => r.key_version)).toEqual([1, 2, 3]);
      expect(enc.body.batch_results[3]).toEqual({ error: { code: 'INVALID_REQUEST', message: 'key_version must be between 1 and 3' } });
      expect(enc.body.batch_results[999]).toEqual(enc.body.batch_results[3]);
      expect(reads.mock.calls.length).toBeLessThanOrEqual(4);
    } finally {
      reads.mockRestore();
    }
  });

  it('odd JSON in the key fields is a 422, never a 500 or an echo of the value as a key lookup', async () => {
    const cases: unknown[] = [[], {}, 12, true, 'a/b', 'é', 'x'.repeat(65), { $gt: '' }];
    for (const value of cases) {
      for (const field of ['key_id', 'tenant']) {
        const res = await B.post('/api/encrypt', { plaintext: b64('x'), [field]: value });
        expect(res.status).toBe(422);
        expect(res.body.error_code).toBe('VALIDATION_ERROR');
      }
    }
    for (const key_version of [0, -1, 1.5, 1e300, '1', true, [1], { v: 1 }]) {
      await A.post('/api/encrypt', { plaintext: b64('x'), key_id: 'payments', key_version }).expect(422);
    }
  });
});

/**
 * On Redis, a foreign key answers as a missing one even when its stored versions are unreadable:
 * the tenancy decision is made on the sealed metadata before any version of another tenant's key
 * is read, so nothing about those versions reaches the other tenant.
 */
describe('crypto API under attack (Redis key store)', () => {
  let t: TestApp;
  let A: Client;
  let B: Client;
  let redis: Redis;
  const prefix = `mfn:test:attack:${randomBytes(6).toString('hex')}`;
  const keyName = (tenant: string, id: string) => `${prefix}:key:${tenant}/${id}`;

  beforeAll(async () => {
    redis = await connectRedis();
    t = await createTestApp({ ...TENANT_ENV, MFN_MASTER_KEY: MASTER_KEY, MFN_REDIS_URL: SHARED_REDIS_URL, MFN_CRYPTO_REDIS_PREFIX: `${prefix}:` });
    await listenOnce(t.server);
    A = as(t, TENANT_KEYS.a);
    B = as(t, TENANT_KEYS.b);
  });
  afterAll(async () => {
    await t.close();
    await deleteKeys(redis, `${prefix}:*`);
    redis.disconnect();
  });

  it("a foreign key with an unreadable version answers B 404 on describe and decrypt; only the owner sees the integrity error", async () => {
    await A.post('/api/keys', { type: 'AES-256-GCM', key_id: 'broken' }).expect(201);
    await A.post('/api/keys/broken/rotate', {}).expect(200);
    const enc = await A.post('/api/encrypt', { plaintext: b64('x'), key_id: 'broken', key_version: 2 }).expect(200);
    await redis.hset(keyName('tenant-a', 'broken'), 'v:2', '{');
    const before = auditEvents(t, 'key_record_tampered').length;

    const describe = await B.get('/api/keys/broken?tenant=tenant-a').expect(404);
    const describeMissing = await B.get('/api/keys/never-made?tenant=tenant-a').expect(404);
    expect(errorShape(describe, 'broken', 'K')).toEqual(errorShape(describeMissing, 'never-made', 'K'));
    const decrypt = await B.post('/api/decrypt', { ciphertext: enc.body.ciphertext, key_id: 'broken', tenant: 'tenant-a' }).expect(404);
    const decryptMissing = await B.post('/api/decrypt', { ciphertext: enc.body.ciphertext, key_id: 'never-made', tenant: 'tenant-a' }).expect(404);
    expect(errorShape(decrypt, 'broken', 'K')).toEqual(errorShape(decryptMissing, 'never-made', 'K'));
    expect(auditEvents(t, 'key_record_tampered')).toHaveLength(before);

    const own = await A.post('/api/decrypt', { ciphertext: enc.body.ciphertext, key_id: 'broken' }).expect(500);
    expect(own.body.error_code).toBe('CRYPTO_ERROR');
    await A.get('/api/keys/broken').expect(500);
    expect(auditEvents(t, 'key_record_tampered').length).toBeGreaterThan(before);
  });
});
