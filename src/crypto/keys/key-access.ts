import type { IncomingMessage } from 'node:http';
import { SINGLE_TENANT, principalOf } from '../../auth/principal';
import { Role } from '../../auth/roles';
import { grantOf } from './key-record';
import { KeyMeta, KeyOperation } from './key-types';

/** Who acts on keys: the caller's tenant, and whether it may manage every tenant's keys. */
export interface KeyActor {
  tenant: string;
  /** Holds keys-admin: may manage and read any tenant's keys (not use them, unless granted). */
  admin: boolean;
  /** API-key id for audit events (absent without authentication). */
  userId?: string;
}

/** How an actor reaches a key: as its owner, through a grant, or as keys-admin. */
export type AccessPath = 'owner' | 'grant' | 'admin';

export function actorOf(req: IncomingMessage): KeyActor {
  const principal = principalOf(req);
  if (!principal?.authenticated) return { tenant: SINGLE_TENANT, admin: false };
  return { tenant: principal.tenant, admin: principal.roles.has(Role.KEYS_ADMIN), userId: principal.id };
}

/**
 * The tenancy rule, in one place. The owner may do everything; another tenant only what the
 * key's policy grants it; keys-admin may manage and read any key. Anything else is undefined,
 * which callers answer exactly as a missing key.
 */
export function accessPath(actor: KeyActor, meta: KeyMeta, operation: KeyOperation): AccessPath | undefined {
  if (meta.tenant === actor.tenant) return 'owner';
  if (operation !== 'manage' && grantOf(meta.grants, actor.tenant)?.includes(operation)) return 'grant';
  if (actor.admin && (operation === 'manage' || operation === 'read')) return 'admin';
  return undefined;
}
