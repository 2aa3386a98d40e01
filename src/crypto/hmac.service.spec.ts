/* eslint-disable security/detect-object-injection -- test code: RFC 4231 tables are Records over HmacAlgorithm indexed by HMAC_ALGORITHMS, and tag bytes are flipped by integer index */
import { createSecretKey } from 'node:crypto';
import { RFC_4231 } from '../../test/fixtures/rfc4231-vectors';
import type { AppConfig } from '../config';
import type { CryptoCaller } from './caller';
import type { CryptoActivity } from './crypto-activity';
import { HmacService, hmacMatches, hmacTag } from './hmac.service';
import type { KeyResolver, UsableKey } from './keys/key-resolver.service';
import { KeyType } from './keys/key-types';
import { HMAC_ALGORITHMS } from './primitives/hmac';
import { SigningService } from './signing.service';

const hex = (h: string) => Buffer.from(h, 'hex');
const vectors = RFC_4231.flatMap((c) => HMAC_ALGORITHMS.map((algorithm) => ({ ...c, algorithm })));

describe('hmacTag / hmacMatches (the computation behind /api/hmac and hmac verification)', () => {
  it.each(vectors)('$name with $algorithm', ({ key, data, algorithm, macs, truncatedTo }) => {
    const hmacKey = createSecretKey(hex(key));
    const tag = hmacTag(hmacKey, algorithm, hex(data));
    expect((truncatedTo === undefined ? tag : tag.subarray(0, truncatedTo)).toString('hex')).toBe(macs[algorithm]);
    expect(hmacMatches(hmacKey, algorithm, hex(data), tag)).toBe(true);
    // The published truncated tags of case 5 are not accepted: tags are compared at full length.
    if (truncatedTo !== undefined) expect(hmacMatches(hmacKey, algorithm, hex(data), hex(macs[algorithm]))).toBe(false);
  });

  it('rejects a tag with any bit flipped or made by another algorithm', () => {
    const hmacKey = createSecretKey(hex(RFC_4231[0].key));
    const data = hex(RFC_4231[0].data);
    const tag = hmacTag(hmacKey, 'sha2-256', data);
    for (let i = 0; i < tag.length; i++) {
      const flipped = Buffer.from(tag);
      flipped[i] ^= 0x80;
      expect(hmacMatches(hmacKey, 'sha2-256', data, flipped)).toBe(false);
    }
    expect(hmacMatches(hmacKey, 'sha2-512', data, tag)).toBe(false);
  });
});

/**
 * The services with a stand-in resolver whose key version carries a vector key as its HMAC
 * secret: the route's own code path (prefixing, version choice, verify parsing) yields the vector.
 */
describe('HmacService and SigningService over a vector key', () => {
  const config = { crypto: { acceptUnversioned: false, maxBatchItems: 10 } } as unknown as AppConfig;
  const activity = { run: (_op: string, _c: unknown, _s: unknown, body: (t: object) => Promise<unknown>) => body({}), defaultCreated: jest.fn() };
  const caller = { req: {}, actor: { tenant: 'default', admin: false } } as unknown as CryptoCaller;

  function servicesFor(rawKey: Buffer, version = 3) {
    const usable = {
      ref: { tenant: 'default', id: 'vector' },
      meta: { type: KeyType.AES_256_GCM, latestVersion: version },
      material: { type: KeyType.AES_256_GCM, version, hmacKey: createSecretKey(rawKey) },
      path: 'owner',
      createdDefault: false,
    } as unknown as UsableKey;
    const keys = {
      current: jest.fn(async () => usable),
      existing: jest.fn(async (_a: unknown, _r: unknown, _s: unknown, v: number) => ({ key: v === version ? usable : undefined, ref: usable.ref })),
      latestVersionOf: jest.fn(async () => version),
    };
    const resolver = keys as unknown as KeyResolver;
    const hmacs = new HmacService(config, resolver, activity as unknown as CryptoActivity);
    return { keys, hmacs, signing: new SigningService(config, resolver, activity as unknown as CryptoActivity, hmacs) };
  }

  it.each(vectors.filter((v) => v.truncatedTo === undefined))('$name with $algorithm', async ({ key, data, algorithm, macs }) => {
    const { hmacs, signing } = servicesFor(hex(key));
    const input = hex(data).toString('base64');
    const out = await hmacs.hmac({ input, key_id: 'vector', algorithm }, caller);
    expect(out).toEqual({ hmac: `mfn:v3:${hex(macs[algorithm]).toString('base64')}`, key_id: 'vector', key_version: 3, algorithm });

    const hmac = (out as { hmac: string }).hmac;
    await expect(signing.verify({ message: input, hmac, key_id: 'vector', algorithm }, caller)).resolves.toEqual({ valid: true, key_id: 'vector', algorithm });
    const other = algorithm === 'sha2-256' ? 'sha2-384' : 'sha2-256';
    await expect(signing.verify({ message: input, hmac, key_id: 'vector', algorithm: other }, caller)).resolves.toMatchObject({ valid: false });
  });

  it('resolves the key once per distinct version in a batch', async () => {
    const { keys, hmacs } = servicesFor(hex(RFC_4231[0].key));
    const input = hex(RFC_4231[0].data).toString('base64');
    const out = await hmacs.hmac({ key_id: 'vector', batch_input: [{ input }, { input }, { input, key_version: 3 }, { input: '%' }] }, caller);
    const results = (out as { batch_results: unknown[] }).batch_results;
    expect(results).toHaveLength(4);
    expect(results[0]).toEqual(results[1]);
    expect(results[3]).toMatchObject({ error: { code: 'VALIDATION_ERROR' } });
    expect(keys.current).toHaveBeenCalledTimes(2);
  });
});
