"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.RedisKeyStore = void 0;
const node_crypto_1 = require("node:crypto");
const key_store_1 = require("./key-store");
/*
 * Layout under the prefix (default `mfn:crypto:`):
 *   key:<id>           hash: type, created_at, owner, latest, min_dec, and v:<n> = JSON version record
 *   owner:<hash>       set of key ids created by one caller (quota)
 *   default:<role>     id of the default encryption / signing key
 *   master-check       key-check value of the master key the store is wrapped under
 * Every mutation is one Lua script, so it is atomic across replicas.
 */
const READ_SCRIPT = `
local f = redis.call('HMGET', KEYS[1], 'type', 'created_at', 'owner', 'latest', 'min_dec')
if not f[1] then return false end
local v = ARGV[1]
if v == '' then v = f[4] end
local rec = redis.call('HGET', KEYS[1], 'v:' .. v)
return {f[1], f[2], f[3] or '', f[4], f[5], v, rec or ''}
`;
const CREATE_SCRIPT = `
if ARGV[6] == 'claim' then
  local existing = redis.call('GET', KEYS[3])
  if existing then return {'default_exists', existing} end
end
if redis.call('EXISTS', KEYS[1]) == 1 then return {'exists'} end
if ARGV[4] ~= '' then
  if ARGV[5] ~= '' and redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[5]) then return {'quota_exceeded'} end
  redis.call('SADD', KEYS[2], ARGV[1])
end
redis.call('HSET', KEYS[1], 'type', ARGV[2], 'created_at', ARGV[3], 'owner', ARGV[4], 'latest', '1', 'min_dec', '1', 'v:1', ARGV[7])
if ARGV[6] ~= '' then redis.call('SET', KEYS[3], ARGV[1], 'NX') end
return {'created'}
`;
const ADD_VERSION_SCRIPT = `
local latest = redis.call('HGET', KEYS[1], 'latest')
if not latest then return 'missing' end
if latest ~= ARGV[1] then return 'conflict' end
local n = tonumber(latest) + 1
redis.call('HSET', KEYS[1], 'v:' .. n, ARGV[2], 'latest', tostring(n))
return 'ok'
`;
const SET_MIN_SCRIPT = `
local latest = redis.call('HGET', KEYS[1], 'latest')
if not latest then return 'missing' end
local v = tonumber(ARGV[1])
if v < 1 or v > tonumber(latest) then return 'out_of_range' end
redis.call('HSET', KEYS[1], 'min_dec', ARGV[1])
return 'ok'
`;
function script(source) {
    return { source, sha: (0, node_crypto_1.createHash)('sha1').update(source).digest('hex') };
}
const SCRIPTS = {
    read: script(READ_SCRIPT),
    create: script(CREATE_SCRIPT),
    addVersion: script(ADD_VERSION_SCRIPT),
    setMin: script(SET_MIN_SCRIPT),
};
function encodeVersion(v) {
    const record = { created_at: v.createdAt, wrapped: v.wrapped };
    if (v.publicKey !== undefined)
        record.public_key = v.publicKey;
    return JSON.stringify(record);
}
function decodeVersion(version, json) {
    const r = JSON.parse(json);
    const out = { version, createdAt: r.created_at, wrapped: r.wrapped };
    if (r.public_key !== undefined)
        out.publicKey = r.public_key;
    return out;
}
function meta(id, type, createdAt, owner, latest, minDec) {
    const m = {
        id,
        type: type,
        createdAt,
        latestVersion: Number(latest),
        minDecryptionVersion: Number(minDec),
    };
    if (owner !== '')
        m.owner = owner;
    return m;
}
/** Key store shared by every replica through Redis; survives restarts of the service. */
class RedisKeyStore {
    redis;
    prefix;
    backend = 'redis';
    constructor(redis, prefix) {
        this.redis = redis;
        this.prefix = prefix;
    }
    async read(id, version) {
        const reply = (await this.run(SCRIPTS.read, [this.keyName(id)], [version === undefined ? '' : String(version)]));
        if (!reply)
            return undefined;
        const [type, createdAt, owner, latest, minDec, v, record] = reply;
        const snapshot = { meta: meta(id, type, createdAt, owner, latest, minDec) };
        if (record !== '')
            snapshot.version = decodeVersion(Number(v), record);
        return snapshot;
    }
    async readAll(id) {
        const h = await this.call(() => this.redis.hgetall(this.keyName(id)));
        if (!h.type)
            return undefined;
        const versions = [];
        for (const [field, value] of Object.entries(h)) {
            if (field.startsWith('v:'))
                versions.push(decodeVersion(Number(field.slice(2)), value));
        }
        versions.sort((a, b) => a.version - b.version);
        return { meta: meta(id, h.type, h.created_at, h.owner ?? '', h.latest, h.min_dec), versions };
    }
    async create(request) {
        const { meta: m, firstVersion, quota } = request;
        const role = request.default?.role ?? 'encryption';
        const reply = (await this.run(SCRIPTS.create, [this.keyName(m.id), this.ownerName(m.owner ?? ''), this.defaultName(role)], [
            m.id,
            m.type,
            m.createdAt,
            m.owner ?? '',
            quota === undefined ? '' : String(quota),
            request.default?.mode ?? '',
            encodeVersion(firstVersion),
        ]));
        switch (reply[0]) {
            case 'created':
                return { status: 'created' };
            case 'exists':
                return { status: 'exists' };
            case 'quota_exceeded':
                return { status: 'quota_exceeded' };
            default:
                return { status: 'default_exists', id: reply[1] };
        }
    }
    async addVersion(id, expectedLatest, version) {
        if (version.version !== expectedLatest + 1)
            return 'conflict';
        return (await this.run(SCRIPTS.addVersion, [this.keyName(id)], [String(expectedLatest), encodeVersion(version)]));
    }
    async setMinDecryptionVersion(id, minVersion) {
        return (await this.run(SCRIPTS.setMin, [this.keyName(id)], [String(minVersion)]));
    }
    async getDefault(role) {
        return (await this.call(() => this.redis.get(this.defaultName(role)))) ?? undefined;
    }
    async getCheckValue() {
        return (await this.call(() => this.redis.get(this.checkName()))) ?? undefined;
    }
    async ensureCheckValue(candidate) {
        await this.call(() => this.redis.set(this.checkName(), candidate, 'NX'));
        const stored = await this.call(() => this.redis.get(this.checkName()));
        return stored ?? candidate;
    }
    checkName() {
        return `${this.prefix}master-check`;
    }
    keyName(id) {
        return `${this.prefix}key:${id}`;
    }
    ownerName(owner) {
        return `${this.prefix}owner:${owner}`;
    }
    defaultName(role) {
        return `${this.prefix}default:${role}`;
    }
    /** EVALSHA, loading the script on first use (or after a Redis restart flushed the script cache). */
    async run(s, keys, args) {
        return this.call(async () => {
            try {
                return await this.redis.evalsha(s.sha, keys.length, ...keys, ...args);
            }
            catch (err) {
                if (err instanceof Error && err.message.startsWith('NOSCRIPT'))
                    return this.redis.eval(s.source, keys.length, ...keys, ...args);
                throw err;
            }
        });
    }
    async call(op) {
        try {
            return await op();
        }
        catch (err) {
            throw new key_store_1.KeyStoreUnavailableError(err instanceof Error ? err.name : 'unknown');
        }
    }
}
exports.RedisKeyStore = RedisKeyStore;
//# sourceMappingURL=redis-key-store.js.map