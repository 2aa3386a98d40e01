import { randomBytes } from 'node:crypto';
import {
  WeakSharedSecretError,
  deriveEcdhKey,
  generateX25519KeyPair,
  x25519KeyPairFromPrivate,
  x25519SharedSecret,
} from './x25519';

const hex = (h: string) => Buffer.from(h, 'hex');

describe('X25519 (RFC 7748) and HKDF', () => {
  it.each([
    {
      // §5.2 vector 1
      scalar: 'a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4',
      u: 'e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c',
      out: 'c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552',
    },
    {
      // §5.2 vector 2: the top bit of u is set and must be ignored
      scalar: '4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d',
      u: 'e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493',
      out: '95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957',
    },
  ])('scalar multiplication vector %#', ({ scalar, u, out }) => {
    const pair = x25519KeyPairFromPrivate(hex(scalar));
    expect(x25519SharedSecret(pair.privateKey, hex(u)).toString('hex')).toBe(out);
  });

  it('§6.1 Diffie-Hellman: public keys and the shared secret', () => {
    const alice = x25519KeyPairFromPrivate(hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'));
    const bob = x25519KeyPairFromPrivate(hex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb'));
    expect(alice.publicRaw.toString('hex')).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    expect(bob.publicRaw.toString('hex')).toBe('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
    expect(x25519SharedSecret(alice.privateKey, bob.publicRaw).toString('hex')).toBe(shared);
    expect(x25519SharedSecret(bob.privateKey, alice.publicRaw).toString('hex')).toBe(shared);
  });

  it('refuses small-order peer points (all-zero shared secret)', () => {
    const pair = generateX25519KeyPair();
    expect(() => x25519SharedSecret(pair.privateKey, Buffer.alloc(32))).toThrow(WeakSharedSecretError);
    const one = Buffer.alloc(32);
    one[0] = 1;
    expect(() => x25519SharedSecret(pair.privateKey, one)).toThrow(WeakSharedSecretError);
  });

  it('derives the same 32-byte key on both sides, bound to the context', () => {
    const a = generateX25519KeyPair();
    const b = generateX25519KeyPair();
    const ka = deriveEcdhKey(x25519SharedSecret(a.privateKey, b.publicRaw), Buffer.from('session-1'));
    const kb = deriveEcdhKey(x25519SharedSecret(b.privateKey, a.publicRaw), Buffer.from('session-1'));
    expect(ka.length).toBe(32);
    expect(ka.equals(kb)).toBe(true);
    const other = deriveEcdhKey(x25519SharedSecret(a.privateKey, b.publicRaw), Buffer.from('session-2'));
    expect(other.equals(ka)).toBe(false);
  });

  it('HKDF uses salt = 32 zero bytes and info = "MFN-ECDH-v1" ‖ context', () => {
    const { hkdfSync } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
    const shared = randomBytes(32);
    const expected = Buffer.from(hkdfSync('sha256', shared, Buffer.alloc(32), Buffer.from('MFN-ECDH-v1ctx'), 32));
    expect(deriveEcdhKey(shared, Buffer.from('ctx')).equals(expected)).toBe(true);
  });
});
