import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { MetricsService } from '../src/metrics/metrics.service';
import { auditEvents, b64, post, splitVersioned, versioned } from './helpers/crypto';
import { TestApp, createTestApp } from './helpers/test-app';

jest.setTimeout(60_000);

const MASTER_KEY = randomBytes(32).toString('base64');

function expectEnvelope(body: Record<string, unknown>, code: string, requestId?: string): void {
  expect(body.error_code).toBe(code);
  expect(typeof body.message).toBe('string');
  expect(body.detail).toBe(body.message);
  expect(typeof body.request_id).toBe('string');
  if (requestId) expect(body.request_id).toBe(requestId);
}

describe('crypto API (memory key store)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ MFN_MASTER_KEY: MASTER_KEY, MFN_CRYPTO_MAX_KEYS_PER_TENANT: '1000' });
  });
  afterAll(async () => {
    await t.close();
  });

  describe('encrypt / decrypt', () => {
    it('round-trips with the default key, created on first use, with the documented ciphertext layout', async () => {
      const plaintext = randomBytes(1024);
      const enc = await post(t, '/api/encrypt', { plaintext: b64(plaintext) }).expect(200);
      expect(enc.body.algorithm).toBe('AES-256-GCM');
      expect(enc.body.key_id).toMatch(/^key_[0-9a-f]{32}$/);
      expect(enc.body.key_version).toBe(1);
      const { version, bytes } = splitVersioned(enc.body.ciphertext);
      expect(version).toBe(1);
      expect(bytes.length).toBe(12 + plaintext.length + 16);

      const dec = await post(t, '/api/decrypt', { ciphertext: enc.body.ciphertext }).expect(200);
      expect(Buffer.from(dec.body.plaintext, 'base64').equals(plaintext)).toBe(true);
      expect(dec.body.key_id).toBe(enc.body.key_id);
      expect(dec.body.key_version).toBe(1);

      const again = await post(t, '/api/encrypt', { plaintext: b64('second') }).expect(200);
      expect(again.body.key_id).toBe(enc.body.key_id);
      expect(auditEvents(t, 'key_created').filter((e) => (e.details as Record<string, unknown>).key_id === enc.body.key_id)).toHaveLength(1);
    });

    it('binds associated data: same AAD decrypts, wrong or missing AAD gives DECRYPTION_FAILED', async () => {
      const aad = b64('order-42');
      const enc = await post(t, '/api/encrypt', { plaintext: b64('with aad'), associated_data: aad }).expect(200);
      const ok = await post(t, '/api/decrypt', { ciphertext: enc.body.ciphertext, associated_data: aad }).expect(200);
      expect(Buffer.from(ok.body.plaintext, 'base64').toString()).toBe('with aad');

      for (const wrong of [{ associated_data: b64('order-43') }, {}, { associated_data: '' }]) {
        const res = await post(t, '/api/decrypt', { ciphertext: enc.body.ciphertext, ...wrong }).expect(400);
        expectEnvelope(res.body, 'DECRYPTION_FAILED');
        expect(res.body.message).toBe('Decryption failed');
      }
    });

    it('treats absent and empty associated data alike', async () => {
      const enc = await post(t, '/api/encrypt', { plaintext: b64('no aad') }).expect(200);
      await post(t, '/api/decrypt', { ciphertext: enc.body.ciphertext, associated_data: '' }).expect(200);
    });

    it('refuses tampering anywhere (nonce, ciphertext, tag) with a generic 400 and the request id', async () => {
      const enc = await post(t, '/api/encrypt', { plaintext: b64('tamper target') }).expect(200);
      const { version, bytes } = splitVersioned(enc.body.ciphertext);
      for (const index of [0, 11, 12, bytes.length - 17, bytes.length - 16, bytes.length - 1]) {
        const tampered = Buffer.from(bytes);
        // eslint-disable-next-line security/detect-object-injection -- integer index into the ciphertext's bytes
        tampered[index] ^= 0x01;
        const res = await post(t, '/api/decrypt', { ciphertext: versioned(version, tampered) })
          .set('X-Request-ID', `tamper-${index}`)
          .expect(400);
        expectEnvelope(res.body, 'DECRYPTION_FAILED', `tamper-${index}`);
        expect(res.body.message).toBe('Decryption failed');
        expect(res.headers['x-request-id']).toBe(`tamper-${index}`);
      }
    });

    it('refuses the wrong key', async () => {
      const other = await post(t, '/api/keys', { type: 'AES-256-GCM', key_id: 'wrong-key-test' }).expect(201);
      expect(other.body.key_id).toBe('wrong-key-test');
      const enc = await post(t, '/api/encrypt', { plaintext: b64('for the default key') }).expect(200);
      const res = await post(t, '/api/decrypt', { ciphertext: enc.body.ciphertext, key_id: 'wrong-key-test' }).expect(400);
      expectEnvelope(res.body, 'DECRYPTION_FAILED');

      const named = await post(t, '/api/encrypt', { plaintext: b64('named'), key_id: 'wrong-key-test' }).expect(200);
      expect(named.body.key_id).toBe('wrong-key-test');
      await post(t, '/api/decrypt', { ciphertext: named.body.ciphertext }).expect(400);
      await post(t, '/api/decrypt', { ciphertext: named.body.ciphertext, key_id: 'wrong-key-test' }).expect(200);
    });

    it('refuses the bare base64 payload (no version prefix) with 400 INVALID_REQUEST, for the default and a named key', async () => {
      const enc = await post(t, '/api/encrypt', { plaintext: b64('bare') }).expect(200);
      const bare = splitVersioned(enc.body.ciphertext).bytes.toString('base64');
      for (const body of [{ ciphertext: bare }, { ciphertext: bare, key_id: enc.body.key_id }, { ciphertext: 'this is not a ciphertext' }]) {
        const res = await post(t, '/api/decrypt', body).expect(400);
        expectEnvelope(res.body, 'INVALID_REQUEST');
        expect(res.body.message).toBe('ciphertext must carry its key version prefix (mfn:v<N>:<base64>)');
        expect(JSON.stringify(res.body)).not.toContain(bare);
      }
      const dec = await post(t, '/api/decrypt', { ciphertext: enc.body.ciphertext }).expect(200);
      expect(Buffer.from(dec.body.plaintext, 'base64').toString()).toBe('bare');
    });

    it.each([
      ['shorter than 28 bytes', versioned(1, randomBytes(27))],
      ['not base64', 'mfn:v1:!!!!'],
      ['a malformed version prefix', `mfn:vX:${randomBytes(40).toString('base64')}`],
      ['an unknown version', versioned(99, randomBytes(40))],
      ['random bytes', versioned(1, randomBytes(64))],
    ])('refuses a ciphertext that is %s with DECRYPTION_FAILED', async (_label, ciphertext) => {
      const res = await post(t, '/api/decrypt', { ciphertext }).expect(400);
      expectEnvelope(res.body, 'DECRYPTION_FAILED');
    });

    it('validates fields with 422 and never echoes payloads', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{}, 'body.plaintext'],
        [{ plaintext: '' }, 'body.plaintext'],
        [{ plaintext: '!!!' }, 'body.plaintext'],
        [{ plaintext: 'aGVsbG8' }, 'body.plaintext'],
        [{ plaintext: 'aGVs bG8=' }, 'body.plaintext'],
        [{ plaintext: 'aGVsbG8_' }, 'body.plaintext'],
        [{ plaintext: 12345 }, 'body.plaintext'],
        [{ plaintext: 'A'.repeat(1_048_580) }, 'body.plaintext'],
        [{ plaintext: 'aGVsbG8=', associated_data: 'A'.repeat(4100) }, 'body.associated_data'],
        [{ plaintext: 'aGVsbG8=', associated_data: 'not base64!' }, 'body.associated_data'],
        [{ plaintext: 'aGVsbG8=', key_id: 'bad key id' }, 'body.key_id'],
        [{ plaintext: 'aGVsbG8=', key_id: 'k'.repeat(65) }, 'body.key_id'],
        [{ plaintext: 'aGVsbG8=', key_id: '' }, 'body.key_id'],
      ];
      for (const [body, field] of cases) {
        const res = await post(t, '/api/encrypt', body).expect(422);
        expectEnvelope(res.body, 'VALIDATION_ERROR');
        const details = res.body.details as { field: string; value?: unknown }[];
        expect(details.map((d) => d.field)).toContain(field);
        if (field !== 'body.key_id') expect(details.every((d) => d.value === undefined)).toBe(true);
      }
      const dec = await post(t, '/api/decrypt', { ciphertext: 'A'.repeat(1_048_577) }).expect(422);
      expectEnvelope(dec.body, 'VALIDATION_ERROR');
    });

    it('accepts the largest plaintext field and ignores unknown fields', async () => {
      const big = 'A'.repeat(1_048_576);
      const enc = await post(t, '/api/encrypt', { plaintext: big, extra: 'ignored' }).expect(200);
      expect(splitVersioned(enc.body.ciphertext).bytes.length).toBe(786_432 + 28);
    });
  });

  describe('sign / verify', () => {
    it('signs with a created Ed25519 pair and verifies by key id, by public key and as default signer', async () => {
      const kp = await post(t, '/api/keypair', { key_id: 'signer-1' }).expect(200);
      expect(kp.body).toEqual({ key_id: 'signer-1', public_key: expect.any(String), algorithm: 'Ed25519', key_version: 1 });
      expect(Buffer.from(kp.body.public_key, 'base64').length).toBe(32);

      const message = b64('signed message');
      const sig = await post(t, '/api/sign', { message, key_id: 'signer-1' }).expect(200);
      expect(sig.body.algorithm).toBe('Ed25519');
      expect(sig.body.key_id).toBe('signer-1');
      const { version, bytes } = splitVersioned(sig.body.signature);
      expect(version).toBe(1);
      expect(bytes.length).toBe(64);

      const byId = await post(t, '/api/verify', { message, signature: sig.body.signature, key_id: 'signer-1' }).expect(200);
      expect(byId.body).toEqual({ valid: true, key_id: 'signer-1', algorithm: 'Ed25519' });

      const byKey = await post(t, '/api/verify', { message, signature: bytes.toString('base64'), public_key: kp.body.public_key }).expect(200);
      expect(byKey.body).toEqual({ valid: true, key_id: null, algorithm: 'Ed25519' });

      const echoed = await post(t, '/api/verify', {
        message,
        signature: sig.body.signature,
        public_key: kp.body.public_key,
        key_id: 'whatever-id',
      }).expect(200);
      expect(echoed.body).toEqual({ valid: true, key_id: 'whatever-id', algorithm: 'Ed25519' });

      // A bare signature names no version: refused for a stored key (still fine with public_key, above).
      const bare = await post(t, '/api/verify', { message, signature: bytes.toString('base64'), key_id: 'signer-1' }).expect(400);
      expectEnvelope(bare.body, 'INVALID_REQUEST');
      expect(bare.body.message).toBe('signature must carry its key version prefix (mfn:v<N>:<base64>)');
    });

    it('is deterministic and answers false for another message', async () => {
      await post(t, '/api/keypair', { key_id: 'signer-det' }).expect(200);
      const a = await post(t, '/api/sign', { message: b64('m'), key_id: 'signer-det' }).expect(200);
      const b = await post(t, '/api/sign', { message: b64('m'), key_id: 'signer-det' }).expect(200);
      expect(a.body.signature).toBe(b.body.signature);
      const res = await post(t, '/api/verify', { message: b64('n'), signature: a.body.signature, key_id: 'signer-det' }).expect(200);
      expect(res.body.valid).toBe(false);
    });

    it('answers valid:false for malformed signatures and public keys', async () => {
      const kp = await post(t, '/api/keypair', { key_id: 'signer-malformed' }).expect(200);
      const message = b64('x');
      const sig = await post(t, '/api/sign', { message, key_id: 'signer-malformed' }).expect(200);
      const { bytes } = splitVersioned(sig.body.signature);
      const L = (1n << 252n) + 27742317777372353535851937790883648493n;
      let s = 0n;
      for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(bytes[32 + i]);
      s += L;
      const malleable = Buffer.from(bytes);
      for (let i = 0; i < 32; i++) {
        malleable[32 + i] = Number(s & 0xffn);
        s >>= 8n;
      }
      const badSignatures = [
        bytes.subarray(0, 63).toString('base64'),
        Buffer.concat([bytes, Buffer.alloc(1)]).toString('base64'),
        'not-a-signature',
        'mfn:v1:!!!!',
        'mfn:vX:' + bytes.toString('base64'),
        malleable.toString('base64'),
        Buffer.alloc(64).toString('base64'),
      ];
      for (const signature of badSignatures) {
        // By key id a signature must carry its version: the bad payloads are tried as version 1.
        const prefixed = signature.startsWith('mfn:') ? signature : `mfn:v1:${signature}`;
        const byId = await post(t, '/api/verify', { message, signature: prefixed, key_id: 'signer-malformed' }).expect(200);
        expect(byId.body.valid).toBe(false);
        if (prefixed !== signature) {
          const bare = await post(t, '/api/verify', { message, signature, key_id: 'signer-malformed' }).expect(400);
          expectEnvelope(bare.body, 'INVALID_REQUEST');
        }
        const byKey = await post(t, '/api/verify', { message, signature, public_key: kp.body.public_key }).expect(200);
        expect(byKey.body.valid).toBe(false);
      }
      for (const public_key of ['invalid', b64(randomBytes(31)), b64(randomBytes(33)), Buffer.alloc(32, 0xff).toString('base64')]) {
        const res = await post(t, '/api/verify', { message, signature: sig.body.signature, public_key }).expect(200);
        expect(res.body.valid).toBe(false);
      }
    });

    it('validates verify fields with 422', async () => {
      await post(t, '/api/verify', { message: b64('m') }).expect(422);
      await post(t, '/api/verify', { message: b64('m'), signature: 'A'.repeat(257) }).expect(422);
      await post(t, '/api/verify', { message: b64('m'), signature: 'AAAA', public_key: 'A'.repeat(257) }).expect(422);
      await post(t, '/api/verify', { message: 'not base64!', signature: 'AAAA' }).expect(422);
      await post(t, '/api/sign', { message: '' }).expect(422);
    });

    it('keypair: ECDH makes an X25519 pair that cannot sign; algorithms are exact-case', async () => {
      const ecdh = await post(t, '/api/keypair', { algorithm: 'ECDH', key_id: 'agree-1' }).expect(200);
      expect(ecdh.body.algorithm).toBe('ECDH');
      expect(Buffer.from(ecdh.body.public_key, 'base64').length).toBe(32);
      const res = await post(t, '/api/sign', { message: b64('m'), key_id: 'agree-1' }).expect(404);
      expectEnvelope(res.body, 'NOT_FOUND');
      for (const algorithm of ['ed25519', 'ECDSA', 'X25519', 'RSA', 5]) {
        await post(t, '/api/keypair', { algorithm }).expect(422);
      }
      const meta = await request(t.server).get('/api/keys/agree-1').expect(200);
      expect(meta.body.type).toBe('X25519');
      expect(meta.body.versions[0].public_key).toBe(ecdh.body.public_key);
    });

    it('keypair: an existing id is a 409 and is not overwritten', async () => {
      const first = await post(t, '/api/keypair', { key_id: 'dup-1' }).expect(200);
      for (const algorithm of ['Ed25519', 'ECDH']) {
        const res = await post(t, '/api/keypair', { key_id: 'dup-1', algorithm }).expect(409);
        expectEnvelope(res.body, 'CONFLICT');
      }
      await post(t, '/api/keys', { type: 'AES-256-GCM', key_id: 'dup-1' }).expect(409);
      const meta = await request(t.server).get('/api/keys/dup-1').expect(200);
      expect(meta.body.versions[0].public_key).toBe(first.body.public_key);
    });
  });

  describe('unknown key ids', () => {
    it.each([
      ['/api/encrypt', { plaintext: b64('x'), key_id: 'no-such-key' }],
      ['/api/decrypt', { ciphertext: versioned(1, randomBytes(40)), key_id: 'no-such-key' }],
      ['/api/sign', { message: b64('x'), key_id: 'no-such-key' }],
      ['/api/verify', { message: b64('x'), signature: b64(randomBytes(64)), key_id: 'no-such-key' }],
      ['/api/keys/no-such-key/rotate', {}],
      ['/api/keys/no-such-key/config', { min_decryption_version: 1 }],
    ])('%s → 404 NOT_FOUND, never the default key', async (path, body) => {
      const res = await post(t, path, body).expect(404);
      expectEnvelope(res.body, 'NOT_FOUND');
    });

    it('GET /api/keys/{id} → 404 for unknown ids and 422 for ids outside the charset', async () => {
      await request(t.server).get('/api/keys/no-such-key').expect(404);
      const res = await request(t.server).get('/api/keys/bad%20id').expect(422);
      expectEnvelope(res.body, 'VALIDATION_ERROR');
    });

    it('an encryption key cannot sign and a signing key cannot encrypt', async () => {
      await post(t, '/api/keys', { type: 'AES-256-GCM', key_id: 'aes-only' }).expect(201);
      await post(t, '/api/keypair', { key_id: 'ed-only' }).expect(200);
      await post(t, '/api/sign', { message: b64('x'), key_id: 'aes-only' }).expect(404);
      await post(t, '/api/encrypt', { plaintext: b64('x'), key_id: 'ed-only' }).expect(404);
    });
  });

  describe('rotation and min_decryption_version', () => {
    it('v1 and v2 ciphertexts both decrypt after rotation until min_decryption_version retires v1', async () => {
      await post(t, '/api/keys', { type: 'AES-256-GCM', key_id: 'rotating' }).expect(201);
      const v1 = await post(t, '/api/encrypt', { plaintext: b64('one'), key_id: 'rotating' }).expect(200);
      expect(v1.body.key_version).toBe(1);

      const rotated = await post(t, '/api/keys/rotating/rotate', {}).expect(200);
      expect(rotated.body.latest_version).toBe(2);
      expect(rotated.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);

      const v2 = await post(t, '/api/encrypt', { plaintext: b64('two'), key_id: 'rotating' }).expect(200);
      expect(v2.body.key_version).toBe(2);
      expect(splitVersioned(v2.body.ciphertext).version).toBe(2);

      for (const [enc, text, version] of [[v1, 'one', 1], [v2, 'two', 2]] as const) {
        const dec = await post(t, '/api/decrypt', { ciphertext: enc.body.ciphertext, key_id: 'rotating' }).expect(200);
        expect(Buffer.from(dec.body.plaintext, 'base64').toString()).toBe(text);
        expect(dec.body.key_version).toBe(version);
      }

      const cfg = await post(t, '/api/keys/rotating/config', { min_decryption_version: 2 }).expect(200);
      expect(cfg.body.min_decryption_version).toBe(2);
      const refused = await post(t, '/api/decrypt', { ciphertext: v1.body.ciphertext, key_id: 'rotating' }).expect(400);
      expectEnvelope(refused.body, 'DECRYPTION_FAILED');
      const bareV1 = splitVersioned(v1.body.ciphertext).bytes.toString('base64');
      await post(t, '/api/decrypt', { ciphertext: bareV1, key_id: 'rotating' }).expect(400);
      await post(t, '/api/decrypt', { ciphertext: v2.body.ciphertext, key_id: 'rotating' }).expect(200);

      await post(t, '/api/keys/rotating/config', { min_decryption_version: 1 }).expect(200);
      await post(t, '/api/decrypt', { ciphertext: v1.body.ciphertext, key_id: 'rotating' }).expect(200);
    });

    it('signatures follow the same rule', async () => {
      await post(t, '/api/keypair', { key_id: 'rotating-signer' }).expect(200);
      const message = b64('signed before rotation');
      const s1 = await post(t, '/api/sign', { message, key_id: 'rotating-signer' }).expect(200);
      const rotated = await post(t, '/api/keys/rotating-signer/rotate', {}).expect(200);
      expect(rotated.body.versions[1].public_key).not.toBe(rotated.body.versions[0].public_key);
      const s2 = await post(t, '/api/sign', { message, key_id: 'rotating-signer' }).expect(200);
      expect(s2.body.key_version).toBe(2);
      expect(s2.body.signature).not.toBe(s1.body.signature);
      for (const s of [s1, s2]) {
        const res = await post(t, '/api/verify', { message, signature: s.body.signature, key_id: 'rotating-signer' }).expect(200);
        expect(res.body.valid).toBe(true);
      }
      await post(t, '/api/keys/rotating-signer/config', { min_decryption_version: 2 }).expect(200);
      const old = await post(t, '/api/verify', { message, signature: s1.body.signature, key_id: 'rotating-signer' }).expect(200);
      expect(old.body.valid).toBe(false);
      const current = await post(t, '/api/verify', { message, signature: s2.body.signature, key_id: 'rotating-signer' }).expect(200);
      expect(current.body.valid).toBe(true);
    });

    it('refuses min_decryption_version outside 1 … latest', async () => {
      await post(t, '/api/keys', { type: 'Ed25519', key_id: 'cfg-range' }).expect(201);
      const res = await post(t, '/api/keys/cfg-range/config', { min_decryption_version: 2 }).expect(400);
      expectEnvelope(res.body, 'INVALID_REQUEST');
      await post(t, '/api/keys/cfg-range/config', { min_decryption_version: 0 }).expect(422);
      await post(t, '/api/keys/cfg-range/config', { min_decryption_version: 1.5 }).expect(422);
      await post(t, '/api/keys/cfg-range/config', {}).expect(422);
    });

    it('key metadata shows versions and public keys, never secret material', async () => {
      await post(t, '/api/keys', { type: 'X25519', key_id: 'meta-check' }).expect(201);
      await post(t, '/api/keys/meta-check/rotate', {}).expect(200);
      const res = await request(t.server).get('/api/keys/meta-check').expect(200);
      expect(res.body).toEqual({
        key_id: 'meta-check',
        tenant: 'default',
        type: 'X25519',
        created_at: expect.any(String),
        latest_version: 2,
        min_available_version: 1,
        min_decryption_version: 1,
        min_encryption_version: 0,
        deletion_allowed: false,
        auto_rotate_period: 0,
        next_rotation_at: null,
        default_for: [],
        grants: [],
        versions: [
          { version: 1, created_at: expect.any(String), public_key: expect.any(String) },
          { version: 2, created_at: expect.any(String), public_key: expect.any(String) },
        ],
      });
      expect(JSON.stringify(res.body)).not.toMatch(/wrapped|private|secret|owner/);
    });

    it('audits key creation and rotation', async () => {
      await post(t, '/api/keys', { type: 'AES-256-GCM', key_id: 'audited-key' }).expect(201);
      await post(t, '/api/keys/audited-key/rotate', {}).set('X-Request-ID', 'rotate-audit').expect(200);
      const created = auditEvents(t, 'key_created').find((e) => (e.details as Record<string, unknown>).key_id === 'audited-key');
      expect(created).toMatchObject({ audit_event: true, category: 'configuration', success: true, resource: '/api/keys' });
      const rotated = auditEvents(t, 'key_rotated').find((e) => e.request_id === 'rotate-audit');
      expect(rotated).toMatchObject({ details: { key_id: 'audited-key', version: 2, type: 'AES-256-GCM' } });
    });
  });

  describe('audit and metrics', () => {
    it('records crypto operations with operation, key_id, algorithm and success, and failed decryptions', async () => {
      const enc = await post(t, '/api/encrypt', { plaintext: b64('audit me') }).set('X-Request-ID', 'audit-enc').expect(200);
      const event = auditEvents(t, 'crypto_operation').find((e) => e.request_id === 'audit-enc');
      expect(event).toMatchObject({
        severity: 'INFO',
        success: true,
        details: { operation: 'encrypt', key_id: enc.body.key_id, algorithm: 'AES-256-GCM', success: true, key_version: 1 },
      });

      const { bytes } = splitVersioned(enc.body.ciphertext);
      bytes[bytes.length - 1] ^= 1;
      await post(t, '/api/decrypt', { ciphertext: versioned(1, bytes) }).set('X-Request-ID', 'audit-dec').expect(400);
      const failed = auditEvents(t, 'crypto_operation').find((e) => e.request_id === 'audit-dec');
      expect(failed).toMatchObject({
        severity: 'WARNING',
        success: false,
        details: { operation: 'decrypt', key_id: enc.body.key_id, success: false, error: 'DECRYPTION_FAILED' },
      });
      const alarm = auditEvents(t, 'decryption_failed').find((e) => e.request_id === 'audit-dec');
      expect(alarm).toMatchObject({ category: 'security', severity: 'WARNING', success: false });

      const verify = await post(t, '/api/verify', { message: b64('m'), signature: b64(randomBytes(64)), public_key: b64(randomBytes(32)) })
        .set('X-Request-ID', 'audit-ext')
        .expect(200);
      expect(verify.body.valid).toBe(false);
      expect(auditEvents(t, 'crypto_operation').find((e) => e.request_id === 'audit-ext')).toMatchObject({
        details: { operation: 'verify', key_id: 'external', valid: false },
      });
    });

    it('never writes payloads or key material to the logs', async () => {
      const marker = 'PLAINTEXT-MARKER-7f3a';
      await post(t, '/api/encrypt', { plaintext: b64(marker), associated_data: b64(marker) }).expect(200);
      await post(t, '/api/encrypt', { plaintext: b64(marker) + '!' }).expect(422);
      const text = t.logs.text();
      expect(text).not.toContain(marker);
      expect(text).not.toContain(b64(marker));
      expect(text).not.toContain(MASTER_KEY);
    });

    it('counts operations in mfn_crypto_operations_total', async () => {
      const counter = t.app.get(MetricsService).cryptoOperations;
      const value = async (operation: string, success: string) =>
        (await counter.get()).values.find((v) => v.labels.operation === operation && v.labels.success === success)?.value ?? 0;
      const ok = await value('sign', 'true');
      const bad = await value('decrypt', 'false');
      await post(t, '/api/sign', { message: b64('count') }).expect(200);
      await post(t, '/api/decrypt', { ciphertext: versioned(1, randomBytes(30)) }).expect(400);
      expect(await value('sign', 'true')).toBe(ok + 1);
      expect(await value('decrypt', 'false')).toBe(bad + 1);
    });
  });
});

