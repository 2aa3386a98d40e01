import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import request from 'supertest';
import { auditEvents, b64, post, splitVersioned, versioned } from './helpers/crypto';
import { TestApp, createTestApp } from './helpers/test-app';

jest.setTimeout(60_000);

const MASTER_KEY = randomBytes(32).toString('base64');

type Item = Record<string, unknown>;

function errorOf(item: Item): { code: string; message: string } {
  return item.error as { code: string; message: string };
}

function crypto(t: TestApp) {
  return {
    encrypt: (body: Item) => post(t, '/api/encrypt', body),
    decrypt: (body: Item) => post(t, '/api/decrypt', body),
    rewrap: (body: Item) => post(t, '/api/rewrap', body),
  };
}

describe('rewrap, batch_input and data keys (memory key store)', () => {
  let t: TestApp;
  let api: ReturnType<typeof crypto>;

  beforeAll(async () => {
    t = await createTestApp({ MFN_MASTER_KEY: MASTER_KEY, MFN_CRYPTO_MAX_KEYS_PER_TENANT: '1000' });
    api = crypto(t);
  });
  afterAll(async () => {
    await t.close();
  });

  describe('rewrap', () => {
    it('moves a v1 ciphertext to v2 after rotation without returning the plaintext, and refuses a retired version', async () => {
      await post(t, '/api/keys', { type: 'AES-256-GCM', key_id: 'rewrap-me' }).expect(201);
      const secret = b64('the rewrap secret');
      const aad = b64('row-7');
      const v1 = await api.encrypt({ plaintext: secret, key_id: 'rewrap-me', associated_data: aad }).expect(200);
      expect(splitVersioned(v1.body.ciphertext).version).toBe(1);
      await post(t, '/api/keys/rewrap-me/rotate', {}).expect(200);

      const rewrapped = await api.rewrap({ ciphertext: v1.body.ciphertext, key_id: 'rewrap-me', associated_data: aad }).expect(200);
      expect(Object.keys(rewrapped.body).sort()).toEqual(['ciphertext', 'key_id', 'key_version']);
      expect(rewrapped.body).toMatchObject({ key_id: 'rewrap-me', key_version: 2 });
      expect(splitVersioned(rewrapped.body.ciphertext).version).toBe(2);
      expect(rewrapped.text).not.toContain(secret);
      expect(rewrapped.body.ciphertext).not.toBe(v1.body.ciphertext);

      const dec = await api.decrypt({ ciphertext: rewrapped.body.ciphertext, key_id: 'rewrap-me', associated_data: aad }).expect(200);
      expect(dec.body.plaintext).toBe(secret);
      expect(dec.body.key_version).toBe(2);
      // The new ciphertext is bound to the same associated data.
      const noAad = await api.decrypt({ ciphertext: rewrapped.body.ciphertext, key_id: 'rewrap-me' }).expect(400);
      expect(noAad.body.error_code).toBe('DECRYPTION_FAILED');

      const events = auditEvents(t, 'crypto_operation').filter((e) => (e.details as Item).operation === 'rewrap');
      expect(events.at(-1)!.details).toMatchObject({ key_id: 'rewrap-me', key_version: 2, success: true });

      await post(t, '/api/keys/rewrap-me/config', { min_decryption_version: 2 }).expect(200);
      const retired = await api.rewrap({ ciphertext: v1.body.ciphertext, key_id: 'rewrap-me', associated_data: aad }).expect(400);
      expect(retired.body.error_code).toBe('DECRYPTION_FAILED');
      expect(retired.body.message).toBe('Decryption failed');
      expect(typeof retired.body.request_id).toBe('string');
    });

    it('rewraps to a chosen key_version within the key policy and refuses one out of range', async () => {
      await post(t, '/api/keys', { type: 'AES-256-GCM', key_id: 'rewrap-pick' }).expect(201);
      await post(t, '/api/keys/rewrap-pick/rotate', {}).expect(200);
      await post(t, '/api/keys/rewrap-pick/rotate', {}).expect(200);
      const v3 = await api.encrypt({ plaintext: b64('pick'), key_id: 'rewrap-pick' }).expect(200);
      expect(v3.body.key_version).toBe(3);
      const wrong = await api.rewrap({ ciphertext: v3.body.ciphertext, key_id: 'rewrap-pick', key_version: 9 }).expect(400);
      expect(wrong.body.message).toMatch(/key_version must be/);
      const bad = await api.rewrap({ ciphertext: 'not-versioned', key_id: 'rewrap-pick' }).expect(400);
      expect(bad.body.message).toBe('ciphertext must carry its key version prefix (mfn:v<N>:<base64>)');
      await api.rewrap({ key_id: 'rewrap-pick' }).expect(422);
      await api.rewrap({ ciphertext: v3.body.ciphertext, key_id: 'no-such-key' }).expect(404);
    });

    it('works with the default key, as decrypt does', async () => {
      const enc = await api.encrypt({ plaintext: b64('default') }).expect(200);
      const rewrapped = await api.rewrap({ ciphertext: enc.body.ciphertext }).expect(200);
      expect(rewrapped.body.key_id).toBe(enc.body.key_id);
      const dec = await api.decrypt({ ciphertext: rewrapped.body.ciphertext }).expect(200);
      expect(Buffer.from(dec.body.plaintext, 'base64').toString()).toBe('default');
    });
  });

  describe('batch_input', () => {
    it('encrypts, decrypts and rewraps item by item: good items succeed, bad ones answer in place, order kept', async () => {
      await post(t, '/api/keys', { type: 'AES-256-GCM', key_id: 'batch-key' }).expect(201);
      const aad = b64('batch-aad');
      const enc = await api
        .encrypt({
          key_id: 'batch-key',
          batch_input: [{ plaintext: b64('zero') }, { plaintext: 'not base64!' }, { associated_data: aad }, { plaintext: b64('three'), associated_data: aad }, 42],
        })
        .expect(200);
      const results = enc.body.batch_results as Item[];
      expect(results).toHaveLength(5);
      expect(results[0]).toMatchObject({ key_id: 'batch-key', key_version: 1, algorithm: 'AES-256-GCM' });
      expect(errorOf(results[1])).toEqual({ code: 'VALIDATION_ERROR', message: expect.stringMatching(/plaintext must be standard base64/) });
      expect(errorOf(results[2]).code).toBe('VALIDATION_ERROR');
      expect(errorOf(results[2]).message).toMatch(/plaintext/);
      expect(results[3]).toMatchObject({ key_id: 'batch-key', key_version: 1 });
      expect(errorOf(results[4])).toEqual({ code: 'VALIDATION_ERROR', message: 'each batch_input item must be an object' });

      const audit = auditEvents(t, 'crypto_operation').filter((e) => (e.details as Item).operation === 'encrypt').at(-1)!;
      expect(audit.details).toMatchObject({ key_id: 'batch-key', batch_size: 5, failed: 3, key_version: 1, success: true });

      const tampered = splitVersioned(results[0].ciphertext as string);
      tampered.bytes[tampered.bytes.length - 1] ^= 1;
      const dec = await api
        .decrypt({
          key_id: 'batch-key',
          batch_input: [
            { ciphertext: results[3].ciphertext, associated_data: aad },
            { ciphertext: versioned(tampered.version, tampered.bytes) },
            { ciphertext: results[3].ciphertext, associated_data: b64('other') },
            { associated_data: aad },
            { ciphertext: results[0].ciphertext },
            { ciphertext: 'mfn:v7:AAAA' },
          ],
        })
        .expect(200);
      const opened = dec.body.batch_results as Item[];
      expect(opened).toHaveLength(6);
      expect(Buffer.from(opened[0].plaintext as string, 'base64').toString()).toBe('three');
      expect(errorOf(opened[1])).toEqual({ code: 'DECRYPTION_FAILED', message: 'Decryption failed' });
      expect(errorOf(opened[2])).toEqual({ code: 'DECRYPTION_FAILED', message: 'Decryption failed' });
      expect(errorOf(opened[3]).code).toBe('VALIDATION_ERROR');
      expect(opened[4]).toEqual({ plaintext: b64('zero'), key_id: 'batch-key', key_version: 1 });
      expect(errorOf(opened[5]).code).toBe('DECRYPTION_FAILED');
      const decAudit = auditEvents(t, 'crypto_operation').filter((e) => (e.details as Item).operation === 'decrypt').at(-1)!;
      expect(decAudit.details).toMatchObject({ batch_size: 6, failed: 4 });

      await post(t, '/api/keys/batch-key/rotate', {}).expect(200);
      const rewrapped = await api
        .rewrap({ key_id: 'batch-key', batch_input: [{ ciphertext: results[0].ciphertext }, { ciphertext: results[3].ciphertext }, { ciphertext: results[3].ciphertext, associated_data: aad }] })
        .expect(200);
      const moved = rewrapped.body.batch_results as Item[];
      expect(moved[0]).toMatchObject({ key_id: 'batch-key', key_version: 2 });
      expect(errorOf(moved[1]).code).toBe('DECRYPTION_FAILED');
      expect(moved[2]).toMatchObject({ key_version: 2 });
      expect(rewrapped.text).not.toContain(b64('zero'));
      const back = await api.decrypt({ key_id: 'batch-key', batch_input: [{ ciphertext: moved[0].ciphertext }, { ciphertext: moved[2].ciphertext, associated_data: aad }] }).expect(200);
      expect((back.body.batch_results as Item[]).map((r) => Buffer.from(r.plaintext as string, 'base64').toString())).toEqual(['zero', 'three']);
    });

    it('takes 100 items of 1 KiB in one request, with each item key_version or the request one', async () => {
      await post(t, '/api/keys', { type: 'AES-256-GCM', key_id: 'batch-big' }).expect(201);
      await post(t, '/api/keys/batch-big/rotate', {}).expect(200);
      await post(t, '/api/keys/batch-big/config', { min_encryption_version: 1 }).expect(200);
      const plaintexts = Array.from({ length: 100 }, () => randomBytes(1024).toString('base64'));
      const enc = await api
        .encrypt({ key_id: 'batch-big', key_version: 1, batch_input: plaintexts.map((plaintext, i) => (i === 99 ? { plaintext, key_version: 2 } : { plaintext })) })
        .expect(200);
      const sealed = enc.body.batch_results as Item[];
      expect(sealed.slice(0, 99).every((r) => r.key_version === 1)).toBe(true);
      expect(sealed[99].key_version).toBe(2);
      const audit = auditEvents(t, 'crypto_operation').filter((e) => (e.details as Item).operation === 'encrypt').at(-1)!;
      expect(audit.details).toMatchObject({ batch_size: 100, failed: 0, key_versions: [1, 2] });
      const dec = await api.decrypt({ key_id: 'batch-big', batch_input: sealed.map((r) => ({ ciphertext: r.ciphertext })) }).expect(200);
      expect((dec.body.batch_results as Item[]).map((r) => r.plaintext)).toEqual(plaintexts);
    });

    it('refuses the whole request for a list over MFN_CRYPTO_MAX_BATCH_ITEMS, an empty list, or single fields beside it', async () => {
      const over = Array.from({ length: 1001 }, () => ({ plaintext: 'AA==' }));
      for (const path of ['/api/encrypt', '/api/decrypt', '/api/rewrap']) {
        const items = path === '/api/encrypt' ? over : over.map(() => ({ ciphertext: 'mfn:v1:AAAA' }));
        const res = await post(t, path, { batch_input: items }).expect(422);
        expect(res.body.error_code).toBe('VALIDATION_ERROR');
        expect(res.body.details).toEqual([{ field: 'body.batch_input', message: 'batch_input holds at most 1000 items' }]);
        expect(typeof res.body.request_id).toBe('string');
      }
      await api.encrypt({ batch_input: [] }).expect(422);
      await api.encrypt({ batch_input: 'many' }).expect(422);
      const both = await api.encrypt({ plaintext: 'AA==', batch_input: [{ plaintext: 'AA==' }] }).expect(422);
      expect(both.body.details[0]).toEqual({ field: 'body.plaintext', message: 'plaintext belongs in each batch_input item, not beside batch_input' });
    });

    it('answers 404 for the whole batch when the key is not there', async () => {
      const res = await api.decrypt({ key_id: 'batch-missing', batch_input: [{ ciphertext: 'mfn:v1:AAAA' }] }).expect(404);
      expect(res.body.error_code).toBe('NOT_FOUND');
    });
  });

  describe('data keys', () => {
    it('a wrapped data key decrypts to 32 bytes that seal a payload larger than the body limit', async () => {
      await post(t, '/api/keys', { type: 'AES-256-GCM', key_id: 'envelope' }).expect(201);
      const aad = b64('file-1');
      const wrapped = await post(t, '/api/datakey/wrapped', { key_id: 'envelope', associated_data: aad }).expect(200);
      expect(Object.keys(wrapped.body).sort()).toEqual(['ciphertext', 'key_id', 'key_version']);
      expect(wrapped.body).toMatchObject({ key_id: 'envelope', key_version: 1 });
      expect(splitVersioned(wrapped.body.ciphertext).bytes.length).toBe(12 + 32 + 16);

      const opened = await api.decrypt({ ciphertext: wrapped.body.ciphertext, key_id: 'envelope', associated_data: aad }).expect(200);
      const dataKey = Buffer.from(opened.body.plaintext, 'base64');
      expect(dataKey.length).toBe(32);

      // Envelope encryption: the payload never goes to the service, only its key does.
      const payload = randomBytes(t.config.http.maxBodyBytes + 1);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
      const sealed = Buffer.concat([cipher.update(payload), cipher.final()]);
      const tag = cipher.getAuthTag();
      const again = await api.decrypt({ ciphertext: wrapped.body.ciphertext, key_id: 'envelope', associated_data: aad }).expect(200);
      const decipher = createDecipheriv('aes-256-gcm', Buffer.from(again.body.plaintext, 'base64'), iv);
      decipher.setAuthTag(tag);
      expect(Buffer.concat([decipher.update(sealed), decipher.final()]).equals(payload)).toBe(true);

      await api.decrypt({ ciphertext: wrapped.body.ciphertext, key_id: 'envelope' }).expect(400);
    });

    it('the plaintext form returns the key that its ciphertext holds', async () => {
      const res = await post(t, '/api/datakey/plaintext', {}).expect(200);
      expect(Object.keys(res.body).sort()).toEqual(['ciphertext', 'key_id', 'key_version', 'plaintext']);
      expect(Buffer.from(res.body.plaintext, 'base64').length).toBe(32);
      const opened = await api.decrypt({ ciphertext: res.body.ciphertext, key_id: res.body.key_id }).expect(200);
      expect(opened.body.plaintext).toBe(res.body.plaintext);
      const other = await post(t, '/api/datakey/plaintext', {}).expect(200);
      expect(other.body.plaintext).not.toBe(res.body.plaintext);
    });

    it('offers 128, 256 and 512 bits and refuses anything else', async () => {
      for (const bits of [128, 256, 512]) {
        const res = await post(t, '/api/datakey/plaintext', { bits }).expect(200);
        expect(Buffer.from(res.body.plaintext, 'base64').length).toBe(bits / 8);
      }
      for (const bits of [64, 255, '256', null]) {
        const res = await post(t, '/api/datakey/wrapped', { bits }).expect(422);
        expect(res.body.error_code).toBe('VALIDATION_ERROR');
      }
      await post(t, '/api/datakey/wrapped', { key_id: 'no-such-key' }).expect(404);
    });
  });
});

