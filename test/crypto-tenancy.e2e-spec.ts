import { randomBytes } from 'node:crypto';
import { auditEvents, b64, post } from './helpers/crypto';
import { listenOnce } from './helpers/raw-http';
import { ReplicaPair, SHARED_REDIS_URL, startReplicaPair } from './helpers/redis';
import { TENANT_ENV, TENANT_KEYS, as, errorShape } from './helpers/tenants';
import { TestApp, createTestApp } from './helpers/test-app';

jest.setTimeout(60_000);

const MASTER_KEY = randomBytes(32).toString('base64');
const text = (res: { body: { plaintext: string } }) => Buffer.from(res.body.plaintext, 'base64').toString();

/**
 * Tenants share the service but never each other's keys: every attack by tenant-b on tenant-a's
 * keys answers exactly as a missing key, names are per tenant, grants open only what they name,
 * and keys-admin manages but cannot use another tenant's keys.
 */
describe('crypto tenancy (memory key store)', () => {
  let t: TestApp;
  let A: ReturnType<typeof as>;
  let B: ReturnType<typeof as>;
  let Bcrypto: ReturnType<typeof as>;
  let ops: ReturnType<typeof as>;

  beforeAll(async () => {
    t = await createTestApp({ ...TENANT_ENV, MFN_MASTER_KEY: MASTER_KEY });
    // Listening once: supertest would otherwise open and close a listener per request, resetting concurrent ones.
    await listenOnce(t.server);
    A = as(t, TENANT_KEYS.a);
    B = as(t, TENANT_KEYS.b);
    Bcrypto = as(t, TENANT_KEYS.bCrypto);
    ops = as(t, TENANT_KEYS.ops);
    await A.post('/api/keys', { type: 'AES-256-GCM', key_id: 'payments' }).expect(201);
    await A.post('/api/keypair', { key_id: 'a-signer' }).expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  it('needs an API key', async () => {
    await post(t, '/api/encrypt', { plaintext: b64('x') }).expect(401);
  });

  it("B cannot decrypt A's ciphertext: by id, or naming tenant-a, both answer as a missing key", async () => {
    const enc = await A.post('/api/encrypt', { plaintext: b64('card 4111'), key_id: 'payments' }).expect(200);
    const own = await B.post('/api/decrypt', { ciphertext: enc.body.ciphertext, key_id: 'payments' }).expect(404);
    expect(own.body.error_code).toBe('NOT_FOUND');
    const foreign = await B.post('/api/decrypt', { ciphertext: enc.body.ciphertext, key_id: 'payments', tenant: 'tenant-a' }).expect(404);
    const missing = await B.post('/api/decrypt', { ciphertext: enc.body.ciphertext, key_id: 'never-made', tenant: 'tenant-a' }).expect(404);
    const noTenant = await B.post('/api/decrypt', { ciphertext: enc.body.ciphertext, key_id: 'payments', tenant: 'tenant-zz' }).expect(404);
    expect(errorShape(foreign, 'payments', 'K')).toEqual(errorShape(missing, 'never-made', 'K'));
    expect(errorShape(foreign, 'payments', 'K')).toEqual(errorShape(noTenant, 'payments', 'K'));
    expect(JSON.stringify(foreign.body)).not.toContain('tenant-a');
    // Without a key id B's own default opens nothing of A's.
    await B.post('/api/decrypt', { ciphertext: enc.body.ciphertext }).expect(400);
    const dec = await A.post('/api/decrypt', { ciphertext: enc.body.ciphertext, key_id: 'payments' }).expect(200);
    expect(text(dec)).toBe('card 4111');
  });

  it("B cannot rotate, configure, trim, grant, delete or describe A's key (404 each), and A's data is unaffected", async () => {
    await A.post('/api/keys', { type: 'AES-256-GCM', key_id: 'a-managed' }).expect(201);
    await A.post('/api/keys/a-managed/rotate', {}).expect(200);
    const v1 = await A.post('/api/encrypt', { plaintext: b64('v1'), key_id: 'a-managed', key_version: 1 }).expect(200);
    await A.post('/api/keys/a-managed/config', { min_decryption_version: 2 }).expect(200);
    const before = await A.get('/api/keys/a-managed').expect(200);

    const attacks = [
      B.post('/api/keys/a-managed/rotate?tenant=tenant-a', {}),
      B.post('/api/keys/a-managed/config?tenant=tenant-a', { min_decryption_version: 1 }),
      B.post('/api/keys/a-managed/config?tenant=tenant-a', { deletion_allowed: true }),
      B.post('/api/keys/a-managed/trim?tenant=tenant-a', {}),
      B.put('/api/keys/a-managed/grants/tenant-b?tenant=tenant-a', { operations: ['decrypt'] }),
      B.delete('/api/keys/a-managed?tenant=tenant-a'),
      B.get('/api/keys/a-managed?tenant=tenant-a'),
      B.post('/api/keys/a-managed/rotate', {}),
      B.post('/api/keys/a-managed/config', { min_decryption_version: 1 }),
    ];
    for (const res of await Promise.all(attacks)) {
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ error_code: 'NOT_FOUND', message: "Key 'a-managed' not found" });
    }
    const after = await A.get('/api/keys/a-managed').expect(200);
    expect(after.body).toEqual(before.body);
    // The retired v1 is still retired: B did not reset it.
    await A.post('/api/decrypt', { ciphertext: v1.body.ciphertext, key_id: 'a-managed' }).expect(400);
  });

  it("B's body-level tenant on operations other than decrypt also answers 404", async () => {
    const cases: [string, Record<string, unknown>][] = [
      ['/api/encrypt', { plaintext: b64('x'), key_id: 'payments', tenant: 'tenant-a' }],
      ['/api/sign', { message: b64('x'), key_id: 'a-signer', tenant: 'tenant-a' }],
      ['/api/verify', { message: b64('x'), signature: `mfn:v1:${b64(randomBytes(64))}`, key_id: 'a-signer', tenant: 'tenant-a' }],
    ];
    for (const [path, body] of cases) {
      const res = await B.post(path, body).expect(404);
      expect(res.body.error_code).toBe('NOT_FOUND');
    }
  });

  it("a crypto-only key of tenant-b cannot sign with A's Ed25519 key", async () => {
    for (const body of [{ key_id: 'a-signer' }, { key_id: 'a-signer', tenant: 'tenant-a' }]) {
      const res = await Bcrypto.post('/api/sign', { message: b64('forged'), ...body }).expect(404);
      expect(res.body).toMatchObject({ error_code: 'NOT_FOUND', message: "Key 'a-signer' not found" });
    }
    // It may not manage keys at all.
    await Bcrypto.post('/api/keys/a-signer/rotate', {}).expect(403);
  });

  it("rotating B's default key touches only B's default; A's default ciphertexts still decrypt", async () => {
    const aEnc = await A.post('/api/encrypt', { plaintext: b64('a default') }).expect(200);
    const bEnc = await B.post('/api/encrypt', { plaintext: b64('b default') }).expect(200);
    expect(bEnc.body.key_id).not.toBe(aEnc.body.key_id);
    const rotated = await B.post(`/api/keys/${bEnc.body.key_id}/rotate`, {}).expect(200);
    expect(rotated.body.tenant).toBe('tenant-b');
    // B cannot even see A's default by its generated id.
    await B.post(`/api/keys/${aEnc.body.key_id}/rotate`, {}).expect(404);
    const aMeta = await A.get(`/api/keys/${aEnc.body.key_id}`).expect(200);
    expect(aMeta.body.latest_version).toBe(1);
    expect(text(await A.post('/api/decrypt', { ciphertext: aEnc.body.ciphertext }).expect(200))).toBe('a default');
    const bNext = await B.post('/api/encrypt', { plaintext: b64('b v2') }).expect(200);
    expect(bNext.body.key_version).toBe(2);
    expect(text(await B.post('/api/decrypt', { ciphertext: bEnc.body.ciphertext }).expect(200))).toBe('b default');
    // The default signer is a key of its own per tenant, too.
    const aSig = await A.post('/api/sign', { message: b64('m') }).expect(200);
    const bSig = await B.post('/api/sign', { message: b64('m') }).expect(200);
    expect(bSig.body.key_id).not.toBe(aSig.body.key_id);
    const cross = await B.post('/api/verify', { message: b64('m'), signature: aSig.body.signature }).expect(200);
    expect(cross.body.valid).toBe(false);
  });

  it('names are per tenant: both may create the same id; each sees its own, a name only A has is a never-used name to B', async () => {
    await B.post('/api/keys', { type: 'Ed25519', key_id: 'payments' }).expect(201);
    const aKey = await A.get('/api/keys/payments').expect(200);
    const bKey = await B.get('/api/keys/payments').expect(200);
    expect(aKey.body).toMatchObject({ tenant: 'tenant-a', type: 'AES-256-GCM' });
    expect(bKey.body).toMatchObject({ tenant: 'tenant-b', type: 'Ed25519' });

    const onlyA = await B.get('/api/keys/a-signer').expect(404);
    const never = await B.get('/api/keys/never-used-name').expect(404);
    expect(errorShape(onlyA, 'a-signer', 'K')).toEqual(errorShape(never, 'never-used-name', 'K'));

    const enc = await A.post('/api/encrypt', { plaintext: b64('mine'), key_id: 'payments' }).expect(200);
    // B's own 'payments' is a signing key: A's ciphertext meets B's key, not A's.
    const res = await B.post('/api/decrypt', { ciphertext: enc.body.ciphertext, key_id: 'payments' }).expect(404);
    expect(res.body.error_code).toBe('NOT_FOUND');
  });

  it('GET /api/keys lists only the own tenant, a page at a time; ?tenant= of another tenant → 403', async () => {
    for (const id of ['list-1', 'list-2', 'list-3']) await B.post('/api/keys', { type: 'AES-256-GCM', key_id: id }).expect(201);
    const all = await B.get('/api/keys?limit=1000').expect(200);
    expect(all.body.next_cursor).toBeNull();
    const aIds = (await A.get('/api/keys?limit=1000').expect(200)).body.keys as string[];
    expect(aIds).toEqual(expect.arrayContaining(['payments', 'a-signer', 'a-managed']));
    expect(aIds).not.toContain('list-1');
    expect(all.body.keys).toEqual(expect.arrayContaining(['payments', 'list-1', 'list-2', 'list-3']));
    expect(all.body.keys).not.toContain('a-signer');
    expect([...all.body.keys].sort()).toEqual(all.body.keys);

    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 20; page++) {
      const res = await B.get(`/api/keys?limit=2${after ? `&after=${encodeURIComponent(after)}` : ''}`).expect(200);
      expect(res.body.keys.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.keys);
      if (res.body.next_cursor === null) break;
      after = res.body.next_cursor;
    }
    expect(seen).toEqual(all.body.keys);

    const denied = await B.get('/api/keys?tenant=tenant-a').expect(403);
    expect(denied.body.error_code).toBe('FORBIDDEN');
    await B.post('/api/keys?tenant=tenant-a', { type: 'AES-256-GCM', key_id: 'planted' }).expect(403);
    await A.get('/api/keys/planted').expect(404);
  });

  it('a grant opens exactly what it names, and revoking closes it again', async () => {
    await A.post('/api/keys', { type: 'AES-256-GCM', key_id: 'shared' }).expect(201);
    const enc = await A.post('/api/encrypt', { plaintext: b64('shared secret'), key_id: 'shared' }).expect(200);
    const ask = { ciphertext: enc.body.ciphertext, key_id: 'shared', tenant: 'tenant-a' };
    await B.post('/api/decrypt', ask).expect(404);

    const granted = await A.put('/api/keys/shared/grants/tenant-b', { operations: ['decrypt'] }).expect(200);
    expect(granted.body.grants).toEqual([{ tenant: 'tenant-b', operations: ['decrypt'] }]);
    const dec = await B.post('/api/decrypt', ask).expect(200);
    expect(text(dec)).toBe('shared secret');
    // The crypto-only key of the same tenant holds the grant too.
    await Bcrypto.post('/api/decrypt', ask).expect(200);
    // Without naming the owner B means its own (missing) key.
    await B.post('/api/decrypt', { ciphertext: enc.body.ciphertext, key_id: 'shared' }).expect(404);

    await B.post('/api/encrypt', { plaintext: b64('x'), key_id: 'shared', tenant: 'tenant-a' }).expect(404);
    for (const res of [
      await B.post('/api/keys/shared/rotate?tenant=tenant-a', {}),
      await B.post('/api/keys/shared/config?tenant=tenant-a', { deletion_allowed: true }),
      await B.delete('/api/keys/shared?tenant=tenant-a'),
      await B.put('/api/keys/shared/grants/tenant-b?tenant=tenant-a', { operations: ['encrypt', 'decrypt'] }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error_code).toBe('NOT_FOUND');
    }
    const meta = await A.get('/api/keys/shared').expect(200);
    expect(meta.body).toMatchObject({ latest_version: 1, deletion_allowed: false, grants: [{ tenant: 'tenant-b', operations: ['decrypt'] }] });

    await A.delete('/api/keys/shared/grants/tenant-b').expect(200);
    const revoked = await B.post('/api/decrypt', ask).expect(404);
    expect(revoked.body).toMatchObject({ error_code: 'NOT_FOUND', message: "Key 'shared' not found" });
  });

  it('a grantee named like an Object member is a tenant like any other', async () => {
    await A.post('/api/keys', { type: 'AES-256-GCM', key_id: 'member-names' }).expect(201);
    const granted = await A.put('/api/keys/member-names/grants/__proto__', { operations: ['decrypt'] }).expect(200);
    expect(granted.body.grants).toEqual([{ tenant: '__proto__', operations: ['decrypt'] }]);
    await A.put('/api/keys/member-names/grants/toString', { operations: ['encrypt'] }).expect(200);
    const meta = await A.get('/api/keys/member-names').expect(200);
    expect(meta.body.grants).toEqual([
      { tenant: '__proto__', operations: ['decrypt'] },
      { tenant: 'toString', operations: ['encrypt'] },
    ]);
    // No grant was made to `constructor` or `hasOwnProperty`: there is nothing to revoke.
    for (const member of ['constructor', 'hasOwnProperty']) {
      const missing = await A.delete(`/api/keys/member-names/grants/${member}`).expect(404);
      expect(missing.body.error_code).toBe('NOT_FOUND');
    }
    const revoked = await A.delete('/api/keys/member-names/grants/__proto__').expect(200);
    expect(revoked.body.grants).toEqual([{ tenant: 'toString', operations: ['encrypt'] }]);
  });

  it("keys-admin manages A's key with ?tenant=, cannot use it, and is audited at WARNING", async () => {
    await A.post('/api/keys', { type: 'AES-256-GCM', key_id: 'admin-target' }).expect(201);
    const enc = await A.post('/api/encrypt', { plaintext: b64('not for ops'), key_id: 'admin-target' }).expect(200);

    const listed = await ops.get('/api/keys?tenant=tenant-a&limit=1000').expect(200);
    expect(listed.body.keys).toContain('admin-target');
    const described = await ops.get('/api/keys/admin-target?tenant=tenant-a').expect(200);
    expect(described.body).toMatchObject({ tenant: 'tenant-a', key_id: 'admin-target', grants: [] });
    await ops.post('/api/keys/admin-target/rotate?tenant=tenant-a', {}).set('X-Request-ID', 'ops-rotate').expect(200);
    const cfg = await ops.post('/api/keys/admin-target/config?tenant=tenant-a', { min_decryption_version: 2 }).expect(200);
    expect(cfg.body.min_decryption_version).toBe(2);
    await ops.post('/api/keys/admin-target/config?tenant=tenant-a', { min_decryption_version: 1 }).expect(200);

    const refused = await ops.post('/api/decrypt', { ciphertext: enc.body.ciphertext, key_id: 'admin-target', tenant: 'tenant-a' }).expect(404);
    expect(refused.body.error_code).toBe('NOT_FOUND');
    await ops.post('/api/encrypt', { plaintext: b64('x'), key_id: 'admin-target', tenant: 'tenant-a' }).expect(404);
    // Its own tenant ('ops') has no such key.
    await ops.get('/api/keys/admin-target').expect(404);
    expect(text(await A.post('/api/decrypt', { ciphertext: enc.body.ciphertext, key_id: 'admin-target' }).expect(200))).toBe('not for ops');

    const rotated = auditEvents(t, 'key_rotated').find((e) => e.request_id === 'ops-rotate');
    expect(rotated).toMatchObject({ severity: 'WARNING', details: { as: 'keys-admin', acting_tenant: 'ops', tenant: 'tenant-a', key_id: 'admin-target' } });
    const reads = auditEvents(t, 'key_read').filter((e) => (e.details as Record<string, unknown>).key_id === 'admin-target');
    expect(reads.length).toBeGreaterThan(0);
    expect(reads[0]).toMatchObject({ severity: 'WARNING', details: { as: 'keys-admin', acting_tenant: 'ops' } });
  });
});

