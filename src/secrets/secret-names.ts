import { SECRET_VARIABLES } from '../config/variables';

/**
 * The secret names the env backend resolves (MFN_API_KEY, MFN_API_KEYS, MFN_MASTER_KEY, …):
 * SECRET_VARIABLES without their `_FILE` twins. A new secret becomes resolvable by adding both
 * names there.
 */
export const KNOWN_SECRET_NAMES: readonly string[] = [...SECRET_VARIABLES].filter((name) => !name.endsWith('_FILE')).sort();

/** Env-style names are the only ones worth echoing in logs; anything else is reported by count. */
export function isLoggableSecretName(name: string): boolean {
  return /^[A-Z][A-Z0-9_]{0,63}$/.test(name);
}
