import { createHmac, createSecretKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  HMAC_ALGORITHMS,
  HMAC_KEY_BYTES,
  HMAC_MIN_KEY_BYTES,
  HMAC_TAG_BYTES,
  HmacAlgorithm,
  createHmacKey,
  hmacDigest,
  hmacEqual,
  isHmacAlgorithm,
} from './hmac';

const hex = (h: string) => Buffer.from(h, 'hex');

interface Rfc4231Case {
  name: string;
  key: string;
  data: string;
  /** Test case 5 publishes only the first 128 bits of each tag. */
  truncatedTo?: number;
  macs: Record<HmacAlgorithm, string>;
}

// RFC 4231 §4.2–§4.8: keys, data and HMAC-SHA-256/384/512 outputs as hex, as the RFC prints them.
const RFC_4231: Rfc4231Case[] = [
  {
    name: 'test case 1 (20-byte key, "Hi There")',
    key: '0b'.repeat(20),
    data: '4869205468657265',
    macs: {
      'sha2-256': 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
      'sha2-384':
        'afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6',
      'sha2-512':
        '87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde' +
        'daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854',
    },
  },
  {
    name: 'test case 2 (key shorter than the tag: "Jefe")',
    key: '4a656665',
    data: '7768617420646f2079612077616e7420666f72206e6f7468696e673f',
    macs: {
      'sha2-256': '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
      'sha2-384':
        'af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649',
      'sha2-512':
        '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554' +
        '9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
    },
  },
  {
    name: 'test case 3 (50 bytes of 0xdd)',
    key: 'aa'.repeat(20),
    data: 'dd'.repeat(50),
    macs: {
      'sha2-256': '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe',
      'sha2-384':
        '88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b2a5ab39dc13814b94e3ab6e101a34f27',
      'sha2-512':
        'fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39' +
        'bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb',
    },
  },
  {
    name: 'test case 4 (25-byte key 0x01..0x19, 50 bytes of 0xcd)',
    key: '0102030405060708090a0b0c0d0e0f10111213141516171819',
    data: 'cd'.repeat(50),
    macs: {
      'sha2-256': '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b',
      'sha2-384':
        '3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e6801dd23c4a7d679ccf8a386c674cffb',
      'sha2-512':
        'b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db' +
        'a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd',
    },
  },
  {
    name: 'test case 5 (tags truncated to 128 bits, "Test With Truncation")',
    key: '0c'.repeat(20),
    data: '546573742057697468205472756e636174696f6e',
    truncatedTo: 16,
    macs: {
      'sha2-256': 'a3b6167473100ee06e0c796c2955552b',
      'sha2-384': '3abf34c3503b2a23a46efc619baef897',
      'sha2-512': '415fad6271580a531d4179bc891d87a6',
    },
  },
  {
    name: 'test case 6 (131-byte key, longer than a block: hashed first)',
    key: 'aa'.repeat(131),
    data:
      '54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a' +
      '65204b6579202d2048617368204b6579204669727374',
    macs: {
      'sha2-256': '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
      'sha2-384':
        '4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952',
      'sha2-512':
        '80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352' +
        '6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598',
    },
  },
  {
    name: 'test case 7 (131-byte key and 152 bytes of data)',
    key: 'aa'.repeat(131),
    data:
      '5468697320697320612074657374207573696e672061206c6172676572207468' +
      '616e20626c6f636b2d73697a65206b657920616e642061206c61726765722074' +
      '68616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565' +
      '647320746f20626520686173686564206265666f7265206265696e6720757365' +
      '642062792074686520484d414320616c676f726974686d2e',
    macs: {
      'sha2-256': '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
      'sha2-384':
        '6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5a678cc31e799176d3860e6110c46523e',
      'sha2-512':
        'e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944' +
        'b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58',
    },
  },
];