describe('crypto API: a fresh service without keys', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ MFN_MASTER_KEY: MASTER_KEY, MFN_CRYPTO_AUDIT_LOG: 'false' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('decrypt without any key → 400 DECRYPTION_FAILED "No encryption key available for decryption"', async () => {
    const res = await post(t, '/api/decrypt', { ciphertext: versioned(1, randomBytes(40)) }).expect(400);
    expectEnvelope(res.body, 'DECRYPTION_FAILED');
    expect(res.body.message).toBe('No encryption key available for decryption');
  });

  it('verify without public key, key id or default signer → 400 VERIFICATION_FAILED', async () => {
    const res = await post(t, '/api/verify', { message: b64('m'), signature: b64(randomBytes(64)) }).expect(400);
    expectEnvelope(res.body, 'VERIFICATION_FAILED');
    expect(res.body.message).toBe('No public key provided and no key_id matches stored keys');
  });

  it('a key pair does not become the default signer: the default is its own key, made on the first sign', async () => {
    const kp = await post(t, '/api/keypair', {}).expect(200);
    expect(kp.body.key_id).toMatch(/^key_[0-9a-f]{32}$/);
    await post(t, '/api/keypair', { key_id: 'second-signer' }).expect(200);
    const noDefault = await post(t, '/api/verify', { message: b64('m'), signature: versioned(1, randomBytes(64)) }).expect(400);
    expectEnvelope(noDefault.body, 'VERIFICATION_FAILED');
    const sig = await post(t, '/api/sign', { message: b64('m') }).expect(200);
    expect(sig.body.key_id).toMatch(/^key_[0-9a-f]{32}$/);
    expect([kp.body.key_id, 'second-signer']).not.toContain(sig.body.key_id);
    const again = await post(t, '/api/sign', { message: b64('n') }).expect(200);
    expect(again.body.key_id).toBe(sig.body.key_id);
    const res = await post(t, '/api/verify', { message: b64('m'), signature: sig.body.signature }).expect(200);
    expect(res.body).toEqual({ valid: true, key_id: sig.body.key_id, algorithm: 'Ed25519' });
    const byPair = await post(t, '/api/verify', { message: b64('m'), signature: sig.body.signature, key_id: kp.body.key_id }).expect(200);
    expect(byPair.body.valid).toBe(false);
    const meta = await request(t.server).get(`/api/keys/${sig.body.key_id}`).expect(200);
    expect(meta.body.default_for).toEqual(['signing']);
    const pair = await request(t.server).get(`/api/keys/${kp.body.key_id}`).expect(200);
    expect(pair.body.default_for).toEqual([]);
  });

  it('with MFN_CRYPTO_AUDIT_LOG=false, operations are not audited but failed decryptions and key events are', async () => {
    await post(t, '/api/encrypt', { plaintext: b64('quiet') }).set('X-Request-ID', 'quiet-enc').expect(200);
    expect(auditEvents(t, 'crypto_operation')).toHaveLength(0);
    expect(auditEvents(t, 'key_created').some((e) => e.request_id === 'quiet-enc')).toBe(true);
    await post(t, '/api/decrypt', { ciphertext: versioned(1, randomBytes(40)) }).set('X-Request-ID', 'quiet-dec').expect(400);
    expect(auditEvents(t, 'decryption_failed').some((e) => e.request_id === 'quiet-dec')).toBe(true);
  });
});

