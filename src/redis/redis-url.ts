/**
 * What the service needs to know about the MFN_REDIS_URL secret without ever printing it: whether
 * it asks for TLS, and a form safe to log (credentials replaced).
 */

const HIDDEN = '***';

/** True for a `rediss://` URL (scheme case-insensitive), the only form that turns TLS on. */
export function usesTls(url: string): boolean {
  return /^rediss:\/\//i.test(url.trim());
}

/**
 * The URL with its password replaced by `***`, both in the authority and in a `password` query
 * option (the client accepts both); the user name stays, it names an ACL user and is no secret.
 * A Unix socket path keeps its path. Anything that does not parse is not echoed at all.
 */
export function redactRedisUrl(url: string): string {
  const value = url.trim();
  if (value.startsWith('/')) {
    const q = value.indexOf('?');
    return q === -1 ? value : `${value.slice(0, q)}?${redactQuery(new URLSearchParams(value.slice(q + 1)))}`;
  }
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return '(unparsable URL)';
  }
  if (parsed.password !== '') parsed.password = HIDDEN;
  const query = parsed.search === '' ? '' : `?${redactQuery(parsed.searchParams)}`;
  parsed.search = '';
  return `${parsed.toString()}${query}`;
}

function redactQuery(params: URLSearchParams): string {
  return [...params]
    .map(([key, v]) => `${encodeURIComponent(key)}=${key.toLowerCase() === 'password' ? HIDDEN : encodeURIComponent(v)}`)
    .join('&');
}
