import type Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { auditEvents, b64 } from './helpers/crypto';
import { ReplicaPair, SHARED_REDIS_URL, startReplicaPair } from './helpers/redis';
import { TENANT_ENV, TENANT_KEYS, as } from './helpers/tenants';

jest.setTimeout(60_000);

const TAMPERED = { error_code: 'CRYPTO_ERROR', message: 'Key record failed its integrity check and was not used' };

type Client = ReturnType<typeof as>;
type Tamper = (redis: Redis, name: string, ctx: { prefix: string; id: string }) => Promise<unknown>;

/** Rewrites one field of the sealed metadata JSON, leaving the MAC as it was. */
const meta =
  (change: (m: Record<string, unknown>) => void): Tamper =>
  async (redis, name) => {
    const m = JSON.parse((await redis.hget(name, 'meta'))!) as Record<string, unknown>;
    change(m);
    await redis.hset(name, 'meta', JSON.stringify(m));
  };

/** Rewrites one field of the version record `v:1`. */
const version =
  (change: (v: Record<string, string>) => void): Tamper =>
  async (redis, name) => {
    const v = JSON.parse((await redis.hget(name, 'v:1'))!) as Record<string, string>;
    change(v);
    await redis.hset(name, 'v:1', JSON.stringify(v));
  };

const flip = (b64value: string, at: number): string => {
  const bytes = Buffer.from(b64value, 'base64');
  // eslint-disable-next-line security/detect-object-injection -- integer index into the ciphertext's bytes
  bytes[at] ^= 0x01;
  return bytes.toString('base64');
};

/**
 * Key records altered directly in Redis are refused on their next use: 500 CRYPTO_ERROR, an
 * audit event `key_record_tampered` at ERROR, and never an operation with the altered data (nor
 * with material cached before the change).
 */
