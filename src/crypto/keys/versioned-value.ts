/**
 * Ciphertexts and signatures name the key version that made them, as in Vault's transit engine:
 * `mfn:v<version>:<base64 payload>`. The prefix is plain ASCII so clients can split it off; a
 * value without it is treated as "version unknown" and every usable version is tried.
 */
export const VERSIONED_PREFIX = 'mfn';
const VERSIONED = /^mfn:v([1-9][0-9]{0,8}):(.*)$/s;

export interface VersionedValue {
  /** Undefined when the value carries no version prefix. */
  version?: number;
  payload: string;
}

export function formatVersioned(version: number, payloadBase64: string): string {
  return `${VERSIONED_PREFIX}:v${version}:${payloadBase64}`;
}

export function parseVersioned(value: string): VersionedValue {
  const m = VERSIONED.exec(value);
  if (!m) return { payload: value };
  return { version: Number(m[1]), payload: m[2] };
}

/** True when the value starts like a versioned string, even if the version part is malformed. */
export function looksVersioned(value: string): boolean {
  return value.startsWith(`${VERSIONED_PREFIX}:`);
}
