import { createHash } from 'node:crypto';
import type { RedisClient } from '../../redis/redis-client';
import type { RedisService } from '../../redis/redis.service';
import { CommitResult, KeyCommit, KeyStore, KeyStoreUnavailableError, RawKeyRecord, TenantUsage, VersionSelection } from './key-store';
import { DefaultRole, KeyRef, refName } from './key-types';

/*
 * Layout under the prefix (default `mfn:crypto:`); tenants and ids never contain `/`:
 *   key:<tenant>/<id>        hash: rev, latest, meta (sealed JSON), mac, v:<n> (one per stored version)
 *   index:<tenant>           sorted set of the tenant's key ids (score 0, listed in byte order)
 *   usage:<tenant>           hash: keys, versions (quota counters)
 *   default:<tenant>:<role>  id of the tenant's default encryption / signing key
 *   rotation                 sorted set of `<tenant>/<id>` by next automatic rotation (epoch ms)
 *   master-check             key-check value of the master key the store is wrapped under
 * Every change is one Lua script, so it is atomic across replicas.
 *
 * On a Redis Cluster every name carries one hash tag after the prefix, `<prefix>{keystore}:…`
 * (e.g. `mfn:crypto:{keystore}:key:<tenant>/<id>`): the commit script touches the record, the
 * tenant's index, usage and default pointer and the global rotation schedule together, so all of
 * them must share one slot. The store is small (one hash per key, cached by every replica), so
 * one slot carries it. A single server or Sentinel master keeps the untagged names, so existing
 * data stays where it is; data moved into a Cluster must be renamed (docs/operations.md).
 */

/** The hash tag of every key-store name on a Redis Cluster. */
export const KEY_STORE_HASH_TAG = '{keystore}';

const READ_LATEST_SCRIPT = `
local f = redis.call('HMGET', KEYS[1], 'rev', 'latest', 'meta', 'mac')
if not f[1] then return false end
return {f[1], f[2], f[3] or '', f[4] or '', redis.call('HGET', KEYS[1], 'v:' .. (f[2] or '0')) or ''}
`;

// KEYS: record, index, usage, default pointer, rotation schedule.
// ARGV: expectedRev ('' = create), rev, latest, meta, mac, keyDelta, versionDelta, keyQuota,
// versionQuota, id, claimDefault ('1'/''), rotateAt ('' = unschedule), member, remove ('1'/''),
// then n + n (field, value) pairs to set, then m + m fields to delete.
const COMMIT_SCRIPT = `
local cur = redis.call('HGET', KEYS[1], 'rev')
if ARGV[1] == '' then
  if ARGV[11] == '1' then
    local d = redis.call('GET', KEYS[4])
    if d then return {'default_exists', d} end
  end
  if cur then return {'exists'} end
else
  if not cur then return {'missing'} end
  if cur ~= ARGV[1] then return {'conflict'} end
end
local kd = tonumber(ARGV[6])
local vd = tonumber(ARGV[7])
local used = redis.call('HMGET', KEYS[3], 'keys', 'versions')
if kd > 0 and tonumber(used[1] or '0') + kd > tonumber(ARGV[8]) then return {'key_quota'} end
if vd > 0 and tonumber(used[2] or '0') + vd > tonumber(ARGV[9]) then return {'version_quota'} end
if kd ~= 0 then redis.call('HINCRBY', KEYS[3], 'keys', kd) end
if vd ~= 0 then redis.call('HINCRBY', KEYS[3], 'versions', vd) end
if ARGV[14] == '1' then
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[2], ARGV[10])
  redis.call('ZREM', KEYS[5], ARGV[13])
  if redis.call('GET', KEYS[4]) == ARGV[10] then redis.call('DEL', KEYS[4]) end
  return {'ok'}
end
redis.call('HSET', KEYS[1], 'rev', ARGV[2], 'latest', ARGV[3], 'meta', ARGV[4], 'mac', ARGV[5])
local i = 15
local n = tonumber(ARGV[i])
for j = 1, n do
  redis.call('HSET', KEYS[1], ARGV[i + 1], ARGV[i + 2])
  i = i + 2
end
i = i + 1
local m = tonumber(ARGV[i])
for j = 1, m do redis.call('HDEL', KEYS[1], ARGV[i + j]) end
if ARGV[1] == '' then redis.call('ZADD', KEYS[2], 0, ARGV[10]) end
if ARGV[11] == '1' then redis.call('SET', KEYS[4], ARGV[10], 'NX') end
if ARGV[12] == '' then redis.call('ZREM', KEYS[5], ARGV[13]) else redis.call('ZADD', KEYS[5], ARGV[12], ARGV[13]) end
return {'ok'}
`;

interface Script {
  source: string;
  sha: string;
}

function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

const SCRIPTS = { readLatest: script(READ_LATEST_SCRIPT), commit: script(COMMIT_SCRIPT) };

/** Key store shared by every replica through Redis; survives restarts of the service. */
export class RedisKeyStore implements KeyStore {
  readonly backend = 'redis' as const;

  /** `redis` hands out the shared connection, which it opens during module initialisation. */
  constructor(
    private readonly redis: RedisService,
    private readonly prefix: string,
  ) {}