describe('crypto key records tampered with in Redis', () => {
  let pair: ReplicaPair;
  let redis: Redis;
  let A: Client;
  let seq = 0;
  const prefix = `mfn:test:tamper:${randomBytes(6).toString('hex')}`;
  const keyName = (tenant: string, id: string) => `${prefix}:key:${tenant}/${id}`;

  beforeAll(async () => {
    pair = await startReplicaPair(
      {
        ...TENANT_ENV,
        MFN_MASTER_KEY: randomBytes(32).toString('base64'),
        MFN_REDIS_URL: SHARED_REDIS_URL,
        MFN_CRYPTO_REDIS_PREFIX: `${prefix}:`,
        MFN_CRYPTO_AUTO_ROTATE_CHECK_S: '0',
      },
      prefix,
    );
    redis = pair.inspector;
    A = as(pair.a, TENANT_KEYS.a);
  });
  afterAll(async () => {
    await pair.close();
  });

  /** Expects `res` to be the integrity refusal, audited at ERROR under its request id. */
  function expectRefused(res: { status: number; body: Record<string, unknown> }, requestId: string): void {
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject(TAMPERED);
    const event = auditEvents(pair.a, 'key_record_tampered').find((e) => e.request_id === requestId);
    expect(event).toMatchObject({ severity: 'ERROR', category: 'security', success: false });
  }

  const aesCases: [string, Tamper][] = [
    ['meta.tenant', meta((m) => (m.tenant = 'tenant-b'))],
    ['meta.id', meta((m) => (m.id = 'other-id'))],
    ['meta.type', meta((m) => (m.type = 'Ed25519'))],
    ['meta.latestVersion', meta((m) => (m.latestVersion = 2))],
    ['meta.minDecryptionVersion', meta((m) => (m.minDecryptionVersion = 0))],
    ['meta.minEncryptionVersion', meta((m) => (m.minEncryptionVersion = 1))],
    ['meta.minAvailableVersion', meta((m) => (m.minAvailableVersion = 0))],
    ['meta.deletionAllowed', meta((m) => (m.deletionAllowed = true))],
    ['meta.autoRotatePeriodS', meta((m) => (m.autoRotatePeriodS = 7200))],
    ['meta.defaultFor', meta((m) => (m.defaultFor = 'encryption'))],
    ['meta.grants', meta((m) => (m.grants = { 'tenant-b': ['decrypt'] }))],
    ['meta as unparsable text', (r, name) => r.hset(name, 'meta', 'not json')],
    ['clear rev', (r, name) => r.hset(name, 'rev', '7')],
    ['clear latest', (r, name) => r.hset(name, 'latest', '2')],
    ['mac', (r, name) => r.hset(name, 'mac', randomBytes(32).toString('base64'))],
    ['v:1 created_at', version((v) => (v.created_at = new Date(0).toISOString()))],
    ['v:1 wrapped', version((v) => (v.wrapped = flip(v.wrapped, 20)))],
    ['v:1 hmac', version((v) => (v.hmac = flip(v.hmac, 20)))],
    ['v:1 as unparsable text', (r, name) => r.hset(name, 'v:1', '{')],
    ['v:1 deleted', (r, name) => r.hdel(name, 'v:1')],
  ];

  it.each(aesCases)('%s altered: encrypt, decrypt and describe are refused, also on the replica that cached the version', async (_label, tamper) => {
    const id = `aes-${++seq}`;
    await A.post('/api/keys', { type: 'AES-256-GCM', key_id: id }).expect(201);
    // Used on both replicas first, so each holds the unwrapped version in its cache.
    const enc = await A.post('/api/encrypt', { plaintext: b64('before'), key_id: id }).expect(200);
    await as(pair.b, TENANT_KEYS.a).post('/api/decrypt', { ciphertext: enc.body.ciphertext, key_id: id }).expect(200);
    await tamper(redis, keyName('tenant-a', id), { prefix, id });

    const rid = `tamper-${seq}`;
    expectRefused(await A.post('/api/encrypt', { plaintext: b64('after'), key_id: id }).set('X-Request-ID', `${rid}-enc`), `${rid}-enc`);
    expectRefused(await A.post('/api/decrypt', { ciphertext: enc.body.ciphertext, key_id: id }).set('X-Request-ID', `${rid}-dec`), `${rid}-dec`);
    expectRefused(await A.get(`/api/keys/${id}`).set('X-Request-ID', `${rid}-get`), `${rid}-get`);
    const other = await as(pair.b, TENANT_KEYS.a).post('/api/encrypt', { plaintext: b64('after'), key_id: id });
    expect(other.status).toBe(500);
    expect(other.body).toMatchObject(TAMPERED);
  });

  it("a version's public key swapped for another key's: sign, verify and describe are refused", async () => {
    await A.post('/api/keypair', { key_id: 'signer-x' }).expect(200);
    const donor = await A.post('/api/keypair', { key_id: 'signer-donor' }).expect(200);
    const sig = await A.post('/api/sign', { message: b64('m'), key_id: 'signer-x' }).expect(200);
    await version((v) => (v.public_key = donor.body.public_key))(redis, keyName('tenant-a', 'signer-x'), { prefix, id: 'signer-x' });

    expectRefused(await A.post('/api/sign', { message: b64('m'), key_id: 'signer-x' }).set('X-Request-ID', 'swap-sign'), 'swap-sign');
    expectRefused(
      await A.post('/api/verify', { message: b64('m'), signature: sig.body.signature, key_id: 'signer-x' }).set('X-Request-ID', 'swap-verify'),
      'swap-verify',
    );
    const described = await A.get('/api/keys/signer-x').set('X-Request-ID', 'swap-get');
    expectRefused(described, 'swap-get');
    expect(JSON.stringify(described.body)).not.toContain(donor.body.public_key);
  });

  it("a record copied under another tenant's or another id's name is refused there", async () => {
    await A.post('/api/keys', { type: 'AES-256-GCM', key_id: 'original' }).expect(201);
    const enc = await A.post('/api/encrypt', { plaintext: b64('secret of A'), key_id: 'original' }).expect(200);
    const record = await redis.hgetall(keyName('tenant-a', 'original'));
    await redis.hset(keyName('tenant-b', 'original'), record);
    await redis.hset(keyName('tenant-a', 'copy'), record);

    const B = as(pair.a, TENANT_KEYS.b);
    expectRefused(
      await B.post('/api/decrypt', { ciphertext: enc.body.ciphertext, key_id: 'original' }).set('X-Request-ID', 'copy-tenant'),
      'copy-tenant',
    );
    expectRefused(await A.post('/api/decrypt', { ciphertext: enc.body.ciphertext, key_id: 'copy' }).set('X-Request-ID', 'copy-id'), 'copy-id');
    // The original is untouched.
    await A.post('/api/decrypt', { ciphertext: enc.body.ciphertext, key_id: 'original' }).expect(200);
  });

  it("the default pointer redirected to another of the tenant's keys is refused", async () => {
    const C = as(pair.a, TENANT_KEYS.ops);
    const first = await C.post('/api/encrypt', { plaintext: b64('default') }).expect(200);
    await C.post('/api/keys', { type: 'AES-256-GCM', key_id: 'not-default' }).expect(201);
    await redis.set(`${prefix}:default:ops:encryption`, 'not-default');
    // A fresh replica (no cached default id) reads the redirected pointer.
    const fresh = as(pair.b, TENANT_KEYS.ops);
    const res = await fresh.post('/api/encrypt', { plaintext: b64('x') }).set('X-Request-ID', 'default-redirect');
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject(TAMPERED);
    expect(auditEvents(pair.b, 'key_record_tampered').find((e) => e.request_id === 'default-redirect')).toMatchObject({ severity: 'ERROR' });
    const dec = await fresh.post('/api/decrypt', { ciphertext: first.body.ciphertext });
    expect(dec.status).toBe(500);
  });
});
