"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.KeyManager = void 0;
const common_1 = require("@nestjs/common");
const node_crypto_1 = require("node:crypto");
const common_2 = require("../../common");
const redis_service_1 = require("../../common/redis/redis.service");
const config_1 = require("../../config");
const readiness_registry_1 = require("../../health/readiness.registry");
const secrets_service_1 = require("../../secrets/secrets.service");
const crypto_errors_1 = require("../crypto.errors");
const aes_gcm_1 = require("../primitives/aes-gcm");
const ed25519_1 = require("../primitives/ed25519");
const x25519_1 = require("../primitives/x25519");
const bounded_cache_1 = require("./bounded-cache");
const key_store_1 = require("./key-store");
const key_types_1 = require("./key-types");
const key_wrapper_1 = require("./key-wrapper");
const master_key_1 = require("./master-key");
const memory_key_store_1 = require("./memory-key-store");
const redis_key_store_1 = require("./redis-key-store");
const MATERIAL_CACHE_ENTRIES = 4096;
const ROTATE_ATTEMPTS = 16;
const REDIS_BOOT_WAIT_MS = 3000;
const TYPE_NAME = {
    [key_types_1.KeyType.AES_256_GCM]: 'an AES-256-GCM encryption',
    [key_types_1.KeyType.ED25519]: 'an Ed25519 signing',
    [key_types_1.KeyType.X25519]: 'an X25519 key-agreement',
};
function generatedKeyId() {
    return `key_${(0, node_crypto_1.randomBytes)(16).toString('hex')}`;
}
/**
 * Owns the key store: picks the backend (Redis when configured, else memory), proves at start-up
 * that the master key matches what the store was wrapped under, resolves key ids and defaults,
 * creates and rotates keys, and keeps unwrapped key objects in a bounded cache. Versions never
 * change once written, so a cached version stays valid; the cache entry also remembers the
 * wrapped blob it came from, so a store that was wiped and refilled is never served stale keys.
 */
