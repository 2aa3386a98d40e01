import { x25519 } from '@noble/curves/ed25519';
import { hkdfSync, randomBytes } from 'node:crypto';
import request from 'supertest';
import { auditEvents, b64, post, splitVersioned, versioned } from './helpers/crypto';
import { TestApp, createTestApp } from './helpers/test-app';

jest.setTimeout(60_000);

const KEY_A = 'a'.repeat(40);
const KEY_B = 'b'.repeat(40);
const ALGORITHMS = ['sha2-256', 'sha2-384', 'sha2-512'] as const;
const TAG_BYTES = { 'sha2-256': 32, 'sha2-384': 48, 'sha2-512': 64 } as const;

describe('HMAC, batch_input and X25519 derivation (memory key store)', () => {
  let t: TestApp;
  const as = (key: string) => ({
    post: (path: string, body: unknown) => post(t, path, body).set('X-API-Key', key),
    get: (path: string) => request(t.server).get(path).set('X-API-Key', key),
    put: (path: string, body: unknown) => request(t.server).put(path).set('X-API-Key', key).set('Content-Type', 'application/json').send(JSON.stringify(body)),
  });
  const a = () => as(KEY_A);
  const b = () => as(KEY_B);

  beforeAll(async () => {
    t = await createTestApp({
      MFN_MASTER_KEY: randomBytes(32).toString('base64'),
      MFN_API_KEY_REQUIRED: 'true',
      MFN_API_KEYS: `tenant-a:${KEY_A},tenant-b:${KEY_B}`,
      MFN_CRYPTO_MAX_BATCH_ITEMS: '5',
      MFN_CRYPTO_AUDIT_LOG: 'true',
    });
  });
  afterAll(async () => {
    await t.close();
  });

  describe('POST /api/hmac and verify with hmac', () => {
    it.each(ALGORITHMS)('round-trips with %s on the default encryption key, and a tampered tag or message is false', async (algorithm) => {
      const input = b64(`payload for ${algorithm}`);
      const made = await a().post('/api/hmac', { input, algorithm }).expect(200);
      expect(made.body).toMatchObject({ key_version: 1, algorithm });
      expect(made.body.key_id).toMatch(/^key_[0-9a-f]{32}$/);
      const { version, bytes } = splitVersioned(made.body.hmac);
      expect(version).toBe(1);
      // eslint-disable-next-line security/detect-object-injection -- `algorithm` is one of the three names TAG_BYTES lists
      expect(bytes).toHaveLength(TAG_BYTES[algorithm]);

      // The default encryption key: the same one encrypt uses.
      const enc = await a().post('/api/encrypt', { plaintext: input }).expect(200);
      expect(enc.body.key_id).toBe(made.body.key_id);

      const ok = await a().post('/api/verify', { message: input, hmac: made.body.hmac, algorithm }).expect(200);
      expect(ok.body).toEqual({ valid: true, key_id: made.body.key_id, algorithm });

      const tampered = Buffer.from(bytes);
      tampered[tampered.length - 1] ^= 0x01;
      const bad = await a().post('/api/verify', { message: input, hmac: versioned(1, tampered), algorithm }).expect(200);
      expect(bad.body.valid).toBe(false);
      const otherMessage = await a().post('/api/verify', { message: b64('other'), hmac: made.body.hmac, algorithm }).expect(200);
      expect(otherMessage.body.valid).toBe(false);
      const truncated = await a().post('/api/verify', { message: input, hmac: versioned(1, bytes.subarray(0, 16)), algorithm }).expect(200);
      expect(truncated.body.valid).toBe(false);
    });

    it('defaults to sha2-256, and a tag checked under another algorithm is false', async () => {
      const input = b64('default algorithm');
      const made = await a().post('/api/hmac', { input }).expect(200);
      expect(made.body.algorithm).toBe('sha2-256');
      await a().post('/api/verify', { message: input, hmac: made.body.hmac }).expect(200, { valid: true, key_id: made.body.key_id, algorithm: 'sha2-256' });
      const other = await a().post('/api/verify', { message: input, hmac: made.body.hmac, algorithm: 'sha2-512' }).expect(200);
      expect(other.body.valid).toBe(false);
    });

    it('works with every key type, and different keys give different HMACs', async () => {
      const input = b64('same input');
      const tags: string[] = [];
      for (const [type, id] of [['AES-256-GCM', 'h-aes'], ['Ed25519', 'h-ed'], ['X25519', 'h-x']] as const) {
        await a().post('/api/keys', { type, key_id: id }).expect(201);
        const made = await a().post('/api/hmac', { input, key_id: id }).expect(200);
        expect(made.body.key_id).toBe(id);
        tags.push(splitVersioned(made.body.hmac).bytes.toString('hex'));
        await a().post('/api/verify', { message: input, hmac: made.body.hmac, key_id: id }).expect(200, { valid: true, key_id: id, algorithm: 'sha2-256' });
      }
      expect(new Set(tags).size).toBe(3);
      // A tag of one key does not verify under another.
      const fromAes = await a().post('/api/hmac', { input, key_id: 'h-aes' }).expect(200);
      const cross = await a().post('/api/verify', { message: input, hmac: fromAes.body.hmac, key_id: 'h-ed' }).expect(200);
      expect(cross.body.valid).toBe(false);
    });

    it('keeps old versions verifying after rotation while they are at or above min_decryption_version', async () => {
      await a().post('/api/keys', { type: 'AES-256-GCM', key_id: 'h-rot' }).expect(201);
      const input = b64('rotate me');
      const v1 = await a().post('/api/hmac', { input, key_id: 'h-rot' }).expect(200);
      await a().post('/api/keys/h-rot/rotate', {}).expect(200);
      const v2 = await a().post('/api/hmac', { input, key_id: 'h-rot' }).expect(200);
      expect(v2.body.key_version).toBe(2);
      // Each version has its own HMAC secret.
      expect(splitVersioned(v2.body.hmac).bytes.equals(splitVersioned(v1.body.hmac).bytes)).toBe(false);
      const pinned = await a().post('/api/hmac', { input, key_id: 'h-rot', key_version: 1 }).expect(200);
      expect(pinned.body.hmac).toBe(v1.body.hmac);

      const check = async (hmac: string) => (await a().post('/api/verify', { message: input, hmac, key_id: 'h-rot' }).expect(200)).body.valid;
      expect(await check(v1.body.hmac)).toBe(true);
      expect(await check(v2.body.hmac)).toBe(true);
      // The v1 tag relabelled as v2 is not a v2 tag.
      expect(await check(versioned(2, splitVersioned(v1.body.hmac).bytes))).toBe(false);

      await a().post('/api/keys/h-rot/config', { min_decryption_version: 2 }).expect(200);
      expect(await check(v1.body.hmac)).toBe(false);
      expect(await check(v2.body.hmac)).toBe(true);
      await a().post('/api/hmac', { input, key_id: 'h-rot', key_version: 1 }).expect(400);
      await a().post('/api/keys/h-rot/config', { min_decryption_version: 1 }).expect(200);
      expect(await check(v1.body.hmac)).toBe(true);
    });

    it('refuses an unprefixed hmac with 400, but an unknown or foreign key answers 404 first', async () => {
      const input = b64('bare');
      const made = await a().post('/api/hmac', { input, key_id: 'h-aes' }).expect(200);
      const bare = splitVersioned(made.body.hmac).bytes.toString('base64');
      const res = await a().post('/api/verify', { message: input, hmac: bare, key_id: 'h-aes' }).set('X-Request-ID', 'bare-hmac').expect(400);
      expect(res.body).toMatchObject({ error_code: 'INVALID_REQUEST', request_id: 'bare-hmac' });
      expect(res.body.message).toBe('hmac must carry its key version prefix (mfn:v<N>:<base64>)');
      await a().post('/api/verify', { message: input, hmac: bare, key_id: 'no-such-key' }).expect(404);
      // tenant-b cannot see tenant-a's key, whether it names it as its own or as tenant-a's.
      await b().post('/api/verify', { message: input, hmac: made.body.hmac, key_id: 'h-aes' }).expect(404);
      await b().post('/api/verify', { message: input, hmac: bare, key_id: 'h-aes', tenant: 'tenant-a' }).expect(404);
      await b().post('/api/hmac', { input, key_id: 'h-aes', tenant: 'tenant-a' }).expect(404);
      // A malformed prefix is simply not a valid tag.
      const malformed = await a().post('/api/verify', { message: input, hmac: 'mfn:vX:AAAA', key_id: 'h-aes' }).expect(200);
      expect(malformed.body.valid).toBe(false);
    });

    it('honours grants: sign makes HMACs, verify checks them', async () => {
      await a().post('/api/keys', { type: 'AES-256-GCM', key_id: 'h-shared' }).expect(201);
      const input = b64('shared');
      const made = await a().post('/api/hmac', { input, key_id: 'h-shared' }).expect(200);
      const asB = { message: input, hmac: made.body.hmac, key_id: 'h-shared', tenant: 'tenant-a' };
      await b().post('/api/verify', asB).expect(404);
      await a().put('/api/keys/h-shared/grants/tenant-b', { operations: ['verify'] }).expect(200);
      await b().post('/api/verify', asB).expect(200, { valid: true, key_id: 'h-shared', algorithm: 'sha2-256' });
      await b().post('/api/hmac', { input, key_id: 'h-shared', tenant: 'tenant-a' }).expect(404);
    });

    it('answers request-shape problems with 422 in the envelope', async () => {
      const input = b64('shape');
      for (const body of [
        { message: input },
        { message: input, signature: 'mfn:v1:AAAA', hmac: 'mfn:v1:AAAA' },
        { message: input, hmac: 'mfn:v1:AAAA', algorithm: 'sha256' },
        { message: input, hmac: 'mfn:v1:AAAA', algorithm: null },
        { message: input, signature: 'mfn:v1:AAAA', algorithm: 'sha2-256' },
        { message: input, hmac: 'mfn:v1:AAAA', public_key: b64(Buffer.alloc(32)) },
      ]) {
        const res = await a().post('/api/verify', body).expect(422);
        expect(res.body.error_code).toBe('VALIDATION_ERROR');
        expect(typeof res.body.request_id).toBe('string');
      }
      for (const body of [{}, { input: 'not base64!' }, { input, algorithm: 'SHA2-256' }, { input, key_version: 0 }]) {
        const res = await a().post('/api/hmac', body).expect(422);
        expect(res.body.error_code).toBe('VALIDATION_ERROR');
      }
    });
  });

  describe('batch_input', () => {
    it('HMACs a batch with per-item errors in place and one audit event', async () => {
      await a().post('/api/keys', { type: 'AES-256-GCM', key_id: 'b-hmac' }).expect(201);
      await a().post('/api/keys/b-hmac/rotate', {}).expect(200);
      const before = auditEvents(t, 'crypto_operation').length;
      const res = await a()
        .post('/api/hmac', {
          key_id: 'b-hmac',
          algorithm: 'sha2-384',
          batch_input: [{ input: b64('one') }, { input: 'not base64!' }, { input: b64('two'), key_version: 1 }, { input: b64('three'), key_version: 9 }, 'x'],
        })
        .expect(200);
      const results = res.body.batch_results;
      expect(results).toHaveLength(5);
      expect(results[0]).toMatchObject({ key_id: 'b-hmac', key_version: 2, algorithm: 'sha2-384' });
      expect(results[1].error.code).toBe('VALIDATION_ERROR');
      expect(results[2]).toMatchObject({ key_version: 1 });
      expect(results[3].error).toEqual({ code: 'INVALID_REQUEST', message: 'key_version must be between 1 and 2' });
      expect(results[4].error.code).toBe('VALIDATION_ERROR');

      const events = auditEvents(t, 'crypto_operation').slice(before);
      expect(events).toHaveLength(1);
      expect(events[0].details).toMatchObject({ operation: 'hmac', key_id: 'b-hmac', batch_size: 5, failed: 3 });

      // Each batch result verifies alone, and all of them in one verify batch.
      const single = await a().post('/api/verify', { message: b64('two'), hmac: results[2].hmac, key_id: 'b-hmac', algorithm: 'sha2-384' }).expect(200);
      expect(single.body.valid).toBe(true);
      const verified = await a()
        .post('/api/verify', {
          key_id: 'b-hmac',
          algorithm: 'sha2-384',
          batch_input: [
            { message: b64('one'), hmac: results[0].hmac },
            { message: b64('two'), hmac: results[0].hmac },
            { message: b64('two'), hmac: results[2].hmac },
            { message: b64('one'), hmac: splitVersioned(results[0].hmac).bytes.toString('base64') },
            { message: b64('one') },
          ],
        })
        .expect(200);
      const v = verified.body.batch_results;
      expect(v.slice(0, 3)).toEqual([
        { valid: true, key_id: 'b-hmac', algorithm: 'sha2-384' },
        { valid: false, key_id: 'b-hmac', algorithm: 'sha2-384' },
        { valid: true, key_id: 'b-hmac', algorithm: 'sha2-384' },
      ]);
      expect(v[3].error.code).toBe('INVALID_REQUEST');
      expect(v[4].error).toEqual({ code: 'VALIDATION_ERROR', message: 'exactly one of signature and hmac is required' });
    });

    it('signs and verifies a batch, mixing signatures and HMACs in verify', async () => {
      await a().post('/api/keys', { type: 'Ed25519', key_id: 'b-sign' }).expect(201);
      const signed = await a()
        .post('/api/sign', { key_id: 'b-sign', batch_input: [{ message: b64('m1') }, { message: '' }, { message: b64('m2'), key_version: 1 }] })
        .expect(200);
      const s = signed.body.batch_results;
      expect(s[0]).toMatchObject({ key_id: 'b-sign', key_version: 1, algorithm: 'Ed25519' });
      expect(s[1].error.code).toBe('VALIDATION_ERROR');
      expect(s[2].signature).toMatch(/^mfn:v1:/);
      const tag = await a().post('/api/hmac', { input: b64('m1'), key_id: 'b-sign' }).expect(200);

      const verified = await a()
        .post('/api/verify', {
          key_id: 'b-sign',
          batch_input: [
            { message: b64('m1'), signature: s[0].signature },
            { message: b64('m2'), signature: s[0].signature },
            { message: b64('m1'), hmac: tag.body.hmac },
            { message: b64('m1'), signature: s[0].signature, hmac: tag.body.hmac },
          ],
        })
        .expect(200);
      expect(verified.body.batch_results).toEqual([
        { valid: true, key_id: 'b-sign', algorithm: 'Ed25519' },
        { valid: false, key_id: 'b-sign', algorithm: 'Ed25519' },
        { valid: true, key_id: 'b-sign', algorithm: 'sha2-256' },
        { error: { code: 'VALIDATION_ERROR', message: 'exactly one of signature and hmac is required' } },
      ]);
    });

    it('refuses lists over MFN_CRYPTO_MAX_BATCH_ITEMS, empty lists and per-item fields beside batch_input (422)', async () => {
      const item = { input: b64('x') };
      const tooMany = await a().post('/api/hmac', { batch_input: Array(6).fill(item) }).expect(422);
      expect(tooMany.body.message).toBe('batch_input holds at most 5 items');
      await a().post('/api/hmac', { batch_input: Array(5).fill(item) }).expect(200);
      await a().post('/api/hmac', { batch_input: [] }).expect(422);
      await a().post('/api/hmac', { input: b64('x'), batch_input: [item] }).expect(422);
      await a().post('/api/sign', { message: b64('x'), batch_input: [{ message: b64('x') }] }).expect(422);
      await a().post('/api/sign', { batch_input: Array(6).fill({ message: b64('x') }) }).expect(422);
      await a().post('/api/verify', { hmac: 'mfn:v1:AAAA', batch_input: [{ message: b64('x'), hmac: 'mfn:v1:AAAA' }] }).expect(422);
      await a().post('/api/verify', { batch_input: 'nope' }).expect(422);
    });

    it('fails the whole batch when the key is unknown (404), not item by item', async () => {
      await a().post('/api/hmac', { key_id: 'no-such-batch-key', batch_input: [{ input: b64('x') }] }).expect(404);
    });
  });

  describe('POST /api/derive', () => {
    async function x25519Key(id: string): Promise<Buffer> {
      await a().post('/api/keys', { type: 'X25519', key_id: id }).expect(201);
      const described = await a().get(`/api/keys/${id}`).expect(200);
      return Buffer.from(described.body.versions[0].public_key, 'base64');
    }

    it('derives ECDH + HKDF-SHA256 as @noble/curves and node:crypto compute it, in plaintext and wrapped', async () => {
      const servicePublic = await x25519Key('x-derive');
      const peerPrivate = x25519.utils.randomPrivateKey();
      const peerPublic = Buffer.from(x25519.getPublicKey(peerPrivate));
      const shared = Buffer.from(x25519.getSharedSecret(peerPrivate, servicePublic));
      const salt = randomBytes(16);
      const info = Buffer.from('mfn e2e context');
      const expected = (length: number) => Buffer.from(hkdfSync('sha256', shared, salt, info, length));

      for (const length of [16, 32, 64]) {
        const res = await a()
          .post('/api/derive', { key_id: 'x-derive', peer_public_key: b64(peerPublic), salt: b64(salt), info: b64(info), length, output: 'plaintext' })
          .expect(200);
        expect(res.body).toEqual({
          key_id: 'x-derive',
          key_version: 1,
          algorithm: 'X25519-HKDF-SHA256',
          length,
          derived_key: expected(length).toString('base64'),
        });
      }
      // Absent salt and info are empty; absent length is 32.
      const plain = await a().post('/api/derive', { key_id: 'x-derive', peer_public_key: b64(peerPublic), output: 'plaintext' }).expect(200);
      expect(plain.body.derived_key).toBe(Buffer.from(hkdfSync('sha256', shared, Buffer.alloc(0), Buffer.alloc(0), 32)).toString('base64'));

      // Wrapped (the default): under the default encryption key, or a named one; never in clear.
      const body = { key_id: 'x-derive', peer_public_key: b64(peerPublic), salt: b64(salt), info: b64(info) };
      const wrapped = await a().post('/api/derive', body).expect(200);
      expect(wrapped.body.derived_key).toBeUndefined();
      expect(wrapped.body).toMatchObject({ key_id: 'x-derive', key_version: 1, length: 32, wrap_key_version: 1 });
      expect(JSON.stringify(wrapped.body)).not.toContain(expected(32).toString('base64'));
      const opened = await a().post('/api/decrypt', { ciphertext: wrapped.body.ciphertext, key_id: wrapped.body.wrap_key_id }).expect(200);
      expect(opened.body.plaintext).toBe(expected(32).toString('base64'));
      const enc = await a().post('/api/encrypt', { plaintext: b64('x') }).expect(200);
      expect(wrapped.body.wrap_key_id).toBe(enc.body.key_id);

      await a().post('/api/keys', { type: 'AES-256-GCM', key_id: 'x-wrap' }).expect(201);
      const named = await a().post('/api/derive', { ...body, wrap_key_id: 'x-wrap' }).expect(200);
      expect(named.body.wrap_key_id).toBe('x-wrap');
      const openedNamed = await a().post('/api/decrypt', { ciphertext: named.body.ciphertext, key_id: 'x-wrap' }).expect(200);
      expect(openedNamed.body.plaintext).toBe(expected(32).toString('base64'));

      // A wrap key must be the caller's AES key.
      await a().post('/api/derive', { ...body, wrap_key_id: 'x-derive' }).expect(404);
      await a().post('/api/derive', { ...body, wrap_key_id: 'no-such-wrap' }).expect(404);
      await a().post('/api/derive', { ...body, output: 'plaintext', wrap_key_id: 'x-wrap' }).expect(422);
    });

    it('derives with an older version after rotation, with that version\'s private key', async () => {
      const v1Public = await x25519Key('x-rot');
      await a().post('/api/keys/x-rot/rotate', {}).expect(200);
      const peerPrivate = x25519.utils.randomPrivateKey();
      const peer = b64(Buffer.from(x25519.getPublicKey(peerPrivate)));
      const shared = Buffer.from(x25519.getSharedSecret(peerPrivate, v1Public));
      const res = await a().post('/api/derive', { key_id: 'x-rot', key_version: 1, peer_public_key: peer, output: 'plaintext' }).expect(200);
      expect(res.body.derived_key).toBe(Buffer.from(hkdfSync('sha256', shared, Buffer.alloc(0), Buffer.alloc(0), 32)).toString('base64'));
      const latest = await a().post('/api/derive', { key_id: 'x-rot', peer_public_key: peer, output: 'plaintext' }).expect(200);
      expect(latest.body.key_version).toBe(2);
      expect(latest.body.derived_key).not.toBe(res.body.derived_key);
      await a().post('/api/derive', { key_id: 'x-rot', key_version: 3, peer_public_key: peer }).expect(400);
    });

    it('refuses low-order and malformed peer keys with a clear 400', async () => {
      await x25519Key('x-bad');
      const low = await a().post('/api/derive', { key_id: 'x-bad', peer_public_key: b64(Buffer.alloc(32)) }).set('X-Request-ID', 'low-order').expect(400);
      expect(low.body).toMatchObject({ error_code: 'INVALID_REQUEST', request_id: 'low-order' });
      expect(low.body.message).toBe('peer_public_key is a low-order point (the shared secret would be all zeros) and is refused');
      const one = Buffer.alloc(32);
      one[0] = 1;
      await a().post('/api/derive', { key_id: 'x-bad', peer_public_key: b64(one) }).expect(400);
      const short = await a().post('/api/derive', { key_id: 'x-bad', peer_public_key: b64(Buffer.alloc(31, 9)) }).expect(400);
      expect(short.body.message).toBe('peer_public_key must be a raw 32-byte X25519 public key');
      await a().post('/api/derive', { key_id: 'x-bad', peer_public_key: 'not base64!' }).expect(422);
    });

    it('answers 404 for a key that is not an X25519 key, unknown, or another tenant\'s without a derive grant', async () => {
      const peer = b64(Buffer.from(x25519.getPublicKey(x25519.utils.randomPrivateKey())));
      await a().post('/api/keys', { type: 'Ed25519', key_id: 'x-not' }).expect(201);
      const wrongType = await a().post('/api/derive', { key_id: 'x-not', peer_public_key: peer }).expect(404);
      expect(wrongType.body.message).toBe("Key 'x-not' is not an X25519 key-agreement key");
      await a().post('/api/derive', { key_id: 'x-missing', peer_public_key: peer }).expect(404);
      await x25519Key('x-shared');
      const asB = { key_id: 'x-shared', tenant: 'tenant-a', peer_public_key: peer, output: 'plaintext' };
      await b().post('/api/derive', asB).expect(404);
      await a().put('/api/keys/x-shared/grants/tenant-b', { operations: ['derive'] }).expect(200);
      await b().post('/api/derive', asB).expect(200);
    });

    it('validates the request: key_id required, length 16..64, output names', async () => {
      const peer = b64(Buffer.alloc(32, 9));
      for (const body of [
        { peer_public_key: peer },
        { key_id: 'x-derive' },
        { key_id: 'x-derive', peer_public_key: peer, length: 15 },
        { key_id: 'x-derive', peer_public_key: peer, length: 65 },
        { key_id: 'x-derive', peer_public_key: peer, output: 'clear' },
        { key_id: 'x-derive', peer_public_key: peer, salt: 'not base64!' },
        { key_id: 'x-derive', peer_public_key: peer, info: b64(Buffer.alloc(1025)) },
      ]) {
        const res = await a().post('/api/derive', body).expect(422);
        expect(res.body.error_code).toBe('VALIDATION_ERROR');
      }
    });
  });
});
