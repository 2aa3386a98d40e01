import { createHash } from 'node:crypto';
import {
  ApiKeyConfigError,
  checkKeyPolicy,
  dedupeEntries,
  fingerprintOf,
  parseKeyringObject,
  parseListEntry,
  parseSingleKey,
} from './api-key-entries';
import { IMPLICIT_ROLES, Role } from './roles';

const LONG = 'k'.repeat(40);

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a throw');
}

describe('API key entries', () => {
  it('a bare key holds every role and is named by its SHA-256 fingerprint', () => {
    const e = parseListEntry(LONG, 'MFN_API_KEYS entry 1');
    expect(e.key).toBe(LONG);
    expect(e.roles).toBe(IMPLICIT_ROLES);
    expect(e.id).toBe(createHash('sha256').update(LONG).digest('hex').slice(0, 8));
    expect(fingerprintOf(LONG)).toBe(e.id);
  });

  it('name:key keeps every role; name:key:roles narrows them', () => {
    expect(parseListEntry(`ci:${LONG}`, 's')).toMatchObject({ id: 'ci', key: LONG, roles: IMPLICIT_ROLES });
    const narrowed = parseListEntry(`batch:${LONG}:compute+crypto`, 's');
    expect(narrowed.id).toBe('batch');
    expect([...narrowed.roles].sort()).toEqual([Role.COMPUTE, Role.CRYPTO]);
  });

  it('a JSON object entry carries key, id and roles (list or + string)', () => {
    const a = parseListEntry(JSON.stringify({ key: LONG, id: 'ops', roles: ['metrics'] }), 's');
    expect(a).toMatchObject({ id: 'ops', key: LONG });
    expect([...a.roles]).toEqual([Role.METRICS]);
    const b = parseListEntry(JSON.stringify({ key: LONG, roles: 'keys+crypto' }), 's');
    expect(b.id).toBe(fingerprintOf(LONG));
    expect([...b.roles].sort()).toEqual([Role.CRYPTO, Role.KEYS]);
    expect(parseListEntry(JSON.stringify({ key: LONG }), 's').roles).toBe(IMPLICIT_ROLES);
  });

  it('a JSON keyring object: one entry or {"keys": [...]}', () => {
    expect(parseKeyringObject(JSON.stringify({ key: LONG, id: 'one' })).map((e) => e.id)).toEqual(['one']);
    const many = parseKeyringObject(JSON.stringify({ keys: [{ key: LONG, id: 'a' }, { key: `${LONG}x`, id: 'b', roles: ['admin'] }] }));
    expect(many.map((e) => e.id)).toEqual(['a', 'b']);
    expect(many[1].source).toBe('MFN_API_KEYS entry 2');
  });

  it('JSON entries may carry expires, in the list and in the keyring object', () => {
    const listed = parseListEntry(JSON.stringify({ key: LONG, id: 'ci', expires: '2026-06-30T18:00:00Z' }), 's');
    expect(listed.expiresAt).toBe(Date.parse('2026-06-30T18:00:00Z'));
    const ring = parseKeyringObject(JSON.stringify({ keys: [{ key: LONG, expires: ' 2026-06-30 ' }, { key: `${LONG}x` }] }));
    expect(ring[0].expiresAt).toBe(Date.parse('2026-07-01T00:00:00Z'));
    expect(ring[1].expiresAt).toBeUndefined();
    expect(parseKeyringObject(JSON.stringify({ key: LONG, expires: '2026-06-30T20:00:00+02:00' }))[0].expiresAt).toBe(
      Date.parse('2026-06-30T18:00:00Z'),
    );
    expect(parseListEntry(`ci:${LONG}`, 's').expiresAt).toBeUndefined();
  });

  it('an unparsable expires is an error naming the entry, not quoting the value', () => {
    for (const expires of ['2026-05-01T08:00:00', 'never-ever', 20260630, null, '']) {
      const msg = messageOf(() => parseKeyringObject(JSON.stringify({ keys: [{ key: LONG }, { key: `${LONG}x`, expires }] })));
      expect(msg).toMatch(/^MFN_API_KEYS entry 2: "expires" must be an ISO 8601 timestamp with a time zone/);
      if (typeof expires === 'string' && expires !== '') expect(msg).not.toContain(expires);
    }
  });

  it('MFN_API_KEY is always one bare key, even with colons', () => {
    const e = parseSingleKey(`  a:b:${LONG}  `);
    expect(e.key).toBe(`a:b:${LONG}`);
    expect(e.roles).toBe(IMPLICIT_ROLES);
  });

  it('rejects malformed entries without quoting any part of them', () => {
    const secret = 'S3cr3tValue-that-must-not-leak';
    const cases = [
      `name:${secret}:wizard`,
      `a:b:${secret}:d`,
      `name:${secret}:`,
      `{"key": "${secret}"`,
      JSON.stringify({ key: secret, roles: 42 }),
      JSON.stringify({ id: secret }),
      `bad name:${secret}`,
      `name:${secret} with spaces`,
      `name:${secret}\u00e9`,
      `name:`,
    ];
    for (const c of cases) {
      const msg = messageOf(() => parseListEntry(c, 'MFN_API_KEYS entry 3'));
      expect(msg).toContain('MFN_API_KEYS entry 3');
      expect(msg).not.toContain(secret);
      expect(msg).not.toContain('S3cr');
    }
  });

  it('rejects keys longer than 256 characters', () => {
    expect(() => parseListEntry('x'.repeat(257), 's')).toThrow(ApiKeyConfigError);
  });

  it('keeps the first of duplicate keys, so a later entry cannot widen its roles', () => {
    const entries = dedupeEntries([parseListEntry(`a:${LONG}:compute`, 's1'), parseListEntry(`b:${LONG}:admin`, 's2')]);
    expect(entries).toHaveLength(1);
    expect(entries[0].id).toBe('a');
  });
});

