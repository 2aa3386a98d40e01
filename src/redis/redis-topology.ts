import { RedisConfigError } from './redis-config-error';

/**
 * The three ways MFN_REDIS_URL can name a Redis:
 *
 *   redis://[user:password@]host:6379[/db]          one server (also rediss://, or a Unix socket path)
 *   redis+sentinel://[user:password@]host1:26379,host2:26379/<master-name>[/db][?sentinelPassword=…]
 *   redis+cluster://[user:password@]host1:7000,host2:7001
 *
 * `rediss+sentinel://` and `rediss+cluster://` use TLS for every connection (Sentinels included).
 * The credentials in the authority are the data nodes' (master, replicas, cluster nodes); the
 * Sentinels are asked without credentials unless `sentinelUsername` / `sentinelPassword` are given
 * as query options. A Cluster has database 0 only, so its URL has no path.
 */
export type RedisTopology = 'single' | 'sentinel' | 'cluster';

export interface RedisNodeAddress {
  host: string;
  port: number;
}

interface Credentials {
  username?: string;
  password?: string;
}

export type RedisTarget =
  | { topology: 'single'; url: string }
  | ({ topology: 'sentinel'; tls: boolean; sentinels: RedisNodeAddress[]; name: string; db: number; sentinelUsername?: string; sentinelPassword?: string } & Credentials)
  | ({ topology: 'cluster'; tls: boolean; nodes: RedisNodeAddress[] } & Credentials);

/** More seed addresses than anyone runs; bounds what a URL can make the client dial. */
export const MAX_SEED_NODES = 32;
const DEFAULT_PORT: Record<'sentinel' | 'cluster', number> = { sentinel: 26379, cluster: 6379 };
const SENTINEL_QUERY_OPTIONS = new Set(['sentinelUsername', 'sentinelPassword']);
const MASTER_NAME = /^[A-Za-z0-9._-]{1,128}$/;

/** The topology a URL asks for, from its scheme alone (nothing is validated). */
export function topologyOf(url: string): RedisTopology {
  const scheme = /^([a-z+]+):\/\//i.exec(url.trim())?.[1]?.toLowerCase();
  if (scheme === 'redis+sentinel' || scheme === 'rediss+sentinel') return 'sentinel';
  if (scheme === 'redis+cluster' || scheme === 'rediss+cluster') return 'cluster';
  return 'single';
}

/**
 * Parses MFN_REDIS_URL. A single-server URL is left to the client as it is; Sentinel and Cluster
 * URLs are parsed here. Errors are RedisConfigError, one line that never quotes the URL.
 */
export function parseRedisTarget(raw: string): RedisTarget {
  const url = raw.trim();
  if (topologyOf(url) === 'single') return { topology: 'single', url };
  const { scheme, userinfo, hosts: hostList, path, query } = splitMultiHostUrl(url);
  const topology = topologyOf(url) as 'sentinel' | 'cluster';
  const tls = scheme.toLowerCase().startsWith('rediss');
  const nodes = parseHosts(hostList, topology === 'sentinel' ? DEFAULT_PORT.sentinel : DEFAULT_PORT.cluster);
  const credentials = parseUserinfo(userinfo);
  const params = new URLSearchParams(query ?? '');
  if (topology === 'cluster') {
    if (path !== '' && path !== '/' && path !== '/0') throw new RedisConfigError('MFN_REDIS_URL: a Redis Cluster has database 0 only; drop the path of the redis+cluster:// URL');
    if ([...params.keys()].length > 0) throw new RedisConfigError('MFN_REDIS_URL: a redis+cluster:// URL takes no query options');
    return { topology, tls, nodes, ...credentials };
  }
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.length === 0 || segments.length > 2) throw new RedisConfigError('MFN_REDIS_URL: a redis+sentinel:// URL names the master group as its path (…/<master-name>[/<db>])');
  const name = decode(segments[0]!);
  if (!MASTER_NAME.test(name)) throw new RedisConfigError('MFN_REDIS_URL: the Sentinel master name may hold letters, digits, ".", "_" and "-" only');
  const db = segments.length === 2 ? Number(segments[1]) : 0;
  if (!/^\d{1,2}$/.test(segments[1] ?? '0') || db > 15) throw new RedisConfigError('MFN_REDIS_URL: the database of a redis+sentinel:// URL is a number from 0 to 15');
  for (const key of params.keys()) {
    if (!SENTINEL_QUERY_OPTIONS.has(key)) throw new RedisConfigError('MFN_REDIS_URL: a redis+sentinel:// URL takes only sentinelUsername and sentinelPassword as query options');
  }
  const sentinelUsername = params.get('sentinelUsername') ?? undefined;
  const sentinelPassword = params.get('sentinelPassword') ?? undefined;
  return {
    topology,
    tls,
    sentinels: nodes,
    name,
    db,
    ...credentials,
    ...(sentinelUsername ? { sentinelUsername } : {}),
    ...(sentinelPassword ? { sentinelPassword } : {}),
  };
}