describe('HMAC-SHA-2 (RFC 4231)', () => {
  const vectors = RFC_4231.flatMap((c) => HMAC_ALGORITHMS.map((algorithm) => ({ ...c, algorithm })));

  it.each(vectors)('$name with $algorithm', ({ key, data, algorithm, macs, truncatedTo }) => {
    const expected = macs[algorithm];
    // As a raw Buffer and as a key object (the RFC keys are below createHmacKey's floor).
    for (const k of [hex(key), createSecretKey(hex(key))]) {
      const tag = hmacDigest(k, algorithm, hex(data));
      expect(tag).toHaveLength(HMAC_TAG_BYTES[algorithm]);
      const compared = truncatedTo === undefined ? tag : tag.subarray(0, truncatedTo);
      expect(compared.toString('hex')).toBe(expected);
    }
  });

  it('covers all seven test cases for every algorithm', () => {
    expect(vectors).toHaveLength(7 * 3);
    for (const c of RFC_4231) {
      for (const algorithm of HMAC_ALGORITHMS) {
        expect(c.macs[algorithm]).toHaveLength(2 * (c.truncatedTo ?? HMAC_TAG_BYTES[algorithm]));
      }
    }
  });

  it('refuses an algorithm outside the list, whatever the caller passed', () => {
    for (const name of ['sha256', 'SHA2-256', 'sha2-224', 'sha1', 'md5', '']) {
      expect(isHmacAlgorithm(name)).toBe(false);
      expect(() => hmacDigest(hex('00'.repeat(32)), name as HmacAlgorithm, Buffer.alloc(0))).toThrow(TypeError);
    }
    expect(HMAC_ALGORITHMS.every(isHmacAlgorithm)).toBe(true);
  });

  it('refuses an asymmetric key object', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    expect(() => hmacDigest(privateKey, 'sha2-256', Buffer.from('x'))).toThrow();
  });
});

describe('createHmacKey', () => {
  it('makes a secret key object that computes the same tag as the raw bytes', () => {
    const raw = randomBytes(HMAC_KEY_BYTES);
    const key = createHmacKey(raw);
    expect(key.type).toBe('secret');
    expect(key.symmetricKeySize).toBe(HMAC_KEY_BYTES);
    const data = Buffer.from('same tag');
    expect(hmacDigest(key, 'sha2-512', data).equals(createHmac('sha512', raw).update(data).digest())).toBe(true);
  });

  it('generates distinct 64-byte keys when no bytes are given', () => {
    const a = createHmacKey();
    const b = createHmacKey();
    expect(a.symmetricKeySize).toBe(HMAC_KEY_BYTES);
    expect(a.export().equals(b.export())).toBe(false);
  });

  it('refuses keys shorter than 32 bytes', () => {
    expect(() => createHmacKey(randomBytes(HMAC_MIN_KEY_BYTES - 1))).toThrow(RangeError);
    expect(() => createHmacKey(Buffer.alloc(0))).toThrow(RangeError);
    expect(createHmacKey(randomBytes(HMAC_MIN_KEY_BYTES)).symmetricKeySize).toBe(HMAC_MIN_KEY_BYTES);
  });
});

describe('hmacEqual', () => {
  it('is true only for identical bytes', () => {
    const tag = hmacDigest(createHmacKey(), 'sha2-256', Buffer.from('m'));
    expect(hmacEqual(tag, Buffer.from(tag))).toBe(true);
    for (let i = 0; i < tag.length; i++) {
      const other = Buffer.from(tag);
      other[i] ^= 0x01;
      expect(hmacEqual(tag, other)).toBe(false);
    }
  });

  it('answers false, without throwing, for different lengths (a truncated or extended tag)', () => {
    const tag = hmacDigest(createHmacKey(), 'sha2-384', Buffer.from('m'));
    expect(hmacEqual(tag, tag.subarray(0, 16))).toBe(false);
    expect(hmacEqual(tag.subarray(0, 16), tag)).toBe(false);
    expect(hmacEqual(tag, Buffer.concat([tag, Buffer.alloc(1)]))).toBe(false);
    expect(hmacEqual(tag, Buffer.alloc(0))).toBe(false);
    expect(hmacEqual(Buffer.alloc(0), Buffer.alloc(0))).toBe(true);
  });
});