describe('key policy', () => {
  const entry = (key: string, id = 'k') => parseListEntry(`${id}:${key}`, 'MFN_API_KEYS entry 1');

  it('required auth with no keys stops start-up with the spec message', () => {
    expect(() => checkKeyPolicy([], { required: true, prod: false, env: 'staging' })).toThrow(
      /API key authentication is required but no API keys were provided/,
    );
    expect(() => checkKeyPolicy([], { required: false, prod: true, env: 'prod' })).not.toThrow();
  });

  it('a refused key is named by its source and configured id, never by a fingerprint', () => {
    const short = 'short-but-real-key';
    const bare = messageOf(() => checkKeyPolicy([parseListEntry(short, 'MFN_API_KEYS entry 2')], { required: true, prod: true, env: 'prod' }));
    expect(bare).toBe('MFN_API_KEYS entry 2 is shorter than 32 characters; prod requires at least 32');
    expect(bare).not.toContain(fingerprintOf(short));
    const named = messageOf(() => checkKeyPolicy([entry(short, 'ci')], { required: true, prod: true, env: 'prod' }));
    expect(named).toMatch(/^MFN_API_KEYS entry 1 \(id ci\) is shorter than 32 characters/);
    const placeholder = messageOf(() =>
      checkKeyPolicy([parseSingleKey('placeholder-api-key')], { required: true, prod: true, env: 'prod' }),
    );
    expect(placeholder).toBe('MFN_API_KEY is a known placeholder value; generate a real key for prod');
  });

  it('prod refuses short keys and placeholders, naming the entry but not the key', () => {
    const short = 'short-but-real-key';
    const msg = messageOf(() => checkKeyPolicy([entry(short)], { required: true, prod: true, env: 'prod' }));
    expect(msg).toMatch(/shorter than 32 characters/);
    expect(msg).not.toContain(short);
    for (const placeholder of ['placeholder-api-key', 'dev-key-for-testing', 'your-api-key', 'your-generated-key-here']) {
      expect(() => checkKeyPolicy([entry(placeholder)], { required: true, prod: true, env: 'prod' })).toThrow(/placeholder/);
    }
    expect(() => checkKeyPolicy([entry(short)], { required: true, prod: false, env: 'staging' })).not.toThrow();
    expect(() => checkKeyPolicy([entry(LONG)], { required: true, prod: true, env: 'prod' })).not.toThrow();
  });
});

describe('API key entry tenants', () => {
  const KEY = 'k'.repeat(40);

  it('puts a key in the tenant named by its id unless a JSON entry names one', () => {
    expect(parseListEntry(`ci:${KEY}`, 's').tenant).toBe('ci');
    expect(parseListEntry(JSON.stringify({ key: KEY, id: 'acme-2026', tenant: 'acme' }), 's')).toMatchObject({ id: 'acme-2026', tenant: 'acme' });
    const bare = parseListEntry(KEY, 's');
    expect(bare.tenant).toBe(bare.id);
  });

  it('refuses a malformed tenant without quoting it', () => {
    expect(() => parseListEntry(JSON.stringify({ key: KEY, tenant: 'a/b' }), 'MFN_API_KEYS entry 1')).toThrow(
      'MFN_API_KEYS entry 1: the tenant must be 1-64 characters of A-Z a-z 0-9 . _ @ -',
    );
  });

  it('grants keys-admin only when listed', () => {
    expect(parseListEntry(`ops:${KEY}`, 's').roles.has(Role.KEYS_ADMIN)).toBe(false);
    expect(parseListEntry(`ops:${KEY}:admin`, 's').roles.has(Role.KEYS_ADMIN)).toBe(false);
    expect(parseListEntry(`ops:${KEY}:keys-admin`, 's').roles.has(Role.KEYS_ADMIN)).toBe(true);
  });
});
