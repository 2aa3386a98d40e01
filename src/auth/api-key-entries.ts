import { createHash } from 'node:crypto';
import { describeProblems } from '../common/errors/problem-list';
import { parseExpiry } from './key-expiry';
import { ALL_ROLES, IMPLICIT_ROLES, Role } from './roles';

/**
 * Parsing of configured API keys into entries (key, id, roles), and the start-up rules they must
 * satisfy. Pure functions: error messages name where an entry came from, never its value.
 *
 * Accepted shapes:
 * - `MFN_API_KEY`: one bare key, all roles but keys-admin;
 * - `MFN_API_KEYS` items: `key` (all roles but keys-admin, as below), `name:key`, `name:key:role1+role2`, or a
 *   JSON object `{"key": "...", "id": "...", "tenant": "acme", "roles": ["compute"], "expires": "2026-06-30T00:00:00Z"}`
 *   (roles also as `"a+b"`; `tenant` defaults to the id; `expires` optional, see key-expiry.ts);
 * - `MFN_API_KEYS` as one JSON object: a single such entry, or `{"keys": [entries...]}`.
 */

export interface ApiKeyEntry {
  key: string;
  /** Identity for logs, quotas and rate limits: the configured name/id, else the key's fingerprint. */
  id: string;
  /** True when `id` was configured (a name), false when it is the key's fingerprint. */
  named: boolean;
  roles: ReadonlySet<Role>;
  /**
   * The tenant whose crypto keys this API key uses: `tenant` of a JSON entry, else the id. Several
   * entries (e.g. an old and a new key during rotation) share a tenant by sharing an id or a tenant.
   */
  tenant: string;
  /** Where the entry came from, for error messages (`MFN_API_KEYS entry 2`). */
  source: string;
  /** First instant (epoch ms) at which the key is refused; undefined when it never expires. */
  expiresAt?: number;
}

/** One or more problems with the configured keys; `message` names each of them on one line (describeProblems). */
export class ApiKeyConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: string | readonly string[]) {
    const list = typeof problems === 'string' ? [problems] : problems;
    super(describeProblems(list));
    this.name = 'ApiKeyConfigError';
    this.problems = list;
  }
}

/**
 * Runs `parse` on every item and returns what parsed; problems (ApiKeyConfigError) are added to
 * `problems` instead of stopping at the first item, so start-up names every bad entry at once.
 */
export function collectEntries<T>(items: readonly T[], parse: (item: T, index: number) => ApiKeyEntry, problems: string[]): ApiKeyEntry[] {
  const entries: ApiKeyEntry[] = [];
  items.forEach((item, index) => {
    try {
      entries.push(parse(item, index));
    } catch (err) {
      if (!(err instanceof ApiKeyConfigError)) throw err;
      problems.push(...err.problems);
    }
  });
  return entries;
}

/** Values from the seed documents and the reference's manifests that must never guard production. */
export const PLACEHOLDER_KEYS: ReadonlySet<string> = new Set([
  'placeholder-api-key',
  'dev-key-for-testing',
  'your-api-key',
  'your-generated-key-here',
]);

export const MIN_PROD_KEY_LENGTH = 32;
/** Longer presented keys are rejected without hashing. */
export const MAX_KEY_LENGTH = 256;
/** Printable ASCII without space: everything a key can be while still travelling in a header. */
const KEY_CHARSET = /^[\x21-\x7e]+$/;
const ID_CHARSET = /^[A-Za-z0-9._@-]{1,64}$/;
const ROLE_NAMES: ReadonlyMap<string, Role> = new Map([...ALL_ROLES].map((r) => [r, r]));

/** First 8 hex characters of SHA-256(key): a stable, non-reversible name for a key without an id. */
export function fingerprintOf(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 8);
}

export function isPresentableKey(key: string): boolean {
  return key.length <= MAX_KEY_LENGTH && KEY_CHARSET.test(key);
}

function parseRoles(raw: unknown, source: string): ReadonlySet<Role> {
  const names = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split('+') : undefined;
  if (names === undefined) throw new ApiKeyConfigError(`${source}: roles must be a list or a '+'-joined string`);
  const roles = new Set<Role>();
  for (const name of names) {
    const role = typeof name === 'string' ? ROLE_NAMES.get(name.trim().toLowerCase()) : undefined;
    // The offending text is not quoted: a malformed entry may have shifted part of a key into it.
    if (role === undefined) {
      throw new ApiKeyConfigError(`${source}: unknown role (allowed: ${[...ALL_ROLES].join(', ')})`);
    }
    roles.add(role);
  }
  if (roles.size === 0) throw new ApiKeyConfigError(`${source}: the role list is empty`);
  return roles;
}

function makeEntry(
  key: string,
  id: string | undefined,
  roles: ReadonlySet<Role>,
  source: string,
  expiresAt?: number,
  tenant?: string,
): ApiKeyEntry {
  if (key.length === 0) throw new ApiKeyConfigError(`${source}: the key is empty`);
  if (!isPresentableKey(key)) {
    throw new ApiKeyConfigError(
      `${source}: the key must be 1-${MAX_KEY_LENGTH} printable ASCII characters without spaces (it could never be sent in X-API-Key)`,
    );
  }
  if (id !== undefined && !ID_CHARSET.test(id)) {
    throw new ApiKeyConfigError(`${source}: the key name must be 1-64 characters of A-Z a-z 0-9 . _ @ -`);
  }
  if (tenant !== undefined && !ID_CHARSET.test(tenant)) {
    throw new ApiKeyConfigError(`${source}: the tenant must be 1-64 characters of A-Z a-z 0-9 . _ @ -`);
  }
  const keyId = id ?? fingerprintOf(key);
  const entry: ApiKeyEntry = { key, id: keyId, named: id !== undefined, roles, tenant: tenant ?? keyId, source };
  if (expiresAt !== undefined) entry.expiresAt = expiresAt;
  return entry;
}

