/**
 * Small, strict parsers for environment values. Each returns the parsed value or throws a
 * `EnvValueError` whose message describes what was expected (never the secret values: only
 * non-secret variables go through these parsers).
 */
export class EnvValueError extends Error {}

const TRUE_WORDS = new Set(['true', '1', 'yes']);
const FALSE_WORDS = new Set(['false', '0', 'no']);

export function parseBool(raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(v)) return true;
  if (FALSE_WORDS.has(v)) return false;
  throw new EnvValueError('must be one of true, false, 1, 0, yes, no');
}

export function parseInteger(raw: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = raw.trim();
  if (!/^[+-]?\d+$/.test(v)) throw new EnvValueError(`must be an integer between ${min} and ${max}`);
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new EnvValueError(`must be an integer between ${min} and ${max}`);
  }
  return n;
}

export function parseEnum<T extends string>(raw: string, allowed: readonly T[], normalise = (s: string) => s): T {
  const v = normalise(raw.trim());
  const hit = allowed.find((a) => a === v);
  if (hit === undefined) throw new EnvValueError(`must be one of ${allowed.join(', ')}`);
  return hit;
}

/** Comma list, trimmed, empties dropped. */
export function parseList(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** `/nernst=1000,/simulate=20` → { '/nernst': 1000, '/simulate': 20 }. */
export function parseRouteLimits(raw: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of parseList(raw)) {
    const eq = item.indexOf('=');
    const path = eq > 0 ? item.slice(0, eq).trim() : '';
    const value = eq > 0 ? item.slice(eq + 1).trim() : '';
    if (!/^\/[A-Za-z0-9/_.-]*$/.test(path) || !/^\d+$/.test(value) || Number(value) < 1) {
      throw new EnvValueError('must be a comma list of /path=limit entries with positive integer limits');
    }
    out[path.length > 1 ? path.replace(/\/+$/, '') : path] = Number(value);
  }
  return out;
}

/** Express `trust proxy`: a hop count, or a list of addresses/subnets/named ranges. */
export function parseTrustedProxies(raw: string): number | string[] {
  const v = raw.trim();
  if (/^\d+$/.test(v)) return parseInteger(v, 1, 32);
  const list = parseList(v);
  // eslint-disable-next-line security/detect-unsafe-regex -- operator configuration read at start-up; the optional `/\d{1,3}` suffix starts with `/`, which the class before it excludes: linear
  const ok = /^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)$/;
  if (list.length === 0 || !list.every((s) => ok.test(s))) {
    throw new EnvValueError('must be a hop count (1-32) or a comma list of addresses, CIDR subnets, loopback, linklocal or uniquelocal');
  }
  return list;
}

export function parseUrl(raw: string, protocols: string[]): string {
  const v = raw.trim();
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new EnvValueError('must be an absolute URL');
  }
  if (!protocols.includes(url.protocol)) throw new EnvValueError(`must use ${protocols.join(' or ')}`);
  return v.replace(/\/+$/, '');
}

/** A DNS host name (letters, digits, hyphens; dot-separated labels of 1-63 characters), lower-cased. */
export function parseHostname(raw: string): string {
  const v = raw.trim().toLowerCase().replace(/\.$/, '');
  // eslint-disable-next-line security/detect-unsafe-regex -- one DNS label of a name already cut at 253 characters; bounded counts only
  const label = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
  if (v.length > 253 || !v.split('.').every((l) => label.test(l))) throw new EnvValueError('must be a DNS host name like redis.example.com');
  return v;
}
