import { x25519 } from '@noble/curves/ed25519';
import fc from 'fast-check';
import { generateKeyPairSync, hkdfSync, randomBytes } from 'node:crypto';
import {
  InvalidPeerKeyError,
  WeakSharedSecretError,
  deriveEcdhKey,
  generateX25519KeyPair,
  x25519KeyPairFromPrivate,
  x25519PublicKeyFromRaw,
  x25519SharedSecret,
} from './x25519';

const hex = (h: string) => Buffer.from(h, 'hex');

/** A u-coordinate as the 32-byte little-endian encoding X25519 uses. */
function encodeU(u: bigint): Buffer {
  const out = Buffer.alloc(32);
  // eslint-disable-next-line security/detect-object-injection -- integer index into a 32-byte buffer
  for (let i = 0; i < 32; i++, u >>= 8n) out[i] = Number(u & 0xffn);
  return out;
}

const P = 2n ** 255n - 19n;
// The u-coordinates of small order on the curve or its twist (orders 2, 4 and 8: a clamped scalar
// is a multiple of 8, so each sends it to zero), plus p and p + 1, non-canonical encodings of 0 and 1.
const SMALL_ORDER_U: Array<[string, bigint]> = [
  ['0', 0n],
  ['1', 1n],
  ['p − 1', P - 1n],
  ['order 8 (first)', 325606250916557431795983626356110631294008115727848805560023387167927233504n],
  ['order 8 (second)', 39382357235489614581723060781553021112529911719440698176882885853963445705823n],
  ['p (= 0)', P],
  ['p + 1 (= 1)', P + 1n],
];
// Each also with the top bit set, which RFC 7748 §5 says to ignore: it must not slip past the check.
const SMALL_ORDER_POINTS = SMALL_ORDER_U.flatMap(([name, u]) => {
  const plain = encodeU(u);
  const topBit = Buffer.from(plain);
  topBit[31] |= 0x80;
  return [
    { name, raw: plain },
    { name: `${name}, top bit set`, raw: topBit },
  ];
});

describe('X25519 (RFC 7748)', () => {
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
  ])('§5.2 scalar multiplication vector %#', ({ scalar, u, out }) => {
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

  it.each(SMALL_ORDER_POINTS)('refuses the small-order peer point u = $name (all-zero secret)', ({ raw }) => {
    const generated = generateX25519KeyPair();
    const alice = x25519KeyPairFromPrivate(hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'));
    for (const pair of [generated, alice]) {
      expect(() => x25519SharedSecret(pair.privateKey, raw)).toThrow(WeakSharedSecretError);
    }
  });

  it.each([0, 1, 31, 33, 64])('refuses a %i-byte peer key with InvalidPeerKeyError', (length) => {
    const pair = generateX25519KeyPair();
    expect(() => x25519SharedSecret(pair.privateKey, randomBytes(length))).toThrow(InvalidPeerKeyError);
    expect(() => x25519PublicKeyFromRaw(randomBytes(length))).toThrow(InvalidPeerKeyError);
  });

  it('refuses a private key that is not an X25519 private key', () => {
    const peer = generateX25519KeyPair().publicRaw;
    const ed25519 = generateKeyPairSync('ed25519').privateKey;
    const x25519Public = generateX25519KeyPair().publicKey;
    expect(() => x25519SharedSecret(ed25519, peer)).toThrow(TypeError);
    expect(() => x25519SharedSecret(x25519Public, peer)).toThrow(TypeError);
  });

  it('errors say what was wrong and nothing more', () => {
    expect(new InvalidPeerKeyError().message).toBe('X25519 public keys are 32 bytes');
    expect(new WeakSharedSecretError().message).toBe('key agreement produced an all-zero shared secret');
  });
});

describe('X25519 agreement with @noble/curves', () => {
  const scalar = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => Buffer.from(bytes));

  it('derives the same public key from the same private scalar', () => {
    fc.assert(
      fc.property(scalar, (priv) => {
        expect(x25519KeyPairFromPrivate(priv).publicRaw.equals(Buffer.from(x25519.getPublicKey(priv)))).toBe(true);
      }),
      { numRuns: 64, seed: 7748 },
    );
  });

  it('reaches the same shared secret in both directions (node private × noble public and back)', () => {
    fc.assert(
      fc.property(scalar, scalar, (nodePriv, noblePriv) => {
        const ours = x25519KeyPairFromPrivate(nodePriv);
        const noblePublic = Buffer.from(x25519.getPublicKey(noblePriv));
        const fromNode = x25519SharedSecret(ours.privateKey, noblePublic);
        const fromNoble = Buffer.from(x25519.getSharedSecret(noblePriv, ours.publicRaw));
        expect(fromNode).toHaveLength(32);
        expect(fromNode.equals(fromNoble)).toBe(true);
      }),
      { numRuns: 64, seed: 25519 },
    );
  });

  it('agrees on keys generated by node:crypto', () => {
    for (let i = 0; i < 16; i++) {
      const a = generateX25519KeyPair();
      const b = generateX25519KeyPair();
      const noble = Buffer.from(x25519.getSharedSecret(a.privateRaw, b.publicRaw));
      expect(x25519SharedSecret(a.privateKey, b.publicRaw).equals(noble)).toBe(true);
      expect(x25519SharedSecret(b.privateKey, a.publicRaw).equals(noble)).toBe(true);
    }
  });

  it.each(SMALL_ORDER_POINTS)('noble also finds u = $name of small order, and both refuse it', ({ raw }) => {
    const priv = randomBytes(32);
    expect(() => x25519.getSharedSecret(priv, raw)).toThrow('invalid private or public key received');
    expect(() => x25519SharedSecret(x25519KeyPairFromPrivate(priv).privateKey, raw)).toThrow(WeakSharedSecretError);
  });
});

describe('ECDH key derivation', () => {
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
    const shared = randomBytes(32);
    const expected = Buffer.from(hkdfSync('sha256', shared, Buffer.alloc(32), Buffer.from('MFN-ECDH-v1ctx'), 32));
    expect(deriveEcdhKey(shared, Buffer.from('ctx')).equals(expected)).toBe(true);
    const noContext = Buffer.from(hkdfSync('sha256', shared, Buffer.alloc(32), Buffer.from('MFN-ECDH-v1'), 32));
    expect(deriveEcdhKey(shared).equals(noContext)).toBe(true);
  });
});