describe('crypto API: per-tenant key limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ MFN_MASTER_KEY: MASTER_KEY, MFN_CRYPTO_MAX_KEYS_PER_TENANT: '4' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('allows MFN_CRYPTO_MAX_KEYS_PER_TENANT keys, default keys included, then 409', async () => {
    await post(t, '/api/encrypt', { plaintext: b64('default key') }).expect(200);
    await post(t, '/api/sign', { message: b64('default signer') }).expect(200);
    await post(t, '/api/keypair', {}).expect(200);
    await post(t, '/api/keys', { type: 'AES-256-GCM' }).expect(201);
    const res = await post(t, '/api/keypair', { algorithm: 'ECDH' }).expect(409);
    expectEnvelope(res.body, 'CONFLICT');
    expect(res.body.message).toBe('Key limit reached: at most 4 keys per tenant');
    await post(t, '/api/keys', { type: 'Ed25519' }).expect(409);
    // The default keys still work at the limit; they exist already.
    await post(t, '/api/encrypt', { plaintext: b64('still') }).expect(200);
  });

  it('a default key that does not exist yet counts against the limit too', async () => {
    const full = await createTestApp({ MFN_MASTER_KEY: MASTER_KEY, MFN_CRYPTO_MAX_KEYS_PER_TENANT: '1' });
    try {
      await post(full, '/api/keys', { type: 'AES-256-GCM', key_id: 'only-one' }).expect(201);
      const res = await post(full, '/api/sign', { message: b64('needs a default signer') }).expect(409);
      expect(res.body.message).toBe('Key limit reached: at most 1 keys per tenant');
    } finally {
      await full.close();
    }
  });
});

