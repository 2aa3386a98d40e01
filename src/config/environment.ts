/** The process environment, or the snapshot of it that AppConfig keeps (`AppConfig.environment`). */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The value of the variable `name`, or undefined when it is not set. Only the environment's own
 * entries count: a name such as `constructor` or `__proto__` (MFN_VAULT_TOKEN_ENV may name any
 * variable) reads as unset instead of reaching a member of Object.prototype.
 */
export function envValue(env: Environment, name: string): string | undefined {
  // eslint-disable-next-line security/detect-object-injection -- read only when `name` is an own entry (checked first)
  return Object.hasOwn(env, name) ? env[name] : undefined;
}

/** The process environment: the only place the service reads it. */
export function processEnvironment(): Environment {
  return process.env;
}
