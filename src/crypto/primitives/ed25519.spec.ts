import { ed25519KeyPairFromSeed, ed25519PublicKeyFromRaw, ed25519Sign, ed25519Verify, generateEd25519KeyPair } from './ed25519';

// RFC 8032 §7.1: secret seed, public key, message, signature (hex).
const RFC8032_VECTORS = [
  {
    name: 'TEST 1 (empty message)',
    seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature:
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    name: 'TEST 2 (one byte)',
    seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature:
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    name: 'TEST 3 (two bytes)',
    seed: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    publicKey: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    message: 'af82',
    signature:
      '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  },
  {
    name: 'TEST SHA(abc) (64 bytes)',
    seed: '833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42',
    publicKey: 'ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf',
    message:
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    signature:
      'dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704',
  },
];

const hex = (h: string) => Buffer.from(h, 'hex');
const ORDER_L = (1n << 252n) + 27742317777372353535851937790883648493n;

function addToScalar(signature: Buffer, addend: bigint): Buffer {
  let s = 0n;
  for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(signature[32 + i]);
  s += addend;
  const out = Buffer.from(signature);
  for (let i = 0; i < 32; i++) {
    out[32 + i] = Number(s & 0xffn);
    s >>= 8n;
  }
  return out;
}

describe('Ed25519 (RFC 8032 vectors through the signing code)', () => {
  it.each(RFC8032_VECTORS)('$name: derives the public key, signs deterministically and verifies', (v) => {
    const pair = ed25519KeyPairFromSeed(hex(v.seed));
    expect(pair.publicRaw.toString('hex')).toBe(v.publicKey);
    expect(ed25519Sign(pair.privateKey, hex(v.message)).toString('hex')).toBe(v.signature);
    const pub = ed25519PublicKeyFromRaw(hex(v.publicKey));
    expect(pub).toBeDefined();
    expect(ed25519Verify(pub!, hex(v.message), hex(v.signature))).toBe(true);
  });

  it.each(RFC8032_VECTORS)('$name: a flipped bit in signature or message fails', (v) => {
    const pub = ed25519PublicKeyFromRaw(hex(v.publicKey))!;
    const sig = hex(v.signature);
    sig[5] ^= 0x01;
    expect(ed25519Verify(pub, hex(v.message), sig)).toBe(false);
    const msg = Buffer.concat([hex(v.message), Buffer.from([0x00])]);
    expect(ed25519Verify(pub, msg, hex(v.signature))).toBe(false);
  });

  it('rejects a non-canonical scalar S + L (signature malleability)', () => {
    const v = RFC8032_VECTORS[1];
    const pub = ed25519PublicKeyFromRaw(hex(v.publicKey))!;
    expect(ed25519Verify(pub, hex(v.message), addToScalar(hex(v.signature), ORDER_L))).toBe(false);
  });

  it('answers false for signatures of the wrong length', () => {
    const pair = generateEd25519KeyPair();
    const sig = ed25519Sign(pair.privateKey, Buffer.from('m'));
    expect(ed25519Verify(pair.publicKey, Buffer.from('m'), sig.subarray(0, 63))).toBe(false);
    expect(ed25519Verify(pair.publicKey, Buffer.from('m'), Buffer.concat([sig, Buffer.alloc(1)]))).toBe(false);
    expect(ed25519Verify(pair.publicKey, Buffer.from('m'), Buffer.alloc(0))).toBe(false);
  });

  it('refuses public keys of the wrong length and never verifies with a non-point', () => {
    expect(ed25519PublicKeyFromRaw(Buffer.alloc(31))).toBeUndefined();
    expect(ed25519PublicKeyFromRaw(Buffer.alloc(33))).toBeUndefined();
    const pair = generateEd25519KeyPair();
    const sig = ed25519Sign(pair.privateKey, Buffer.from('m'));
    const notAPoint = ed25519PublicKeyFromRaw(Buffer.alloc(32, 0xff));
    if (notAPoint) expect(ed25519Verify(notAPoint, Buffer.from('m'), sig)).toBe(false);
  });

  it('round-trips a generated pair through its seed', () => {
    const pair = generateEd25519KeyPair();
    const again = ed25519KeyPairFromSeed(pair.seed);
    expect(again.publicRaw.equals(pair.publicRaw)).toBe(true);
    const msg = Buffer.from('round trip');
    expect(ed25519Verify(pair.publicKey, msg, ed25519Sign(again.privateKey, msg))).toBe(true);
  });
});
