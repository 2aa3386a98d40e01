/** Roles an API key may carry. A key without explicit roles holds all of them except keys-admin. */
export enum Role {
  /** /nernst, /simulate, /validate, /federated/aggregate */
  COMPUTE = 'compute',
  /** /api/encrypt, /api/decrypt, /api/sign, /api/verify */
  CRYPTO = 'crypto',
  /** key pair creation, rotation, key metadata */
  KEYS = 'keys',
  /** /metrics when it is protected */
  METRICS = 'metrics',
  /** everything */
  ADMIN = 'admin',
  /**
   * Manage (list, inspect, rotate, configure, trim, delete, grant) any tenant's keys. Never
   * implied: not by an entry without roles, not by `admin`; it must be listed.
   */
  KEYS_ADMIN = 'keys-admin',
}

export const ALL_ROLES: ReadonlySet<Role> = new Set(Object.values(Role));

/** What an API key without an explicit role list holds: every role but keys-admin. */
export const IMPLICIT_ROLES: ReadonlySet<Role> = new Set([...ALL_ROLES].filter((r) => r !== Role.KEYS_ADMIN));
