import { ed25519 } from '@noble/curves/ed25519';
import { randomBytes } from 'node:crypto';
import { b64, post, splitVersioned, versioned } from './helpers/crypto';
import { TestApp, createTestApp } from './helpers/test-app';

jest.setTimeout(60_000);

/**
 * Ed25519 interoperability with an independent implementation (@noble/curves, pure
 * JavaScript): the service's signatures verify there, and its signatures verify here.
 */
describe('Ed25519 interoperability with @noble/curves', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ MFN_MASTER_KEY: randomBytes(32).toString('base64') });
  });
  afterAll(async () => {
    await t.close();
  });

  it('noble verifies signatures made by the service, and rejects them for another message', async () => {
    const kp = await post(t, '/api/keypair', { key_id: 'interop-signer' }).expect(200);
    const publicKey = Buffer.from(kp.body.public_key, 'base64');
    for (const size of [1, 32, 1000, 65_536]) {
      const message = randomBytes(size);
      const res = await post(t, '/api/sign', { message: b64(message), key_id: 'interop-signer' }).expect(200);
      const { bytes } = splitVersioned(res.body.signature);
      expect(ed25519.verify(bytes, message, publicKey)).toBe(true);
      const other = Buffer.concat([message, Buffer.from([1])]);
      expect(ed25519.verify(bytes, other, publicKey)).toBe(false);
    }
  });


  it('the service verifies signatures made by noble, given the public key', async () => {
    for (let i = 0; i < 5; i++) {
      const secret = ed25519.utils.randomPrivateKey();
      const publicKey = Buffer.from(ed25519.getPublicKey(secret));
      const message = randomBytes(1 + i * 97);
      const signature = Buffer.from(ed25519.sign(message, secret));

      const ok = await post(t, '/api/verify', {
        message: b64(message),
        signature: b64(signature),
        public_key: b64(publicKey),
      }).expect(200);
      expect(ok.body).toEqual({ valid: true, key_id: null, algorithm: 'Ed25519' });

      const prefixed = await post(t, '/api/verify', {
        message: b64(message),
        signature: versioned(1, signature),
        public_key: b64(publicKey),
      }).expect(200);
      expect(prefixed.body.valid).toBe(true);

      const tampered = Buffer.from(signature);
      tampered[10] ^= 0x04;
      const bad = await post(t, '/api/verify', {
        message: b64(message),
        signature: b64(tampered),
        public_key: b64(publicKey),
      }).expect(200);
      expect(bad.body.valid).toBe(false);

      const otherKey = Buffer.from(ed25519.getPublicKey(ed25519.utils.randomPrivateKey()));
      const wrongKey = await post(t, '/api/verify', {
        message: b64(message),
        signature: b64(signature),
        public_key: b64(otherKey),
      }).expect(200);
      expect(wrongKey.body.valid).toBe(false);
    }
  });
});
