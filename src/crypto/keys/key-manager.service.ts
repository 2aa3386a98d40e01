import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { KeyObject, randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { AppException, ROOT_LOGGER } from '../../common';
import { RedisService } from '../../common/redis/redis.service';
import { AppConfig } from '../../config';
import { ReadinessRegistry } from '../../health/readiness.registry';
import { SecretsService } from '../../secrets/secrets.service';
import { CryptoErrors } from '../crypto.errors';
import { createAes256Key } from '../primitives/aes-gcm';
import { ed25519KeyPairFromSeed, generateEd25519KeyPair } from '../primitives/ed25519';
import { generateX25519KeyPair, x25519KeyPairFromPrivate } from '../primitives/x25519';
import { BoundedCache } from './bounded-cache';
import { KeyStore, KeyStoreUnavailableError } from './key-store';
import { DefaultRole, KeyType, StoredKey, StoredKeyMeta, StoredKeyVersion } from './key-types';
import { KeyUnwrapError, KeyWrapper } from './key-wrapper';
import { MASTER_KEY_SECRET, MasterKey, MasterKeyError, resolveMasterKey } from './master-key';
import { MemoryKeyStore } from './memory-key-store';
import { RedisKeyStore } from './redis-key-store';

/** Usable key objects of one version; private parts never leave this process. */
export interface KeyMaterial {
  type: KeyType;
  secretKey?: KeyObject;
  privateKey?: KeyObject;
  publicKey?: KeyObject;
  /** Raw public key, base64 (asymmetric keys). */
  publicKeyBase64?: string;
}

export interface ResolvedKey {
  id: string;
  version: number;
  material: KeyMaterial;
  /** True when this call created the default key (worth an audit event). */
  createdDefault: boolean;
}

/** The resolved key id and its versions allowed to decrypt/verify, newest first (may be empty). */
export interface UsableVersions {
  id: string;
  keys: ResolvedKey[];
}

export interface KeyVersionInfo {
  version: number;
  created_at: string;
  public_key?: string;
}

/** What GET /api/keys/{key_id} shows: metadata and public keys, never secret material. */
export interface KeyDescription {
  key_id: string;
  type: KeyType;
  created_at: string;
  latest_version: number;
  min_decryption_version: number;
  default_for: DefaultRole[];
  versions: KeyVersionInfo[];
}

export interface CreateKeyOptions {
  id?: string;
  /** Opaque caller identity; counted against the per-caller quota. */
  owner: string;
  /** Become the default key of this role if there is none yet. */
  defaultRole?: DefaultRole;
}

const MATERIAL_CACHE_ENTRIES = 4096;
const ROTATE_ATTEMPTS = 16;
const REDIS_BOOT_WAIT_MS = 3000;

const TYPE_NAME: Record<KeyType, string> = {
  [KeyType.AES_256_GCM]: 'an AES-256-GCM encryption',
  [KeyType.ED25519]: 'an Ed25519 signing',
  [KeyType.X25519]: 'an X25519 key-agreement',
};

type StoreState = 'disabled' | 'pending' | 'ready' | 'master_key_mismatch';

function generatedKeyId(): string {
  return `key_${randomBytes(16).toString('hex')}`;
}

/**
 * Owns the key store: picks the backend (Redis when configured, else memory), proves at start-up
 * that the master key matches what the store was wrapped under, resolves key ids and defaults,
 * creates and rotates keys, and keeps unwrapped key objects in a bounded cache. Versions never
 * change once written, so a cached version stays valid; the cache entry also remembers the
 * wrapped blob it came from, so a store that was wiped and refilled is never served stale keys.
 */
@Injectable()
export class KeyManager implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly log: Logger;
  private masterKey?: MasterKey;
  private wrapper?: KeyWrapper;
  private store?: KeyStore;
  private state: StoreState = 'disabled';
  private checking?: Promise<boolean>;
  /** True once the store's key-check value is known to be ours. */
  private checkWritten = false;
  private readonly materials = new BoundedCache<string, { wrapped: string; material: KeyMaterial }>(MATERIAL_CACHE_ENTRIES);
  private readonly defaultIds = new Map<DefaultRole, string>();
  private unsubscribe?: () => void;

  constructor(
    private readonly config: AppConfig,
    private readonly secrets: SecretsService,
    private readonly redis: RedisService,
    private readonly readiness: ReadinessRegistry,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ logger: 'mfn.crypto.keys' });
  }

  /** Master key first: a missing or malformed key stops start-up with one line. */
  onModuleInit(): void {
    if (!this.config.crypto.enabled) return;
    this.masterKey = resolveMasterKey(this.secrets.getSecret(MASTER_KEY_SECRET), this.config.env);
    this.wrapper = new KeyWrapper(this.masterKey.bytes);
    if (this.masterKey.generated) {
      this.log.warn(
        `${MASTER_KEY_SECRET} is not set: using a random master key for this process; keys will not survive a restart ` +
          'and replicas cannot share them',
      );
    }
    this.unsubscribe = this.secrets.onChange(() => {
      const now = this.secrets.getSecret(MASTER_KEY_SECRET)?.trim();
      if (!this.masterKey?.generated && now !== undefined && now !== this.masterKey?.bytes.toString('base64')) {
        this.log.warn(`${MASTER_KEY_SECRET} changed; the running service keeps the master key it started with until restarted`);
      }
    });
  }

  /** Then the store (Redis connects during module init) and the master-key check against it. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.crypto.enabled || !this.wrapper) return;
    const client = this.redis.client;
    this.store = client ? new RedisKeyStore(client, this.config.crypto.redisPrefix) : new MemoryKeyStore();
    this.state = 'pending';
    this.readiness.register('crypto_key_store', () => ({
      crypto_key_store: { status: this.state === 'master_key_mismatch' ? 'down' : 'up', state: this.state, backend: this.store?.backend },
    }));

    if (!client) {
      this.log.info('crypto key store: memory (keys are lost on restart and not shared between replicas)');
      await this.verifyMasterKey();
      return;
    }
    if (client.status !== 'ready') await readyOrTimeout(client, REDIS_BOOT_WAIT_MS);
    let matches: boolean;
    try {
      matches = await this.verifyMasterKey();
    } catch (err) {
      if (!(err instanceof AppException)) throw err;
      this.log.warn('crypto key store: Redis not reachable at start-up; the master-key check runs on first use');
      return;
    }
    if (!matches) {
      const hint = this.masterKey?.generated
        ? `; no ${MASTER_KEY_SECRET} is set, so this process made a random one: set the key the store was created with`
        : '';
      throw new MasterKeyError(
        `${MASTER_KEY_SECRET} does not match the crypto key store in Redis (prefix '${this.config.crypto.redisPrefix}'): ` +
          `its keys were wrapped under a different master key${hint}`,
      );
    }
    this.log.info({ prefix: this.config.crypto.redisPrefix }, 'crypto key store: redis (shared by replicas, persistent)');
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  get backend(): 'memory' | 'redis' | undefined {
    return this.store?.backend;
  }

  // ---- resolution -------------------------------------------------------------------------

  /** Key for encrypt: the named one, or the default (created on first use). */
  encryptionKey(keyId?: string): Promise<ResolvedKey> {
    return this.currentKey(keyId, KeyType.AES_256_GCM, 'encryption');
  }

  /** Key for sign: the named one, or the default signer (created on first use). */
  signingKey(keyId?: string): Promise<ResolvedKey> {
    return this.currentKey(keyId, KeyType.ED25519, 'signing');
  }

  /**
   * Versions that may open a ciphertext, newest first: the named version, or every version from
   * latest down to min_decryption_version when the ciphertext does not name one.
   * Without key id and without a default key: DECRYPTION_FAILED.
   */
  async decryptionKeys(keyId: string | undefined, version: number | undefined): Promise<UsableVersions> {
    const id = keyId ?? (await this.existingDefault('encryption'));
    if (id === undefined) throw CryptoErrors.noDecryptionKey();
    return { id, keys: await this.usableVersions(id, KeyType.AES_256_GCM, version, keyId === undefined) };
  }

  /** Like decryptionKeys for verify; undefined when there is no key id and no default signer. */
  async verificationKeys(keyId: string | undefined, version: number | undefined): Promise<UsableVersions | undefined> {
    const id = keyId ?? (await this.existingDefault('signing'));
    if (id === undefined) return undefined;
    return { id, keys: await this.usableVersions(id, KeyType.ED25519, version, keyId === undefined) };
  }

  // ---- lifecycle --------------------------------------------------------------------------

  async createKey(type: KeyType, options: CreateKeyOptions): Promise<{ id: string; material: KeyMaterial }> {
    const id = options.id ?? generatedKeyId();
    const { version, material } = this.newVersion(id, 1, type);
    const meta: StoredKeyMeta = {
      id,
      type,
      createdAt: version.createdAt,
      owner: options.owner,
      latestVersion: 1,
      minDecryptionVersion: 1,
    };
    await this.claimStore();
    const result = await this.withStore((s) =>
      s.create({
        meta,
        firstVersion: version,
        quota: this.config.crypto.maxKeysPerCaller,
        default: options.defaultRole ? { role: options.defaultRole, mode: 'if_absent' } : undefined,
      }),
    );
    if (result.status === 'exists') throw CryptoErrors.keyExists(id);
    if (result.status === 'quota_exceeded') throw CryptoErrors.quotaExceeded(this.config.crypto.maxKeysPerCaller);
    this.materials.set(this.cacheKey(id, 1), { wrapped: version.wrapped, material });
    return { id, material };
  }

  /** Adds a version with fresh material; it becomes the one new data is encrypted/signed with. */
  async rotate(id: string): Promise<KeyDescription> {
    await this.claimStore();
    for (let attempt = 0; attempt < ROTATE_ATTEMPTS; attempt++) {
      const snapshot = await this.withStore((s) => s.read(id));
      if (!snapshot) throw CryptoErrors.keyNotFound(id);
      const latest = snapshot.meta.latestVersion;
      const { version, material } = this.newVersion(id, latest + 1, snapshot.meta.type);
      const result = await this.withStore((s) => s.addVersion(id, latest, version));
      if (result === 'missing') throw CryptoErrors.keyNotFound(id);
      if (result === 'ok') {
        this.materials.set(this.cacheKey(id, version.version), { wrapped: version.wrapped, material });
        return this.describe(id);
      }
      // Another request or replica rotated concurrently: build the next version on top of it.
    }
    throw AppException.unavailable('Key rotation is contended; retry', 1);
  }

  /** Versions below `minVersion` stop decrypting and verifying; lowering it again restores them. */
  async setMinDecryptionVersion(id: string, minVersion: number): Promise<KeyDescription> {
    const result = await this.withStore((s) => s.setMinDecryptionVersion(id, minVersion));
    if (result === 'missing') throw CryptoErrors.keyNotFound(id);
    if (result === 'out_of_range') {
      const snapshot = await this.withStore((s) => s.read(id));
      throw CryptoErrors.versionOutOfRange(snapshot?.meta.latestVersion ?? 1);
    }
    return this.describe(id);
  }

  async describe(id: string): Promise<KeyDescription> {
    const key = await this.withStore((s) => s.readAll(id));
    if (!key) throw CryptoErrors.keyNotFound(id);
    const defaultFor: DefaultRole[] = [];
    for (const role of ['encryption', 'signing'] as const) {
      if ((await this.withStore((s) => s.getDefault(role))) === id) defaultFor.push(role);
    }
    return describeKey(key, defaultFor);
  }

  // ---- internals --------------------------------------------------------------------------

  private async currentKey(keyId: string | undefined, type: KeyType, role: DefaultRole): Promise<ResolvedKey> {
    let id = keyId;
    let createdDefault = false;
    if (id === undefined) {
      ({ id, created: createdDefault } = await this.defaultKey(role, type));
    }
    const snapshot = await this.withStore((s) => s.read(id));
    if (!snapshot) {
      if (keyId === undefined) this.defaultIds.delete(role);
      throw CryptoErrors.keyNotFound(id);
    }
    if (snapshot.meta.type !== type) throw CryptoErrors.wrongKeyType(id, TYPE_NAME[type]);
    if (!snapshot.version) throw this.inconsistent(id, snapshot.meta.latestVersion);
    return { id, version: snapshot.version.version, material: await this.materialOf(snapshot.meta, snapshot.version), createdDefault };
  }

  private async usableVersions(id: string, type: KeyType, version: number | undefined, isDefault: boolean): Promise<ResolvedKey[]> {
    if (version !== undefined) {
      const snapshot = await this.withStore((s) => s.read(id, version));
      if (!snapshot) {
        if (isDefault) this.defaultIds.clear();
        throw CryptoErrors.keyNotFound(id);
      }
      if (snapshot.meta.type !== type) throw CryptoErrors.wrongKeyType(id, TYPE_NAME[type]);
      if (!snapshot.version || version < snapshot.meta.minDecryptionVersion) return [];
      return [{ id, version, material: await this.materialOf(snapshot.meta, snapshot.version), createdDefault: false }];
    }
    const key = await this.withStore((s) => s.readAll(id));
    if (!key) {
      if (isDefault) this.defaultIds.clear();
      throw CryptoErrors.keyNotFound(id);
    }
    if (key.meta.type !== type) throw CryptoErrors.wrongKeyType(id, TYPE_NAME[type]);
    const usable = key.versions.filter((v) => v.version >= key.meta.minDecryptionVersion).sort((a, b) => b.version - a.version);
    const resolved: ResolvedKey[] = [];
    for (const v of usable) resolved.push({ id, version: v.version, material: await this.materialOf(key.meta, v), createdDefault: false });
    return resolved;
  }

  private async existingDefault(role: DefaultRole): Promise<string | undefined> {
    const cached = this.defaultIds.get(role);
    if (cached !== undefined) return cached;
    const id = await this.withStore((s) => s.getDefault(role));
    if (id !== undefined) this.defaultIds.set(role, id);
    return id;
  }

  /** The default of `role`, created atomically on first use (one winner across replicas). */
  private async defaultKey(role: DefaultRole, type: KeyType): Promise<{ id: string; created: boolean }> {
    const existing = await this.existingDefault(role);
    if (existing !== undefined) return { id: existing, created: false };
    const id = generatedKeyId();
    const { version, material } = this.newVersion(id, 1, type);
    await this.claimStore();
    const result = await this.withStore((s) =>
      s.create({
        meta: { id, type, createdAt: version.createdAt, latestVersion: 1, minDecryptionVersion: 1 },
        firstVersion: version,
        default: { role, mode: 'claim' },
      }),
    );
    if (result.status === 'default_exists') {
      this.defaultIds.set(role, result.id);
      return { id: result.id, created: false };
    }
    if (result.status !== 'created') throw this.inconsistent(id, 1);
    this.materials.set(this.cacheKey(id, 1), { wrapped: version.wrapped, material });
    this.defaultIds.set(role, id);
    return { id, created: true };
  }

  private newVersion(id: string, versionNumber: number, type: KeyType): { version: StoredKeyVersion; material: KeyMaterial } {
    const wrapper = this.requireWrapper();
    const createdAt = new Date().toISOString();
    let secret: Buffer;
    let material: KeyMaterial;
    if (type === KeyType.AES_256_GCM) {
      secret = randomBytes(32);
      material = { type, secretKey: createAes256Key(secret) };
    } else if (type === KeyType.ED25519) {
      const pair = generateEd25519KeyPair();
      secret = pair.seed;
      material = { type, privateKey: pair.privateKey, publicKey: pair.publicKey, publicKeyBase64: pair.publicRaw.toString('base64') };
    } else {
      const pair = generateX25519KeyPair();
      secret = pair.privateRaw;
      material = { type, privateKey: pair.privateKey, publicKey: pair.publicKey, publicKeyBase64: pair.publicRaw.toString('base64') };
    }
    const version: StoredKeyVersion = { version: versionNumber, createdAt, wrapped: wrapper.wrap(secret, id, versionNumber, type) };
    if (material.publicKeyBase64 !== undefined) version.publicKey = material.publicKeyBase64;
    secret.fill(0);
    return { version, material };
  }

  private async materialOf(meta: StoredKeyMeta, version: StoredKeyVersion): Promise<KeyMaterial> {
    const cacheKey = this.cacheKey(meta.id, version.version);
    const hit = this.materials.get(cacheKey);
    if (hit && hit.wrapped === version.wrapped) return hit.material;
    let secret: Buffer;
    try {
      secret = this.requireWrapper().unwrap(version.wrapped, meta.id, version.version, meta.type);
    } catch (err) {
      if (!(err instanceof KeyUnwrapError)) throw err;
      // Another replica may have filled the store under a different master key since start-up.
      if (!(await this.verifyMasterKey().catch(() => true))) throw CryptoErrors.masterKeyMismatch();
      this.log.error({ key_id: meta.id, version: version.version }, 'stored key material failed to unwrap (record altered or damaged)');
      throw CryptoErrors.keyMaterialUnreadable();
    }
    const material = buildMaterial(meta.type, secret);
    secret.fill(0);
    this.materials.set(cacheKey, { wrapped: version.wrapped, material });
    return material;
  }

  private cacheKey(id: string, version: number): string {
    return `${id}\u0000${version}`;
  }

  private inconsistent(id: string, version: number): AppException {
    this.log.error({ key_id: id, version }, 'key store record is incomplete');
    return CryptoErrors.keyMaterialUnreadable();
  }

  private requireWrapper(): KeyWrapper {
    if (!this.wrapper) throw CryptoErrors.disabled();
    return this.wrapper;
  }

  /** Runs a store operation once the master key is known to match; outages become 503. */
  private async withStore<T>(op: (store: KeyStore) => Promise<T>): Promise<T> {
    const store = await this.readyStore();
    try {
      return await op(store);
    } catch (err) {
      throw this.storeError(err);
    }
  }

  private async readyStore(): Promise<KeyStore> {
    for (;;) {
      if (this.state === 'ready' && this.store) return this.store;
      if (this.state === 'disabled' || !this.store) throw CryptoErrors.disabled();
      if (this.state === 'master_key_mismatch') throw CryptoErrors.masterKeyMismatch();
      this.checking ??= this.verifyMasterKey().finally(() => (this.checking = undefined));
      await this.checking;
    }
  }

  /**
   * Compares the store's key-check value with ours. A store without one holds no keys yet, so any
   * master key may use it; the value is written with the first key (claimStore). Processes that
   * never create a key therefore leave nothing in a shared Redis.
   */
  private async verifyMasterKey(): Promise<boolean> {
    const store = this.store;
    const wrapper = this.requireWrapper();
    if (!store) return false;
    let stored: string | undefined;
    try {
      stored = await store.getCheckValue();
    } catch (err) {
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
  private async claimStore(): Promise<void> {
    if (this.checkWritten) return;
    const wrapper = this.requireWrapper();
    const stored = await this.withStore((s) => s.ensureCheckValue(wrapper.checkValue()));
    if (!wrapper.matches(stored)) {
      this.markMismatch();
      throw CryptoErrors.masterKeyMismatch();
    }
    this.checkWritten = true;
  }

  private markMismatch(): void {
    if (this.state !== 'master_key_mismatch') {
      this.log.error(`${MASTER_KEY_SECRET} does not match the crypto key store: stored keys cannot be read`);
    }
    this.state = 'master_key_mismatch';
  }

  private storeError(err: unknown): unknown {
    if (err instanceof KeyStoreUnavailableError) {
      this.log.warn({ error: err.causeName }, 'crypto key store unavailable');
      return CryptoErrors.storeUnavailable();
    }
    return err;
  }
}

/** Resolves when the client is ready or after `ms`, whichever comes first (connection errors are not fatal here). */
function readyOrTimeout(client: Redis, ms: number): Promise<void> {
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

function buildMaterial(type: KeyType, secret: Buffer): KeyMaterial {
  if (type === KeyType.AES_256_GCM) return { type, secretKey: createAes256Key(secret) };
  const pair = type === KeyType.ED25519 ? ed25519KeyPairFromSeed(secret) : x25519KeyPairFromPrivate(secret);
  return { type, privateKey: pair.privateKey, publicKey: pair.publicKey, publicKeyBase64: pair.publicRaw.toString('base64') };
}

function describeKey(key: StoredKey, defaultFor: DefaultRole[]): KeyDescription {
  return {
    key_id: key.meta.id,
    type: key.meta.type,
    created_at: key.meta.createdAt,
    latest_version: key.meta.latestVersion,
    min_decryption_version: key.meta.minDecryptionVersion,
    default_for: defaultFor,
    versions: key.versions.map((v) => {
      const info: KeyVersionInfo = { version: v.version, created_at: v.createdAt };
      if (v.publicKey !== undefined) info.public_key = v.publicKey;
      return info;
    }),
  };
}
