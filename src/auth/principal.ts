import type { IncomingMessage } from 'node:http';
import { requestState } from '../common/http/request-context';
import type { Role } from './roles';

/** The tenant of every caller when authentication is off. */
export const SINGLE_TENANT = 'default';

/** Who is calling: the API key's id (never the key) and its roles. */
export interface Principal {
  /** Key identity: the configured id, else the first 8 hex chars of SHA-256(key); `anonymous` without auth. */
  id: string;
  roles: ReadonlySet<Role>;
  /** The tenant whose crypto keys the caller uses (the key entry's tenant; one shared tenant without auth). */
  tenant: string;
  authenticated: boolean;
}

export function setPrincipal(req: IncomingMessage, principal: Principal): void {
  requestState(req).principal = principal;
}

export function principalOf(req: IncomingMessage): Principal | undefined {
  return requestState(req).principal as Principal | undefined;
}
