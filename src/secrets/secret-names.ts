import { KNOWN_VARIABLES, SECRET_VARIABLES } from '../config/variables';

/**
 * The secret names the service knows (MFN_API_KEY, MFN_API_KEYS, MFN_MASTER_KEY, …):
 * SECRET_VARIABLES without their `_FILE` twins.
 */
export const KNOWN_SECRET_NAMES: readonly string[] = [...SECRET_VARIABLES].filter((name) => !name.endsWith('_FILE')).sort();

/**
 * Names the env backend resolves: the known secret names plus any other `MFN_*` name set in the
 * environment (directly or as `<NAME>_FILE`) that is not a configuration variable, so a secret
 * added by a feature resolves even before it is listed. Configuration variables such as
 * MFN_SECRETS_FILE are never mistaken for secrets or `_FILE` pointers.
 */
export function envSecretNames(environment: Readonly<Record<string, string | undefined>>): string[] {
  const names = new Set(KNOWN_SECRET_NAMES);
  for (const variable of Object.keys(environment)) {
    if (!variable.startsWith('MFN_') || KNOWN_VARIABLES.has(variable)) continue;
    const name = variable.endsWith('_FILE') ? variable.slice(0, -'_FILE'.length) : variable;
    if (name.length > 'MFN_'.length && !KNOWN_VARIABLES.has(name)) names.add(name);
  }
  return [...names].sort();
}

/** Env-style names are the only ones worth echoing in logs; anything else is reported by count. */
export function isLoggableSecretName(name: string): boolean {
  return /^[A-Z][A-Z0-9_]{0,63}$/.test(name);
}