  async read(ref: KeyRef, selection: VersionSelection): Promise<RawKeyRecord | undefined> {
    const name = this.keyName(ref);
    if (selection === 'latest') {
      const reply = (await this.run(SCRIPTS.readLatest, [name], [])) as string[] | null;
      if (!reply) return undefined;
      const [rev, latest, meta, mac, version] = reply;
      const versions = new Map<number, string>();
      if (version !== '') versions.set(Number(latest), version);
      return { rev: Number(rev), latest: Number(latest), meta, mac, versions };
    }
    if (selection === 'all') {
      const h = await this.call((c) => c.hgetall(name));
      if (h.rev === undefined) return undefined;
      const versions = new Map<number, string>();
      for (const [field, value] of Object.entries(h)) {
        if (field.startsWith('v:')) versions.set(Number(field.slice(2)), value);
      }
      return { rev: Number(h.rev), latest: Number(h.latest), meta: h.meta ?? '', mac: h.mac ?? '', versions };
    }
    const fields = await this.call((c) => c.hmget(name, 'rev', 'latest', 'meta', 'mac', ...selection.map((v) => `v:${v}`)));
    const [rev, latest, meta, mac, ...rest] = fields;
    if (rev === null) return undefined;
    const versions = new Map<number, string>();
    selection.forEach((v, i) => {
      // eslint-disable-next-line security/detect-object-injection -- integer index: HMGET answers one value per requested field, in order
      if (rest[i] !== null) versions.set(v, rest[i]!);
    });
    return { rev: Number(rev), latest: Number(latest), meta: meta ?? '', mac: mac ?? '', versions };
  }

  async commit(c: KeyCommit): Promise<CommitResult> {
    const puts = c.putVersions ?? [];
    const drops = c.dropVersions ?? [];
    const role = c.claimDefault ?? c.defaultRole ?? 'encryption';
    const reply = (await this.run(
      SCRIPTS.commit,
      [this.keyName(c.ref), this.indexName(c.ref.tenant), this.usageName(c.ref.tenant), this.defaultName(c.ref.tenant, role), this.rotationName()],
      [
        c.expectedRev === undefined ? '' : String(c.expectedRev),
        String(c.rev),
        String(c.latest),
        c.meta,
        c.mac,
        String(c.keyDelta),
        String(c.versionDelta),
        String(c.quotas.keys),
        String(c.quotas.versions),
        c.ref.id,
        c.claimDefault ? '1' : '',
        c.rotateAt === undefined ? '' : String(c.rotateAt),
        refName(c.ref),
        c.remove ? '1' : '',
        String(puts.length),
        ...puts.flatMap(([v, s]) => [`v:${v}`, s]),
        String(drops.length),
        ...drops.map((v) => `v:${v}`),
      ],
    )) as string[];
    switch (reply[0]) {
      case 'ok':
      case 'conflict':
      case 'exists':
      case 'missing':
      case 'key_quota':
      case 'version_quota':
        return { status: reply[0] };
      default:
        return { status: 'default_exists', id: reply[1] };
    }
  }

  async list(tenant: string, after: string | undefined, limit: number): Promise<string[]> {
    return this.call((c) => c.zrangebylex(this.indexName(tenant), after === undefined ? '-' : `(${after}`, '+', 'LIMIT', 0, limit));
  }

  async usage(tenant: string): Promise<TenantUsage> {
    const [keys, versions] = await this.call((c) => c.hmget(this.usageName(tenant), 'keys', 'versions'));
    return { keys: Number(keys ?? 0), versions: Number(versions ?? 0) };
  }

  async getDefault(tenant: string, role: DefaultRole): Promise<string | undefined> {
    return (await this.call((c) => c.get(this.defaultName(tenant, role)))) ?? undefined;
  }

  async dueForRotation(now: number, limit: number, skip = 0): Promise<KeyRef[]> {
    const members = await this.call((c) => c.zrangebyscore(this.rotationName(), '-inf', now, 'LIMIT', skip, limit));
    return members.flatMap((m) => {
      const slash = m.indexOf('/');
      return slash > 0 ? [{ tenant: m.slice(0, slash), id: m.slice(slash + 1) }] : [];
    });
  }

  async getCheckValue(): Promise<string | undefined> {
    return (await this.call((c) => c.get(this.checkName()))) ?? undefined;
  }

  async ensureCheckValue(candidate: string): Promise<string> {
    await this.call((c) => c.set(this.checkName(), candidate, 'NX'));
    const stored = await this.call((c) => c.get(this.checkName()));
    return stored ?? candidate;
  }

  /** The prefix plus, on a Cluster, the hash tag that keeps every name in one slot. */
  private get base(): string {
    return this.redis.topology === 'cluster' ? `${this.prefix}${KEY_STORE_HASH_TAG}:` : this.prefix;
  }

  private checkName(): string {
    return `${this.base}master-check`;
  }

  private keyName(ref: KeyRef): string {
    return `${this.base}key:${refName(ref)}`;
  }

  private indexName(tenant: string): string {
    return `${this.base}index:${tenant}`;
  }

  private usageName(tenant: string): string {
    return `${this.base}usage:${tenant}`;
  }

  private defaultName(tenant: string, role: DefaultRole): string {
    return `${this.base}default:${tenant}:${role}`;
  }

  private rotationName(): string {
    return `${this.base}rotation`;
  }

  /** EVALSHA, loading the script on first use (or after a Redis restart flushed the script cache). */
  private async run(s: Script, keys: string[], args: string[]): Promise<unknown> {
    return this.call(async (c) => {
      try {
        return await c.evalsha(s.sha, keys.length, ...keys, ...args);
      } catch (err) {
        if (err instanceof Error && err.message.startsWith('NOSCRIPT')) return c.eval(s.source, keys.length, ...keys, ...args);
        throw err;
      }
    });
  }

  private async call<T>(op: (client: RedisClient) => Promise<T>): Promise<T> {
    const client = this.redis.client;
    if (!client) throw new KeyStoreUnavailableError('NotConfigured');
    try {
      return await op(client);
    } catch (err) {
      throw new KeyStoreUnavailableError(err instanceof Error ? err.name : 'unknown');
    }
  }
}