let KeyManager = class KeyManager {
    config;
    secrets;
    redis;
    readiness;
    log;
    masterKey;
    wrapper;
    store;
    state = 'disabled';
    checking;
    /** True once the store's key-check value is known to be ours. */
    checkWritten = false;
    materials = new bounded_cache_1.BoundedCache(MATERIAL_CACHE_ENTRIES);
    defaultIds = new Map();
    unsubscribe;
    constructor(config, secrets, redis, readiness, logger) {
        this.config = config;
        this.secrets = secrets;
        this.redis = redis;
        this.readiness = readiness;
        this.log = logger.child({ logger: 'mfn.crypto.keys' });
    }
    /** Master key first: a missing or malformed key stops start-up with one line. */
    onModuleInit() {
        if (!this.config.crypto.enabled)
            return;
        this.masterKey = (0, master_key_1.resolveMasterKey)(this.secrets.getSecret(master_key_1.MASTER_KEY_SECRET), this.config.env);
        this.wrapper = new key_wrapper_1.KeyWrapper(this.masterKey.bytes);
        if (this.masterKey.generated) {
            this.log.warn(`${master_key_1.MASTER_KEY_SECRET} is not set: using a random master key for this process; keys will not survive a restart ` +
                'and replicas cannot share them');
        }
        this.unsubscribe = this.secrets.onChange(() => {
            const now = this.secrets.getSecret(master_key_1.MASTER_KEY_SECRET)?.trim();
            if (!this.masterKey?.generated && now !== undefined && now !== this.masterKey?.bytes.toString('base64')) {
                this.log.warn(`${master_key_1.MASTER_KEY_SECRET} changed; the running service keeps the master key it started with until restarted`);
            }
        });
    }
    /** Then the store (Redis connects during module init) and the master-key check against it. */
    async onApplicationBootstrap() {
        if (!this.config.crypto.enabled || !this.wrapper)
            return;
        const client = this.redis.client;
        this.store = client ? new redis_key_store_1.RedisKeyStore(client, this.config.crypto.redisPrefix) : new memory_key_store_1.MemoryKeyStore();
        this.state = 'pending';
        this.readiness.register('crypto_key_store', () => ({
            crypto_key_store: { status: this.state === 'master_key_mismatch' ? 'down' : 'up', state: this.state, backend: this.store?.backend },
        }));
        if (!client) {
            this.log.info('crypto key store: memory (keys are lost on restart and not shared between replicas)');
            await this.verifyMasterKey();
            return;
        }
        if (client.status !== 'ready')
            await readyOrTimeout(client, REDIS_BOOT_WAIT_MS);
        let matches;
        try {
            matches = await this.verifyMasterKey();
        }
        catch (err) {
            if (!(err instanceof common_2.AppException))
                throw err;
            this.log.warn('crypto key store: Redis not reachable at start-up; the master-key check runs on first use');
            return;
        }
        if (!matches) {
            const hint = this.masterKey?.generated
                ? `; no ${master_key_1.MASTER_KEY_SECRET} is set, so this process made a random one: set the key the store was created with`
                : '';
            throw new master_key_1.MasterKeyError(`${master_key_1.MASTER_KEY_SECRET} does not match the crypto key store in Redis (prefix '${this.config.crypto.redisPrefix}'): ` +
                `its keys were wrapped under a different master key${hint}`);
        }
        this.log.info({ prefix: this.config.crypto.redisPrefix }, 'crypto key store: redis (shared by replicas, persistent)');
    }
    onModuleDestroy() {
        this.unsubscribe?.();
    }
    get backend() {
        return this.store?.backend;
    }
    // ---- resolution -------------------------------------------------------------------------
    /** Key for encrypt: the named one, or the default (created on first use). */
    encryptionKey(keyId) {
        return this.currentKey(keyId, key_types_1.KeyType.AES_256_GCM, 'encryption');
    }
    /** Key for sign: the named one, or the default signer (created on first use). */
    signingKey(keyId) {
        return this.currentKey(keyId, key_types_1.KeyType.ED25519, 'signing');
    }
    /**
     * Versions that may open a ciphertext, newest first: the named version, or every version from
     * latest down to min_decryption_version when the ciphertext does not name one.
     * Without key id and without a default key: DECRYPTION_FAILED.
     */
    async decryptionKeys(keyId, version) {
        const id = keyId ?? (await this.existingDefault('encryption'));
        if (id === undefined)
            throw crypto_errors_1.CryptoErrors.noDecryptionKey();
        return { id, keys: await this.usableVersions(id, key_types_1.KeyType.AES_256_GCM, version, keyId === undefined) };
    }
    /** Like decryptionKeys for verify; undefined when there is no key id and no default signer. */
    async verificationKeys(keyId, version) {
        const id = keyId ?? (await this.existingDefault('signing'));
        if (id === undefined)
            return undefined;
        return { id, keys: await this.usableVersions(id, key_types_1.KeyType.ED25519, version, keyId === undefined) };
    }
    // ---- lifecycle --------------------------------------------------------------------------
    async createKey(type, options) {
        const id = options.id ?? generatedKeyId();
        const { version, material } = this.newVersion(id, 1, type);
        const meta = {
            id,
            type,
            createdAt: version.createdAt,
            owner: options.owner,
            latestVersion: 1,
            minDecryptionVersion: 1,
        };
        await this.claimStore();
        const result = await this.withStore((s) => s.create({
            meta,
            firstVersion: version,
            quota: this.config.crypto.maxKeysPerCaller,
            default: options.defaultRole ? { role: options.defaultRole, mode: 'if_absent' } : undefined,
        }));
        if (result.status === 'exists')
            throw crypto_errors_1.CryptoErrors.keyExists(id);
        if (result.status === 'quota_exceeded')
            throw crypto_errors_1.CryptoErrors.quotaExceeded(this.config.crypto.maxKeysPerCaller);
        this.materials.set(this.cacheKey(id, 1), { wrapped: version.wrapped, material });
        return { id, material };
    }
    /** Adds a version with fresh material; it becomes the one new data is encrypted/signed with. */
    async rotate(id) {
        await this.claimStore();
        for (let attempt = 0; attempt < ROTATE_ATTEMPTS; attempt++) {
            const snapshot = await this.withStore((s) => s.read(id));
            if (!snapshot)
                throw crypto_errors_1.CryptoErrors.keyNotFound(id);
            const latest = snapshot.meta.latestVersion;
            const { version, material } = this.newVersion(id, latest + 1, snapshot.meta.type);
            const result = await this.withStore((s) => s.addVersion(id, latest, version));
            if (result === 'missing')
                throw crypto_errors_1.CryptoErrors.keyNotFound(id);
            if (result === 'ok') {
                this.materials.set(this.cacheKey(id, version.version), { wrapped: version.wrapped, material });
                return this.describe(id);
            }
            // Another request or replica rotated concurrently: build the next version on top of it.
        }
        throw common_2.AppException.unavailable('Key rotation is contended; retry', 1);
    }
    /** Versions below `minVersion` stop decrypting and verifying; lowering it again restores them. */
    async setMinDecryptionVersion(id, minVersion) {
        const result = await this.withStore((s) => s.setMinDecryptionVersion(id, minVersion));
        if (result === 'missing')
            throw crypto_errors_1.CryptoErrors.keyNotFound(id);
        if (result === 'out_of_range') {
            const snapshot = await this.withStore((s) => s.read(id));
            throw crypto_errors_1.CryptoErrors.versionOutOfRange(snapshot?.meta.latestVersion ?? 1);
        }
        return this.describe(id);
    }
    async describe(id) {
        const key = await this.withStore((s) => s.readAll(id));
        if (!key)
            throw crypto_errors_1.CryptoErrors.keyNotFound(id);
        const defaultFor = [];
        for (const role of ['encryption', 'signing']) {
            if ((await this.withStore((s) => s.getDefault(role))) === id)
                defaultFor.push(role);
        }
        return describeKey(key, defaultFor);
    }
    // ---- internals --------------------------------------------------------------------------
    async currentKey(keyId, type, role) {
        let id = keyId;
        let createdDefault = false;
        if (id === undefined) {
            ({ id, created: createdDefault } = await this.defaultKey(role, type));
        }
        const snapshot = await this.withStore((s) => s.read(id));
        if (!snapshot) {
            if (keyId === undefined)
                this.defaultIds.delete(role);
            throw crypto_errors_1.CryptoErrors.keyNotFound(id);
        }
        if (snapshot.meta.type !== type)
            throw crypto_errors_1.CryptoErrors.wrongKeyType(id, TYPE_NAME[type]);
        if (!snapshot.version)
            throw this.inconsistent(id, snapshot.meta.latestVersion);
        return { id, version: snapshot.version.version, material: await this.materialOf(snapshot.meta, snapshot.version), createdDefault };
    }
    async usableVersions(id, type, version, isDefault) {
        if (version !== undefined) {
            const snapshot = await this.withStore((s) => s.read(id, version));
            if (!snapshot) {
                if (isDefault)
                    this.defaultIds.clear();
                throw crypto_errors_1.CryptoErrors.keyNotFound(id);
            }
            if (snapshot.meta.type !== type)
                throw crypto_errors_1.CryptoErrors.wrongKeyType(id, TYPE_NAME[type]);
            if (!snapshot.version || version < snapshot.meta.minDecryptionVersion)
                return [];
            return [{ id, version, material: await this.materialOf(snapshot.meta, snapshot.version), createdDefault: false }];
        }
        const key = await this.withStore((s) => s.readAll(id));
        if (!key) {
            if (isDefault)
                this.defaultIds.clear();
            throw crypto_errors_1.CryptoErrors.keyNotFound(id);
        }
        if (key.meta.type !== type)
            throw crypto_errors_1.CryptoErrors.wrongKeyType(id, TYPE_NAME[type]);
        const usable = key.versions.filter((v) => v.version >= key.meta.minDecryptionVersion).sort((a, b) => b.version - a.version);
        const resolved = [];
        for (const v of usable)
            resolved.push({ id, version: v.version, material: await this.materialOf(key.meta, v), createdDefault: false });
        return resolved;
    }
    async existingDefault(role) {
        const cached = this.defaultIds.get(role);
        if (cached !== undefined)
            return cached;
        const id = await this.withStore((s) => s.getDefault(role));
        if (id !== undefined)
            this.defaultIds.set(role, id);
        return id;
    }
    /** The default of `role`, created atomically on first use (one winner across replicas). */
    async defaultKey(role, type) {
        const existing = await this.existingDefault(role);
        if (existing !== undefined)
            return { id: existing, created: false };
        const id = generatedKeyId();
        const { version, material } = this.newVersion(id, 1, type);
        await this.claimStore();
        const result = await this.withStore((s) => s.create({
            meta: { id, type, createdAt: version.createdAt, latestVersion: 1, minDecryptionVersion: 1 },
            firstVersion: version,
            default: { role, mode: 'claim' },
        }));
        if (result.status === 'default_exists') {
            this.defaultIds.set(role, result.id);
            return { id: result.id, created: false };
        }
        if (result.status !== 'created')
            throw this.inconsistent(id, 1);
        this.materials.set(this.cacheKey(id, 1), { wrapped: version.wrapped, material });
        this.defaultIds.set(role, id);
        return { id, created: true };
    }
    newVersion(id, versionNumber, type) {
        const wrapper = this.requireWrapper();
        const createdAt = new Date().toISOString();
        let secret;
        let material;
        if (type === key_types_1.KeyType.AES_256_GCM) {
            secret = (0, node_crypto_1.randomBytes)(32);
            material = { type, secretKey: (0, aes_gcm_1.createAes256Key)(secret) };
        }
        else if (type === key_types_1.KeyType.ED25519) {
            const pair = (0, ed25519_1.generateEd25519KeyPair)();
            secret = pair.seed;
            material = { type, privateKey: pair.privateKey, publicKey: pair.publicKey, publicKeyBase64: pair.publicRaw.toString('base64') };
        }
        else {
            const pair = (0, x25519_1.generateX25519KeyPair)();
            secret = pair.privateRaw;
            material = { type, privateKey: pair.privateKey, publicKey: pair.publicKey, publicKeyBase64: pair.publicRaw.toString('base64') };
        }
        const version = { version: versionNumber, createdAt, wrapped: wrapper.wrap(secret, id, versionNumber, type) };
        if (material.publicKeyBase64 !== undefined)
            version.publicKey = material.publicKeyBase64;
        secret.fill(0);
        return { version, material };
    }
    async materialOf(meta, version) {
        const cacheKey = this.cacheKey(meta.id, version.version);
        const hit = this.materials.get(cacheKey);
        if (hit && hit.wrapped === version.wrapped)
            return hit.material;
        let secret;
        try {
            secret = this.requireWrapper().unwrap(version.wrapped, meta.id, version.version, meta.type);
        }
        catch (err) {
            if (!(err instanceof key_wrapper_1.KeyUnwrapError))
                throw err;
            // Another replica may have filled the store under a different master key since start-up.
            if (!(await this.verifyMasterKey().catch(() => true)))
                throw crypto_errors_1.CryptoErrors.masterKeyMismatch();
            this.log.error({ key_id: meta.id, version: version.version }, 'stored key material failed to unwrap (record altered or damaged)');
            throw crypto_errors_1.CryptoErrors.keyMaterialUnreadable();
        }
        const material = buildMaterial(meta.type, secret);
        secret.fill(0);
        this.materials.set(cacheKey, { wrapped: version.wrapped, material });
        return material;
    }
    cacheKey(id, version) {
        return `${id}\u0000${version}`;
    }
    inconsistent(id, version) {
        this.log.error({ key_id: id, version }, 'key store record is incomplete');
        return crypto_errors_1.CryptoErrors.keyMaterialUnreadable();
    }
    requireWrapper() {
        if (!this.wrapper)
            throw crypto_errors_1.CryptoErrors.disabled();
        return this.wrapper;
    }
    /** Runs a store operation once the master key is known to match; outages become 503. */
    async withStore(op) {
        const store = await this.readyStore();
        try {
            return await op(store);
        }
        catch (err) {
            throw this.storeError(err);
        }
    }
    async readyStore() {
        for (;;) {
            if (this.state === 'ready' && this.store)
                return this.store;
            if (this.state === 'disabled' || !this.store)
                throw crypto_errors_1.CryptoErrors.disabled();
            if (this.state === 'master_key_mismatch')
                throw crypto_errors_1.CryptoErrors.masterKeyMismatch();
            this.checking ??= this.verifyMasterKey().finally(() => (this.checking = undefined));
            await this.checking;
        }
    }
    /**
     * Compares the store's key-check value with ours. A store without one holds no keys yet, so any
     * master key may use it; the value is written with the first key (claimStore). Processes that
     * never create a key therefore leave nothing in a shared Redis.
     */
    async verifyMasterKey() {
        const store = this.store;
        const wrapper = this.requireWrapper();
        if (!store)
            return false;
        let stored;
        try {
            stored = await store.getCheckValue();
        }
        catch (err) {
            throw this.storeError(err);
        }
        if (stored === undefined || wrapper.matches(stored)) {
            this.checkWritten = stored !== undefined;
            this.state = 'ready';
            return true;
        }
        this.markMismatch();
        return false;
    }
    /** Before the first key is written: record our key-check value, or find out that another master key got there first. */
    async claimStore() {
        if (this.checkWritten)
            return;
        const wrapper = this.requireWrapper();
        const stored = await this.withStore((s) => s.ensureCheckValue(wrapper.checkValue()));
        if (!wrapper.matches(stored)) {
            this.markMismatch();
            throw crypto_errors_1.CryptoErrors.masterKeyMismatch();
        }
        this.checkWritten = true;
    }
    markMismatch() {
        if (this.state !== 'master_key_mismatch') {
            this.log.error(`${master_key_1.MASTER_KEY_SECRET} does not match the crypto key store: stored keys cannot be read`);
        }
        this.state = 'master_key_mismatch';
    }
    storeError(err) {
        if (err instanceof key_store_1.KeyStoreUnavailableError) {
            this.log.warn({ error: err.causeName }, 'crypto key store unavailable');
            return crypto_errors_1.CryptoErrors.storeUnavailable();
        }
        return err;
    }
};
exports.KeyManager = KeyManager;
exports.KeyManager = KeyManager = __decorate([
    (0, common_1.Injectable)(),
    __param(4, (0, common_1.Inject)(common_2.ROOT_LOGGER)),
    __metadata("design:paramtypes", [config_1.AppConfig,
        secrets_service_1.SecretsService,
        redis_service_1.RedisService,
        readiness_registry_1.ReadinessRegistry, Object])
], KeyManager);
/** Resolves when the client is ready or after `ms`, whichever comes first (connection errors are not fatal here). */
function readyOrTimeout(client, ms) {
    return new Promise((resolve) => {
        const done = () => {
            clearTimeout(timer);
            client.off('ready', done);
            resolve();
        };
        const timer = setTimeout(done, ms);
        client.once('ready', done);
    });
}
function buildMaterial(type, secret) {
    if (type === key_types_1.KeyType.AES_256_GCM)
        return { type, secretKey: (0, aes_gcm_1.createAes256Key)(secret) };
    const pair = type === key_types_1.KeyType.ED25519 ? (0, ed25519_1.ed25519KeyPairFromSeed)(secret) : (0, x25519_1.x25519KeyPairFromPrivate)(secret);
    return { type, privateKey: pair.privateKey, publicKey: pair.publicKey, publicKeyBase64: pair.publicRaw.toString('base64') };
}
function describeKey(key, defaultFor) {
    return {
        key_id: key.meta.id,
        type: key.meta.type,
        created_at: key.meta.createdAt,
        latest_version: key.meta.latestVersion,
        min_decryption_version: key.meta.minDecryptionVersion,
        default_for: defaultFor,
        versions: key.versions.map((v) => {
            const info = { version: v.version, created_at: v.createdAt };
            if (v.publicKey !== undefined)
                info.public_key = v.publicKey;
            return info;
        }),
    };
}
//# sourceMappingURL=key-manager.service.js.map