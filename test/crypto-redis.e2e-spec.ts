import Redis from 'ioredis';
import { createDecipheriv, randomBytes } from 'node:crypto';
import request from 'supertest';
import { auditEvents, b64, post, splitVersioned } from './helpers/crypto';
import { listenOnce } from './helpers/raw-http';
import { SHARED_REDIS_URL } from './helpers/redis';
import { TestApp, createTestApp } from './helpers/test-app';

jest.setTimeout(60_000);

const REDIS_URL = SHARED_REDIS_URL;

/**
 * The key store in real Redis: replicas share keys, a restarted instance still reads its old
 * ciphertexts, material at rest is wrapped under the master key, a wrong master key is refused
 * with a clear error, and concurrent creation/rotation across replicas stays atomic.
 */
describe('crypto key store in Redis', () => {
  let redis: Redis;
  const prefixes: string[] = [];
  const apps: TestApp[] = [];

  function newPrefix(): string {
    const prefix = `mfn:test:crypto:${randomBytes(6).toString('hex')}:`;
    prefixes.push(prefix);
    return prefix;
  }

  async function instance(prefix: string, masterKey: string | undefined, extra: Record<string, string> = {}): Promise<TestApp> {
    const t = await createTestApp({
      MFN_REDIS_URL: REDIS_URL,
      MFN_CRYPTO_REDIS_PREFIX: prefix,
      ...(masterKey ? { MFN_MASTER_KEY: masterKey } : {}),
      ...extra,
    });
    apps.push(t);
    // Listening once: supertest would otherwise open and close a listener per request, resetting concurrent ones.
    await listenOnce(t.server);
    return t;
  }

  async function stop(t: TestApp): Promise<void> {
    apps.splice(apps.indexOf(t), 1);
    await t.close();
  }

  beforeAll(() => {
    redis = new Redis(REDIS_URL);
  });

  afterAll(async () => {
    for (const t of apps.splice(0)) await t.close();
    for (const prefix of prefixes) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
    }
    await redis.quit();
  });

  it('keys created on instance A are used by instance B, and survive a restart', async () => {
    const prefix = newPrefix();
    const master = randomBytes(32).toString('base64');
    const a = await instance(prefix, master);
    const b = await instance(prefix, master);

    const kp = await post(a, '/api/keypair', { key_id: 'shared-signer' }).expect(200);
    const message = b64('signed on B');
    const sig = await post(b, '/api/sign', { message, key_id: 'shared-signer' }).expect(200);
    const verified = await post(a, '/api/verify', { message, signature: sig.body.signature, public_key: kp.body.public_key }).expect(200);
    expect(verified.body.valid).toBe(true);

    const encA = await post(a, '/api/encrypt', { plaintext: b64('from A') }).expect(200);
    const encB = await post(b, '/api/encrypt', { plaintext: b64('from B') }).expect(200);
    expect(encB.body.key_id).toBe(encA.body.key_id);
    const decB = await post(b, '/api/decrypt', { ciphertext: encA.body.ciphertext }).expect(200);
    expect(Buffer.from(decB.body.plaintext, 'base64').toString()).toBe('from A');

    await post(b, '/api/keys/shared-signer/rotate', {}).expect(200);
    const meta = await request(a.server).get('/api/keys/shared-signer').expect(200);
    expect(meta.body.latest_version).toBe(2);
    const sig2 = await post(a, '/api/sign', { message, key_id: 'shared-signer' }).expect(200);
    expect(sig2.body.key_version).toBe(2);

    await stop(a);
    await stop(b);
    const restarted = await instance(prefix, master);
    for (const [enc, text] of [[encA, 'from A'], [encB, 'from B']] as const) {
      const dec = await post(restarted, '/api/decrypt', { ciphertext: enc.body.ciphertext }).expect(200);
      expect(Buffer.from(dec.body.plaintext, 'base64').toString()).toBe(text);
    }
    for (const s of [sig, sig2]) {
      const res = await post(restarted, '/api/verify', { message, signature: s.body.signature, key_id: 'shared-signer' }).expect(200);
      expect(res.body.valid).toBe(true);
    }
    const again = await post(restarted, '/api/encrypt', { plaintext: b64('same default') }).expect(200);
    expect(again.body.key_id).toBe(encA.body.key_id);
    await post(restarted, '/api/keypair', { key_id: 'shared-signer' }).expect(409);
  });

  it('stores key material only wrapped under the master key (AES-256-GCM, AAD bound to id and version)', async () => {
    const prefix = newPrefix();
    const masterBytes = randomBytes(32);
    const t = await instance(prefix, masterBytes.toString('base64'));
    await post(t, '/api/keys', { type: 'AES-256-GCM', key_id: 'at-rest' }).expect(201);
    const enc = await post(t, '/api/encrypt', { plaintext: b64('wrapped at rest'), key_id: 'at-rest' }).expect(200);

    const hash = await redis.hgetall(`${prefix}key:default/at-rest`);
    expect(hash).toMatchObject({ rev: '1', latest: '1' });
    expect(JSON.parse(hash.meta)).toMatchObject({ tenant: 'default', id: 'at-rest', type: 'AES-256-GCM', latestVersion: 1, minDecryptionVersion: 1 });
    const record = JSON.parse(hash['v:1']) as { wrapped: string; created_at: string };
    const wrapped = Buffer.from(record.wrapped, 'base64');
    const unwrap = createDecipheriv('aes-256-gcm', masterBytes, wrapped.subarray(0, 12));
    unwrap.setAuthTag(wrapped.subarray(wrapped.length - 16));
    unwrap.setAAD(Buffer.from(JSON.stringify(['mfn-key-wrap:v2', 'default', 'at-rest', 1, 'AES-256-GCM', 'key', record.created_at, null])));
    const dataKey = Buffer.concat([unwrap.update(wrapped.subarray(12, wrapped.length - 16)), unwrap.final()]);
    expect(dataKey.length).toBe(32);

    const { bytes } = splitVersioned(enc.body.ciphertext);
    const d = createDecipheriv('aes-256-gcm', dataKey, bytes.subarray(0, 12));
    d.setAuthTag(bytes.subarray(bytes.length - 16));
    expect(Buffer.concat([d.update(bytes.subarray(12, bytes.length - 16)), d.final()]).toString()).toBe('wrapped at rest');

    const everything = JSON.stringify(await redis.hgetall(`${prefix}key:default/at-rest`));
    expect(everything).not.toContain(dataKey.toString('base64'));
    expect(everything).not.toContain(dataKey.toString('hex'));
  });

  it('a wrong master key cannot read the store: start-up fails with a clear error', async () => {
    const prefix = newPrefix();
    const t = await instance(prefix, randomBytes(32).toString('base64'));
    await post(t, '/api/encrypt', { plaintext: b64('locked') }).expect(200);

    const wrongKey = randomBytes(32).toString('base64');
    const failure = createTestApp({ MFN_REDIS_URL: REDIS_URL, MFN_CRYPTO_REDIS_PREFIX: prefix, MFN_MASTER_KEY: wrongKey });
    await expect(failure).rejects.toThrow(/MFN_MASTER_KEY does not match the crypto key store in Redis/);
    await failure.catch((err: Error) => expect(err.message).not.toContain(wrongKey));

    const generated = createTestApp({ MFN_REDIS_URL: REDIS_URL, MFN_CRYPTO_REDIS_PREFIX: prefix });
    await expect(generated).rejects.toThrow(/no MFN_MASTER_KEY is set/);
  });

  it('an instance that creates no keys writes nothing to Redis', async () => {
    const prefix = newPrefix();
    const t = await instance(prefix, randomBytes(32).toString('base64'));
    await request(t.server).get('/health/ready').expect(200);
    await post(t, '/api/decrypt', { ciphertext: 'mfn:v1:AAAA' }).expect(400);
    expect(await redis.keys(`${prefix}*`)).toEqual([]);
    await stop(t);
    const other = await instance(prefix, randomBytes(32).toString('base64'));
    await post(other, '/api/encrypt', { plaintext: b64('first key') }).expect(200);
  });

  it('replicas started with different master keys on an empty store: the second to write is refused with 503', async () => {
    const prefix = newPrefix();
    const a = await instance(prefix, randomBytes(32).toString('base64'));
    const b = await instance(prefix, randomBytes(32).toString('base64'));
    await post(a, '/api/keys', { type: 'AES-256-GCM', key_id: 'first-writer' }).expect(201);
    const read = await post(b, '/api/encrypt', { plaintext: b64('x'), key_id: 'first-writer' }).expect(503);
    expect(read.body.message).toBe('Key store cannot be read with the configured master key');
    await post(b, '/api/keypair', {}).expect(503);
    await post(a, '/api/encrypt', { plaintext: b64('x'), key_id: 'first-writer' }).expect(200);
    const ready = await request(b.server).get('/health/ready').expect(503);
    expect(JSON.stringify(ready.body)).toContain('crypto_key_store');
  });

  it('a record damaged in Redis gives a generic 500, not garbage', async () => {
    const prefix = newPrefix();
    const master = randomBytes(32).toString('base64');
    const a = await instance(prefix, master);
    await post(a, '/api/keys', { type: 'AES-256-GCM', key_id: 'damaged' }).expect(201);
    const record = JSON.parse((await redis.hget(`${prefix}key:default/damaged`, 'v:1'))!) as { created_at: string; wrapped: string };
    const wrapped = Buffer.from(record.wrapped, 'base64');
    wrapped[20] ^= 0xff;
    await redis.hset(`${prefix}key:default/damaged`, 'v:1', JSON.stringify({ ...record, wrapped: wrapped.toString('base64') }));

    const b = await instance(prefix, master);
    const res = await post(b, '/api/encrypt', { plaintext: b64('x'), key_id: 'damaged' }).expect(500);
    expect(res.body).toMatchObject({ error_code: 'CRYPTO_ERROR', message: 'Key record failed its integrity check and was not used' });
    expect(JSON.stringify(res.body)).not.toContain(record.wrapped);
  });

  it('concurrent creation and rotation across replicas stay atomic', async () => {
    const prefix = newPrefix();
    const master = randomBytes(32).toString('base64');
    const a = await instance(prefix, master, { MFN_CRYPTO_MAX_KEYS_PER_TENANT: '5' });
    const b = await instance(prefix, master, { MFN_CRYPTO_MAX_KEYS_PER_TENANT: '5' });
    const pick = (i: number) => (i % 2 === 0 ? a : b);

    // First use of the default key from both replicas at once: one key wins everywhere.
    const firstUse = await Promise.all(Array.from({ length: 10 }, (_, i) => post(pick(i), '/api/encrypt', { plaintext: b64(`m${i}`) })));
    expect(new Set(firstUse.map((r) => r.status))).toEqual(new Set([200]));
    expect(new Set(firstUse.map((r) => r.body.key_id)).size).toBe(1);
    expect(auditEvents(a, 'key_created').length + auditEvents(b, 'key_created').length).toBe(1);

    // The same id created from both replicas: exactly one succeeds.
    const same = await Promise.all(Array.from({ length: 6 }, (_, i) => post(pick(i), '/api/keypair', { key_id: 'race-id' })));
    expect(same.filter((r) => r.status === 200)).toHaveLength(1);
    expect(same.filter((r) => r.status === 409)).toHaveLength(5);

    // Quota of 5 per tenant (3 left after the default key and race-id), hit from both replicas at once.
    const many = await Promise.all(Array.from({ length: 12 }, (_, i) => post(pick(i), '/api/keys', { type: 'AES-256-GCM' })));
    expect(many.filter((r) => r.status === 201)).toHaveLength(3);
    expect(many.filter((r) => r.status === 409)).toHaveLength(9);
    expect(await redis.hget(`${prefix}usage:default`, 'keys')).toBe('5');

    // Ten rotations at once: ten new versions, none lost, each version a different key.
    const rotations = await Promise.all(Array.from({ length: 10 }, (_, i) => post(pick(i), '/api/keys/race-id/rotate', {})));
    expect(rotations.every((r) => r.status === 200)).toBe(true);
    const meta = await request(a.server).get('/api/keys/race-id').expect(200);
    expect(meta.body.latest_version).toBe(11);
    expect(meta.body.versions.map((v: { version: number }) => v.version)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    expect(new Set(meta.body.versions.map((v: { public_key: string }) => v.public_key)).size).toBe(11);
  });

  it('min_decryption_version set on one replica applies on the other', async () => {
    const prefix = newPrefix();
    const master = randomBytes(32).toString('base64');
    const a = await instance(prefix, master);
    const b = await instance(prefix, master);
    await post(a, '/api/keys', { type: 'AES-256-GCM', key_id: 'retire' }).expect(201);
    const v1 = await post(b, '/api/encrypt', { plaintext: b64('v1'), key_id: 'retire' }).expect(200);
    await post(a, '/api/decrypt', { ciphertext: v1.body.ciphertext, key_id: 'retire' }).expect(200);
    await post(a, '/api/keys/retire/rotate', {}).expect(200);
    const v2 = await post(b, '/api/encrypt', { plaintext: b64('v2'), key_id: 'retire' }).expect(200);
    expect(v2.body.key_version).toBe(2);
    await post(a, '/api/keys/retire/config', { min_decryption_version: 2 }).expect(200);
    await post(b, '/api/decrypt', { ciphertext: v1.body.ciphertext, key_id: 'retire' }).expect(400);
    await post(b, '/api/decrypt', { ciphertext: v2.body.ciphertext, key_id: 'retire' }).expect(200);
  });

  it('answers 503 while Redis is unreachable instead of falling back to divergent in-memory keys', async () => {
    const t = await createTestApp({
      MFN_REDIS_URL: 'redis://127.0.0.1:1',
      MFN_CRYPTO_REDIS_PREFIX: newPrefix(),
      MFN_MASTER_KEY: randomBytes(32).toString('base64'),
    });
    apps.push(t);
    const res = await post(t, '/api/encrypt', { plaintext: b64('x') }).expect(503);
    expect(res.body).toMatchObject({ error_code: 'SERVICE_UNAVAILABLE', message: 'Key store unavailable' });
    expect(res.headers['retry-after']).toBe('1');
  });
});