function parseHosts(list: string, defaultPort: number): RedisNodeAddress[] {
  const parts = list.split(',');
  if (list === '' || parts.length > MAX_SEED_NODES) throw new RedisConfigError(`MFN_REDIS_URL names between 1 and ${MAX_SEED_NODES} host:port addresses`);
  return parts.map((part) => {
    const address = part.trim();
    const bracket = address.startsWith('[') ? address.indexOf(']') : -1;
    const colon = address.indexOf(':', bracket === -1 ? 0 : bracket);
    const host = bracket !== -1 ? address.slice(1, bracket) : colon === -1 ? address : address.slice(0, colon);
    const portText = colon === -1 ? '' : address.slice(colon + 1);
    const port = portText === '' ? defaultPort : Number(portText);
    const hostOk = bracket !== -1 ? /^[0-9A-Fa-f:.]{2,45}$/.test(host) && (colon === -1 ? bracket === address.length - 1 : colon === bracket + 1) : /^[A-Za-z0-9.-]{1,253}$/.test(host);
    if (!hostOk || !/^\d{0,5}$/.test(portText) || (colon !== -1 && portText === '') || port < 1 || port > 65_535) {
      throw new RedisConfigError('MFN_REDIS_URL holds an address that is not host:port (IPv6 in brackets)');
    }
    return { host, port };
  });
}

/** The parts of `scheme://[userinfo@]hosts[/path][?query]`, split by hand: URL cannot parse a host list. */
export function splitMultiHostUrl(url: string): { scheme: string; userinfo?: string; hosts: string; path: string; query?: string } {
  const sep = url.indexOf('://');
  const scheme = url.slice(0, sep);
  let rest = url.slice(sep + 3);
  const fragmentAt = rest.indexOf('#');
  if (fragmentAt !== -1) rest = rest.slice(0, fragmentAt);
  const q = rest.indexOf('?');
  const query = q === -1 ? undefined : rest.slice(q + 1);
  if (q !== -1) rest = rest.slice(0, q);
  const slash = rest.indexOf('/');
  const authority = slash === -1 ? rest : rest.slice(0, slash);
  const path = slash === -1 ? '' : rest.slice(slash);
  // The last `@`: a password with an unencoded `@` still never ends up among the hosts.
  const at = authority.lastIndexOf('@');
  return {
    scheme,
    ...(at === -1 ? {} : { userinfo: authority.slice(0, at) }),
    hosts: authority.slice(at + 1),
    path,
    ...(query === undefined ? {} : { query }),
  };
}

function parseUserinfo(userinfo: string | undefined): Credentials {
  if (userinfo === undefined || userinfo === '') return {};
  const colon = userinfo.indexOf(':');
  const user = decode(colon === -1 ? userinfo : userinfo.slice(0, colon));
  const password = colon === -1 ? '' : decode(userinfo.slice(colon + 1));
  // `user@` without a colon is a password-less ACL user; `:password@` the default user.
  return { ...(user !== '' ? { username: user } : {}), ...(password !== '' ? { password } : {}) };
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new RedisConfigError('MFN_REDIS_URL holds an invalid percent-encoding');
  }
}
