import { accessPath } from './key-access';
import { canonicalGrants, grantOf } from './key-record';
import type { KeyMeta } from './key-types';

/** Grants as a request body or the store hands them over: JSON, so `__proto__` is an own key. */
const parsed = (json: string) => JSON.parse(json) as Record<string, readonly string[]>;

/** Grants are keyed by tenant id, and a tenant id may be any name TENANT_PATTERN allows. */
describe('grants keyed by tenant ids that are also Object member names', () => {
  const metaWith = (grants: Record<string, readonly string[]>) => ({ tenant: 'owner', grants: canonicalGrants(grants) }) as unknown as KeyMeta;
  const actor = (tenant: string) => ({ tenant, admin: false });

  it('canonicalGrants keeps __proto__ as an own entry, sorted with the rest, and drops empty grants', () => {
    const grants = canonicalGrants(parsed('{"zeta":["decrypt"],"__proto__":["decrypt","encrypt"],"alpha":["sign","bogus"],"empty":[]}'));
    expect(Object.getPrototypeOf(grants)).toBe(Object.prototype);
    expect(Object.keys(grants)).toEqual(['__proto__', 'alpha', 'zeta']);
    expect(JSON.parse(JSON.stringify(grants))).toEqual(JSON.parse('{"__proto__":["encrypt","decrypt"],"alpha":["sign"],"zeta":["decrypt"]}'));
  });

  it('grantOf reads own entries only', () => {
    const grants = canonicalGrants(parsed('{"__proto__":["decrypt"]}'));
    expect(grantOf(grants, '__proto__')).toEqual(['decrypt']);
    for (const member of ['constructor', 'toString', 'hasOwnProperty', 'valueOf']) expect(grantOf(grants, member)).toBeUndefined();
  });

  it('accessPath: a tenant named like a member has no grant it was not given, and the one it was', () => {
    const meta = metaWith(parsed('{"__proto__":["decrypt"]}'));
    expect(accessPath(actor('__proto__'), meta, 'decrypt')).toBe('grant');
    expect(accessPath(actor('__proto__'), meta, 'encrypt')).toBeUndefined();
    for (const tenant of ['constructor', 'toString', '0', 'length']) expect(accessPath(actor(tenant), meta, 'decrypt')).toBeUndefined();
  });
});
