import { KeyObject, createHmac, createSecretKey, hkdfSync, timingSafeEqual } from 'node:crypto';
import { RawKeyRecord } from './key-store';
import { GRANTABLE_OPERATIONS, GrantableOperation, KeyMeta, KeyRef, KeyType, StoredVersion } from './key-types';

/** A stored record whose metadata is not what this master key sealed (altered, moved or damaged). */
export class KeyRecordTamperedError extends Error {
  constructor(readonly reason: string) {
    super('key record failed its integrity check');
    this.name = 'KeyRecordTamperedError';
  }
}

const MAC_INFO = 'mfn key record mac v1';
const KEY_TYPES: ReadonlySet<string> = new Set(Object.values(KeyType));

/**
 * Integrity of key records at rest. The metadata (owner tenant, id, type, versions, `min_*`,
 * policy, schedule) is serialised once and authenticated with HMAC-SHA256 under a key derived
 * from the master key; the store keeps the sealed string and never the parsed form. Opening
 * checks the MAC, that the record is the one asked for (a record copied under another name
 * fails) and that the clear `rev`/`latest` fields the store uses agree with the sealed ones.
 * Versions are bound to the record through the AAD of their wrapped material (key-wrapper.ts).
 */
export class KeyRecordSealer {
  private readonly macKey: KeyObject;

  constructor(masterKey: Buffer) {
    this.macKey = createSecretKey(Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), MAC_INFO, 32)));
  }

  seal(meta: KeyMeta): { meta: string; mac: string } {
    const json = JSON.stringify(meta);
    return { meta: json, mac: this.mac(json) };
  }

  /** The verified metadata of `raw`, which was read as `ref`. */
  open(ref: KeyRef, raw: RawKeyRecord): KeyMeta {
    const expected = Buffer.from(this.mac(raw.meta), 'base64');
    const given = Buffer.from(raw.mac, 'base64');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new KeyRecordTamperedError('mac');
    let meta: KeyMeta;
    try {
      meta = JSON.parse(raw.meta) as KeyMeta;
    } catch {
      throw new KeyRecordTamperedError('meta');
    }
    if (meta.tenant !== ref.tenant || meta.id !== ref.id) throw new KeyRecordTamperedError('name');
    if (meta.rev !== raw.rev || meta.latestVersion !== raw.latest) throw new KeyRecordTamperedError('counters');
    if (!KEY_TYPES.has(meta.type)) throw new KeyRecordTamperedError('type');
    return meta;
  }

  private mac(json: string): string {
    return createHmac('sha256', this.macKey).update(json, 'utf8').digest('base64');
  }
}

/** Version records as the store keeps them. */
export function encodeVersion(v: StoredVersion): string {
  const record: Record<string, string> = { created_at: v.createdAt, wrapped: v.wrapped, hmac: v.hmacWrapped };
  if (v.publicKey !== undefined) record.public_key = v.publicKey;
  return JSON.stringify(record);
}

/** A version record; undefined when it is not one (a damaged record). */
export function decodeVersion(version: number, json: string): StoredVersion | undefined {
  let r: Record<string, unknown>;
  try {
    r = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof r.created_at !== 'string' || typeof r.wrapped !== 'string' || typeof r.hmac !== 'string') return undefined;
  if (r.public_key !== undefined && typeof r.public_key !== 'string') return undefined;
  const out: StoredVersion = { version, createdAt: r.created_at, wrapped: r.wrapped, hmacWrapped: r.hmac };
  if (typeof r.public_key === 'string') out.publicKey = r.public_key;
  return out;
}

/**
 * Grants in a canonical order, so equal policies seal to equal strings. Object.fromEntries makes
 * every tenant an own entry, `__proto__` included (an assignment `out[tenant] = …` would set the
 * object's prototype for that one instead).
 */
export function canonicalGrants(grants: Record<string, readonly string[]>): KeyMeta['grants'] {
  const byTenant = Object.entries(grants).sort(([a], [b]) => (a < b ? -1 : 1));
  return Object.fromEntries(
    byTenant
      .map(([tenant, operations]) => [tenant, GRANTABLE_OPERATIONS.filter((op) => operations.includes(op))] as const)
      .filter(([, operations]) => operations.length > 0),
  );
}

/**
 * The operations a key grants `tenant`, or undefined. Only own entries count, so a tenant id that
 * is also the name of an Object member (`constructor`, `toString`, `__proto__`, all valid ids)
 * means that tenant and nothing else.
 */
export function grantOf(grants: KeyMeta['grants'], tenant: string): readonly GrantableOperation[] | undefined {
  // eslint-disable-next-line security/detect-object-injection -- read only when `tenant` is an own entry (checked first)
  return Object.hasOwn(grants, tenant) ? grants[tenant] : undefined;
}
