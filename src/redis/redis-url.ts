/**
 * What the service needs to know about the MFN_REDIS_URL secret without ever printing it: whether
 * it asks for TLS, and a form safe to log (credentials replaced).
 */

import { splitMultiHostUrl, topologyOf } from './redis-topology';

const HIDDEN = '***';

/** True for a `rediss://`, `rediss+sentinel://` or `rediss+cluster://` URL (scheme case-insensitive), the only forms that turn TLS on. */
export function usesTls(url: string): boolean {
  return /^rediss(?:\+sentinel|\+cluster)?:\/\//i.test(url.trim());
}

/** Query options that carry a password (the Sentinels' one included). */
const SECRET_QUERY_OPTIONS = new Set(['password', 'sentinelpassword']);

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
  // Sentinel and Cluster URLs list several hosts, which URL cannot parse: redact them by hand.
  if (topologyOf(value) !== 'single') {
    const { scheme, userinfo, hosts, path, query } = splitMultiHostUrl(value);
    const colon = userinfo?.indexOf(':') ?? -1;
    const auth = userinfo === undefined ? '' : colon === -1 ? `${userinfo}@` : `${userinfo.slice(0, colon)}:${HIDDEN}@`;
    return `${scheme}://${auth}${hosts}${path}${query === undefined ? '' : `?${redactQuery(new URLSearchParams(query))}`}`;
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
    .map(([key, v]) => `${encodeURIComponent(key)}=${SECRET_QUERY_OPTIONS.has(key.toLowerCase()) ? HIDDEN : encodeURIComponent(v)}`)
    .join('&');
}
