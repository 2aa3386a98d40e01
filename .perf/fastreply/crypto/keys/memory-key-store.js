"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MemoryKeyStore = void 0;
/**
 * Single-process key store. Used when no Redis is configured: keys vanish on restart and are not
 * shared between replicas (the start-up log says so). Each method completes without yielding, so
 * the operations are atomic within the process.
 */
class MemoryKeyStore {
    backend = 'memory';
    keys = new Map();
    owners = new Map();
    defaults = new Map();
    checkValue;
    async read(id, version) {
        const key = this.keys.get(id);
        if (!key)
            return undefined;
        const wanted = version ?? key.meta.latestVersion;
        return { meta: { ...key.meta }, version: key.versions.find((v) => v.version === wanted) };
    }
    async readAll(id) {
        const key = this.keys.get(id);
        return key ? { meta: { ...key.meta }, versions: [...key.versions] } : undefined;
    }
    async create(request) {
        const { meta, firstVersion, quota } = request;
        if (request.default?.mode === 'claim') {
            const existing = this.defaults.get(request.default.role);
            if (existing !== undefined)
                return { status: 'default_exists', id: existing };
        }
        if (this.keys.has(meta.id))
            return { status: 'exists' };
        if (meta.owner !== undefined) {
            const owned = this.owners.get(meta.owner) ?? new Set();
            if (quota !== undefined && owned.size >= quota)
                return { status: 'quota_exceeded' };
            owned.add(meta.id);
            this.owners.set(meta.owner, owned);
        }
        this.keys.set(meta.id, { meta: { ...meta, latestVersion: 1, minDecryptionVersion: 1 }, versions: [firstVersion] });
        if (request.default && !this.defaults.has(request.default.role))
            this.defaults.set(request.default.role, meta.id);
        return { status: 'created' };
    }
    async addVersion(id, expectedLatest, version) {
        const key = this.keys.get(id);
        if (!key)
            return 'missing';
        if (key.meta.latestVersion !== expectedLatest || version.version !== expectedLatest + 1)
            return 'conflict';
        key.versions.push(version);
        key.meta.latestVersion = version.version;
        return 'ok';
    }
    async setMinDecryptionVersion(id, minVersion) {
        const key = this.keys.get(id);
        if (!key)
            return 'missing';
        if (minVersion < 1 || minVersion > key.meta.latestVersion)
            return 'out_of_range';
        key.meta.minDecryptionVersion = minVersion;
        return 'ok';
    }
    async getDefault(role) {
        return this.defaults.get(role);
    }
    async getCheckValue() {
        return this.checkValue;
    }
    async ensureCheckValue(candidate) {
        this.checkValue ??= candidate;
        return this.checkValue;
    }
}
exports.MemoryKeyStore = MemoryKeyStore;
//# sourceMappingURL=memory-key-store.js.map