import { isIP } from 'node:net';

export const REDACTED = '<redacted>';
/** Longest `resource` (the request path) an audit record writes; no route of the service comes near it. */
export const MAX_RESOURCE_LENGTH = 256;

/** IPv4 keeps its first octet (`192.xxx.xxx.xxx`); anything else keeps 8 characters. */
export function redactIp(ip: string | undefined): string | undefined {
  if (!ip) return ip;
  const plain = ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
  if (isIP(plain) === 4) return `${plain.split('.')[0]}.xxx.xxx.xxx`;
  return plain.length > 8 ? `${plain.slice(0, 8)}...` : `${plain}...`;
}

const SECRET_KEYS = new Set(['api_key', 'x-api-key', 'apikey', 'password', 'secret', 'token', 'private_key', 'plaintext', 'authorization', 'cookie']);

/**
 * Replaces secret-like keys at any depth (objects and arrays) with `<redacted>`. The copy is
 * built with Object.fromEntries, so a key named `__proto__` (JSON.parse makes it an own key)
 * stays a key of the copy rather than becoming its prototype.
 */
export function redactDetails(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactDetails(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.has(k.toLowerCase()) ? REDACTED : redactDetails(v, depth + 1)]),
  );
}

export function isSecretKeyName(name: string): boolean {
  return SECRET_KEYS.has(name.toLowerCase());
}