describe('rewrap and data keys across tenants', () => {
  const KEY_A = 'a'.repeat(40);
  const KEY_B = 'b'.repeat(40);
  let t: TestApp;
  const as = (key: string, path: string, body: Item) => request(t.server).post(path).set('X-API-Key', key).set('Content-Type', 'application/json').send(JSON.stringify(body));

  beforeAll(async () => {
    t = await createTestApp({ MFN_MASTER_KEY: MASTER_KEY, MFN_API_KEY_REQUIRED: 'true', MFN_API_KEYS: `tenant-a:${KEY_A},tenant-b:${KEY_B}` });
  });
  afterAll(async () => {
    await t.close();
  });

  it('a rewrap grant allows rewrap but not decrypt; an encrypt grant allows data keys', async () => {
    await as(KEY_A, '/api/keys', { type: 'AES-256-GCM', key_id: 'shared' }).expect(201);
    const enc = await as(KEY_A, '/api/encrypt', { plaintext: b64('owned by a'), key_id: 'shared' }).expect(200);
    const rewrapByB = { ciphertext: enc.body.ciphertext, key_id: 'shared', tenant: 'tenant-a' };
    await as(KEY_B, '/api/rewrap', rewrapByB).expect(404);
    await as(KEY_B, '/api/datakey/wrapped', { key_id: 'shared', tenant: 'tenant-a' }).expect(404);

    await request(t.server).put('/api/keys/shared/grants/tenant-b').set('X-API-Key', KEY_A).send({ operations: ['rewrap'] }).expect(200);
    const rewrapped = await as(KEY_B, '/api/rewrap', rewrapByB).expect(200);
    await as(KEY_B, '/api/decrypt', { ciphertext: rewrapped.body.ciphertext, key_id: 'shared', tenant: 'tenant-a' }).expect(404);
    await as(KEY_B, '/api/datakey/wrapped', { key_id: 'shared', tenant: 'tenant-a' }).expect(404);
    const mine = await as(KEY_A, '/api/decrypt', { ciphertext: rewrapped.body.ciphertext, key_id: 'shared' }).expect(200);
    expect(Buffer.from(mine.body.plaintext, 'base64').toString()).toBe('owned by a');

    await request(t.server).put('/api/keys/shared/grants/tenant-b').set('X-API-Key', KEY_A).send({ operations: ['encrypt'] }).expect(200);
    const dataKey = await as(KEY_B, '/api/datakey/wrapped', { key_id: 'shared', tenant: 'tenant-a' }).expect(200);
    const opened = await as(KEY_A, '/api/decrypt', { ciphertext: dataKey.body.ciphertext, key_id: 'shared' }).expect(200);
    expect(Buffer.from(opened.body.plaintext, 'base64').length).toBe(32);
    await as(KEY_B, '/api/rewrap', rewrapByB).expect(404);
  });
});