/** Where an entry is named in messages: its source, and its id only when one was configured (never a fingerprint). */
export function describeEntry(entry: ApiKeyEntry): string {
  return entry.named ? `${entry.source} (id ${entry.id})` : entry.source;
}

function parseExpires(raw: unknown, source: string): number | undefined {
  if (raw === undefined) return undefined;
  const expiresAt = typeof raw === 'string' ? parseExpiry(raw.trim()) : undefined;
  // The value is not quoted, like every other part of an entry.
  if (expiresAt === undefined) {
    throw new ApiKeyConfigError(
      `${source}: "expires" must be an ISO 8601 timestamp with a time zone (2026-06-30T18:00:00Z, 2026-06-30T20:00:00+02:00) or a date (2026-06-30)`,
    );
  }
  return expiresAt;
}

function entryFromObject(value: unknown, source: string): ApiKeyEntry {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ApiKeyConfigError(`${source}: expected an object with "key", optional "id", "roles" and "expires"`);
  }
  const obj = value as Record<string, unknown>;
  if (typeof obj.key !== 'string') throw new ApiKeyConfigError(`${source}: "key" must be a string`);
  if (obj.id !== undefined && typeof obj.id !== 'string') throw new ApiKeyConfigError(`${source}: "id" must be a string`);
  if (obj.tenant !== undefined && typeof obj.tenant !== 'string') throw new ApiKeyConfigError(`${source}: "tenant" must be a string`);
  const roles = obj.roles === undefined ? IMPLICIT_ROLES : parseRoles(obj.roles, source);
  return makeEntry(obj.key.trim(), obj.id?.trim(), roles, source, parseExpires(obj.expires, source), obj.tenant?.trim());
}

/** The single key of MFN_API_KEY: taken as is (a bare key, all roles). */
export function parseSingleKey(value: string, source = 'MFN_API_KEY'): ApiKeyEntry {
  return makeEntry(value.trim(), undefined, IMPLICIT_ROLES, source);
}

/** One item of the MFN_API_KEYS list. */
export function parseListEntry(item: string, source: string): ApiKeyEntry {
  const text = item.trim();
  if (text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ApiKeyConfigError(`${source}: invalid JSON object`);
    }
    return entryFromObject(parsed, source);
  }
  const parts = text.split(':');
  if (parts.length === 1) return makeEntry(text, undefined, IMPLICIT_ROLES, source);
  if (parts.length === 2) return makeEntry(parts[1].trim(), parts[0].trim(), IMPLICIT_ROLES, source);
  if (parts.length === 3) return makeEntry(parts[1].trim(), parts[0].trim(), parseRoles(parts[2], source), source);
  throw new ApiKeyConfigError(`${source}: expected key, name:key or name:key:role1+role2`);
}

/** MFN_API_KEYS holding one JSON object: a single entry or `{"keys": [...]}`. */
export function parseKeyringObject(text: string, source = 'MFN_API_KEYS'): ApiKeyEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ApiKeyConfigError(`${source}: invalid JSON object`);
  }
  const keys = (parsed as Record<string, unknown> | null)?.keys;
  if (!Array.isArray(keys)) return [entryFromObject(parsed, source)];
  const problems: string[] = [];
  const entries = collectEntries(keys, (k, i) => entryFromObject(k, `${source} entry ${i + 1}`), problems);
  if (problems.length > 0) throw new ApiKeyConfigError(problems);
  return entries;
}

/** Same key twice: the first entry wins (its id and roles), so a list cannot silently widen a key. */
export function dedupeEntries(entries: ApiKeyEntry[]): ApiKeyEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => {
    if (seen.has(e.key)) return false;
    seen.add(e.key);
    return true;
  });
}

/**
 * Start-up rules: with authentication required the set must not be empty; in prod every key must
 * be at least 32 characters and not a known placeholder. A refused key is named by its source and configured id only: even a
 * fingerprint of a short key narrows the search for it. Every refused entry is named, in one error.
 */
export function checkKeyPolicy(entries: ApiKeyEntry[], options: { required: boolean; prod: boolean; env: string }): void {
  if (options.required && entries.length === 0) {
    throw new ApiKeyConfigError(
      `API key authentication is required but no API keys were provided (set MFN_API_KEY or MFN_API_KEYS, or their _FILE variants; MFN_ENV=${options.env})`,
    );
  }
  if (!options.prod) return;
  const problems: string[] = [];
  for (const e of entries) {
    if (PLACEHOLDER_KEYS.has(e.key.toLowerCase())) {
      problems.push(`${describeEntry(e)} is a known placeholder value; generate a real key for prod`);
    } else if (e.key.length < MIN_PROD_KEY_LENGTH) {
      problems.push(`${describeEntry(e)} is shorter than ${MIN_PROD_KEY_LENGTH} characters; prod requires at least ${MIN_PROD_KEY_LENGTH}`);
    }
  }
  if (problems.length > 0) throw new ApiKeyConfigError(problems);
}
