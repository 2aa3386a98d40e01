/** Roles an API key may carry. A key without explicit roles holds all of them. */
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
}

export const ALL_ROLES: ReadonlySet<Role> = new Set(Object.values(Role));
