/**
 * Ciphertexts, signatures and HMACs name the key version that made them, as in Vault's transit
 * engine: `mfn:v<version>:<base64 payload>`. The prefix is plain ASCII so clients can split it
 * off. A value without it is refused (never tried against every version); the legacy switch
 * MFN_CRYPTO_ACCEPT_UNVERSIONED reads it as made by the latest version.
 */
export const VERSIONED_PREFIX = 'mfn';
const VERSIONED = /^mfn:v([1-9][0-9]{0,8}):(.*)$/s;

export type VersionedValue =
  /** A well-formed prefix. */
  | { kind: 'versioned'; version: number; payload: string }
  /** Starts like a prefix but the version part is malformed: opens with no key. */
  | { kind: 'malformed' }
  /** No prefix at all. */
  | { kind: 'bare'; payload: string };

export function formatVersioned(version: number, payloadBase64: string): string {
  return `${VERSIONED_PREFIX}:v${version}:${payloadBase64}`;
}

export function parseVersioned(value: string): VersionedValue {
  const m = VERSIONED.exec(value);
  if (m) return { kind: 'versioned', version: Number(m[1]), payload: m[2] };
  if (value.startsWith(`${VERSIONED_PREFIX}:`)) return { kind: 'malformed' };
  return { kind: 'bare', payload: value };
}