describe('crypto tenancy with authentication off: one tenant', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ MFN_MASTER_KEY: MASTER_KEY });
  });
  afterAll(async () => {
    await t.close();
  });

  it('every caller is the `default` tenant and shares its keys', async () => {
    await post(t, '/api/keys', { type: 'AES-256-GCM', key_id: 'payments' }).expect(201);
    await post(t, '/api/keys', { type: 'AES-256-GCM', key_id: 'payments' }).expect(409);
    const enc = await post(t, '/api/encrypt', { plaintext: b64('one tenant'), key_id: 'payments' }).expect(200);
    const dec = await post(t, '/api/decrypt', { ciphertext: enc.body.ciphertext, key_id: 'payments', tenant: 'default' }).expect(200);
    expect(text(dec)).toBe('one tenant');
    const meta = await post(t, '/api/keys/payments/rotate', {}).expect(200);
    expect(meta.body.tenant).toBe('default');
    await post(t, '/api/decrypt', { ciphertext: enc.body.ciphertext, key_id: 'payments', tenant: 'tenant-a' }).expect(404);
  });
});

describe('crypto tenancy across two replicas on one Redis', () => {
  let pair: ReplicaPair;
  const prefix = `mfn:test:tenancy:${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    pair = await startReplicaPair(
      {
        ...TENANT_ENV,
        MFN_MASTER_KEY: MASTER_KEY,
        MFN_REDIS_URL: SHARED_REDIS_URL,
        MFN_CRYPTO_REDIS_PREFIX: `${prefix}:`,
      },
      prefix,
    );
  });
  afterAll(async () => {
    await pair.close();
  });

  it("A's key made on replica 1 stays A's on replica 2: B's attacks answer 404 and change nothing", async () => {
    const A1 = as(pair.a, TENANT_KEYS.a);
    const A2 = as(pair.b, TENANT_KEYS.a);
    const B2 = as(pair.b, TENANT_KEYS.b);
    await A1.post('/api/keys', { type: 'AES-256-GCM', key_id: 'payments' }).expect(201);
    await A1.post('/api/keypair', { key_id: 'a-signer' }).expect(200);
    const enc = await A1.post('/api/encrypt', { plaintext: b64('replicated'), key_id: 'payments' }).expect(200);
    const aDefault = await A1.post('/api/encrypt', { plaintext: b64('a default') }).expect(200);

    const foreign = await B2.post('/api/decrypt', { ciphertext: enc.body.ciphertext, key_id: 'payments', tenant: 'tenant-a' }).expect(404);
    const missing = await B2.post('/api/decrypt', { ciphertext: enc.body.ciphertext, key_id: 'never-made', tenant: 'tenant-a' }).expect(404);
    expect(errorShape(foreign, 'payments', 'K')).toEqual(errorShape(missing, 'never-made', 'K'));
    await B2.post('/api/decrypt', { ciphertext: enc.body.ciphertext, key_id: 'payments' }).expect(404);
    await B2.post('/api/sign', { message: b64('forged'), key_id: 'a-signer', tenant: 'tenant-a' }).expect(404);
    await B2.post('/api/keys/payments/rotate', {}).expect(404);
    await B2.post('/api/keys/payments/config', { min_decryption_version: 1 }).expect(404);
    await B2.get('/api/keys/payments').expect(404);
    await B2.get('/api/keys?tenant=tenant-a').expect(403);

    const bDefault = await B2.post('/api/encrypt', { plaintext: b64('b default') }).expect(200);
    expect(bDefault.body.key_id).not.toBe(aDefault.body.key_id);
    await B2.post(`/api/keys/${bDefault.body.key_id}/rotate`, {}).expect(200);
    await B2.post('/api/keys', { type: 'AES-256-GCM', key_id: 'payments' }).expect(201);

    const meta = await A2.get('/api/keys/payments').expect(200);
    expect(meta.body).toMatchObject({ tenant: 'tenant-a', latest_version: 1, type: 'AES-256-GCM' });
    expect(text(await A2.post('/api/decrypt', { ciphertext: enc.body.ciphertext, key_id: 'payments' }).expect(200))).toBe('replicated');
    expect(text(await A2.post('/api/decrypt', { ciphertext: aDefault.body.ciphertext }).expect(200))).toBe('a default');

    await A2.put('/api/keys/payments/grants/tenant-b', { operations: ['decrypt'] }).expect(200);
    expect(text(await as(pair.a, TENANT_KEYS.b).post('/api/decrypt', { ciphertext: enc.body.ciphertext, key_id: 'payments', tenant: 'tenant-a' }).expect(200))).toBe(
      'replicated',
    );
    await A1.delete('/api/keys/payments/grants/tenant-b').expect(200);
    await B2.post('/api/decrypt', { ciphertext: enc.body.ciphertext, key_id: 'payments', tenant: 'tenant-a' }).expect(404);
  });
});
