import { KeyObject, createSecretKey, randomBytes } from 'node:crypto';
import { createAes256Key } from '../primitives/aes-gcm';
import { ed25519KeyPairFromSeed, generateEd25519KeyPair } from '../primitives/ed25519';
import { generateX25519KeyPair, x25519KeyPairFromPrivate } from '../primitives/x25519';
import { BoundedCache } from './bounded-cache';
import { KeyMeta, KeyRef, KeyType, StoredVersion, refName } from './key-types';
import { KeyUnwrapError, KeyWrapper, WrapContext } from './key-wrapper';

/** Usable key objects of one version; private parts never leave this process. */
export interface KeyMaterial {
  type: KeyType;
  version: number;
  secretKey?: KeyObject;
  privateKey?: KeyObject;
  publicKey?: KeyObject;
  /** Raw public key, base64 (asymmetric keys). */
  publicKeyBase64?: string;
  /** This version's own HMAC secret (every key type has one). */
  hmacKey: KeyObject;
}

const HMAC_KEY_BYTES = 32;
const MATERIAL_CACHE_ENTRIES = 4096;

/**
 * Makes and opens key versions. Unwrapped key objects are cached (bounded, LRU); an entry is
 * used only while the stored version is byte-for-byte the one it came from, so a version that
 * was replaced in the store, or a store wiped and refilled, is never served from the cache.
 */
export class KeyMaterials {
  private readonly cache = new BoundedCache<string, { stored: StoredVersion; material: KeyMaterial }>(MATERIAL_CACHE_ENTRIES);

  constructor(private readonly wrapper: KeyWrapper) {}

  /** Fresh material for version `version` of `ref`, wrapped for the store. */
  create(ref: KeyRef, type: KeyType, version: number, createdAt: string): { stored: StoredVersion; material: KeyMaterial } {
    let secret: Buffer;
    let publicRaw: Buffer | undefined;
    if (type === KeyType.AES_256_GCM) {
      secret = randomBytes(32);
    } else if (type === KeyType.ED25519) {
      ({ seed: secret, publicRaw } = generateEd25519KeyPair());
    } else {
      ({ privateRaw: secret, publicRaw } = generateX25519KeyPair());
    }
    const hmacSecret = randomBytes(HMAC_KEY_BYTES);
    const publicKey = publicRaw?.toString('base64');
    const context: WrapContext = { tenant: ref.tenant, id: ref.id, version, type, part: 'key', createdAt, publicKey };
    const stored: StoredVersion = {
      version,
      createdAt,
      wrapped: this.wrapper.wrap(secret, context),
      hmacWrapped: this.wrapper.wrap(hmacSecret, { ...context, part: 'hmac' }),
    };
    if (publicKey !== undefined) stored.publicKey = publicKey;
    const material = buildMaterial(type, version, secret, hmacSecret);
    secret.fill(0);
    hmacSecret.fill(0);
    this.cache.set(cacheKey(ref, version), { stored: { ...stored }, material });
    return { stored, material };
  }

  /** The key objects of a stored version; KeyUnwrapError when the version is not what was wrapped. */
  open(meta: KeyMeta, stored: StoredVersion): KeyMaterial {
    const key = cacheKey(meta, stored.version);
    const hit = this.cache.get(key);
    // Every stored field is compared: a changed creation time or public key must unwrap again (and fail).
    if (hit && sameVersion(hit.stored, stored)) return hit.material;
    const context: WrapContext = {
      tenant: meta.tenant,
      id: meta.id,
      version: stored.version,
      type: meta.type,
      part: 'key',
      createdAt: stored.createdAt,
      publicKey: stored.publicKey,
    };
    const secret = this.wrapper.unwrap(stored.wrapped, context);
    const hmacSecret = this.wrapper.unwrap(stored.hmacWrapped, { ...context, part: 'hmac' });
    const material = buildMaterial(meta.type, stored.version, secret, hmacSecret);
    secret.fill(0);
    hmacSecret.fill(0);
    // The public key shown to clients must be the one the private key makes.
    if (material.publicKeyBase64 !== stored.publicKey) throw new KeyUnwrapError();
    this.cache.set(key, { stored: { ...stored }, material });
    return material;
  }

  /** Drops cached versions of a key (deletion, trim): destroyed material is not kept in memory either. */
  forget(ref: KeyRef, versions: Iterable<number>): void {
    for (const v of versions) this.cache.delete(cacheKey(ref, v));
  }
}

function sameVersion(a: StoredVersion, b: StoredVersion): boolean {
  return a.version === b.version && a.createdAt === b.createdAt && a.wrapped === b.wrapped && a.hmacWrapped === b.hmacWrapped && a.publicKey === b.publicKey;
}

function cacheKey(ref: KeyRef, version: number): string {
  return `${refName(ref)}\u0000${version}`;
}

function buildMaterial(type: KeyType, version: number, secret: Buffer, hmacSecret: Buffer): KeyMaterial {
  const hmacKey = createSecretKey(Buffer.from(hmacSecret));
  if (type === KeyType.AES_256_GCM) return { type, version, secretKey: createAes256Key(Buffer.from(secret)), hmacKey };
  const pair = type === KeyType.ED25519 ? ed25519KeyPairFromSeed(secret) : x25519KeyPairFromPrivate(secret);
  return {
    type,
    version,
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    publicKeyBase64: pair.publicRaw.toString('base64'),
    hmacKey,
  };
}