describe('crypto API disabled', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ MFN_CRYPTO_ENABLED: 'false' });
  });
  afterAll(async () => {
    await t.close();
  });

  it.each([
    ['post', '/api/encrypt'],
    ['post', '/api/decrypt'],
    ['post', '/api/sign'],
    ['post', '/api/verify'],
    ['post', '/api/keypair'],
    ['post', '/api/keys'],
    ['get', '/api/keys/some-key'],
    ['post', '/api/keys/some-key/rotate'],
    ['post', '/api/keys/some-key/config'],
  ] as const)('%s %s → 503 before body validation', async (method, path) => {
    const req = method === 'get' ? request(t.server).get(path) : post(t, path, { plaintext: 42, algorithm: 'nope' });
    const res = await req.set('X-Request-ID', 'disabled-check').expect(503);
    expectEnvelope(res.body, 'SERVICE_UNAVAILABLE', 'disabled-check');
    expect(res.body.message).toBe('Cryptographic operations are disabled');
  });
});

describe('master key at start-up', () => {
  const prodEnv = {
    MFN_ENV: 'prod',
    MFN_API_KEY: 'k'.repeat(40),
  };

  it('prod without MFN_MASTER_KEY fails with one clear line', async () => {
    await expect(createTestApp(prodEnv)).rejects.toThrow(/^MFN_MASTER_KEY is required in prod/);
  });

  it('a malformed master key fails start-up without echoing it', async () => {
    const bad = randomBytes(16).toString('base64');
    const failure = createTestApp({ MFN_MASTER_KEY: bad });
    await expect(failure).rejects.toThrow(/MFN_MASTER_KEY must be standard base64 of exactly 32 bytes/);
    await failure.catch((err: Error) => expect(err.message).not.toContain(bad));
  });

  it('prod with a master key starts; prod with crypto disabled does not need one', async () => {
    const withKey = await createTestApp({ ...prodEnv, MFN_MASTER_KEY: MASTER_KEY });
    await withKey.close();
    const disabled = await createTestApp({ ...prodEnv, MFN_CRYPTO_ENABLED: 'false' });
    await disabled.close();
  });

  it('dev without a master key starts with a warning that keys will not survive a restart', async () => {
    const t = await createTestApp({});
    const warning = t.logs.records().find((r) => typeof r.message === 'string' && r.message.startsWith('MFN_MASTER_KEY is not set'));
    expect(warning).toMatchObject({ level: 'WARNING', logger: 'mfn.crypto.keys' });
    await post(t, '/api/encrypt', { plaintext: b64('x') }).expect(200);
    await t.close();
  });
});
