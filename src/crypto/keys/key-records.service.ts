import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../../common';
import { RedisService } from '../../redis/redis.service';
import { AppConfig } from '../../config';
import { ReadinessRegistry } from '../../health/readiness.registry';
import { SecretsService } from '../../secrets/secrets.service';
import { CryptoErrors, KeyIntegrityError } from '../crypto.errors';
import { KeyMaterial, KeyMaterials } from './key-material';
import { KeyRecordSealer, KeyRecordTamperedError, decodeVersion, encodeVersion } from './key-record';
import { CommitResult, KEY_STORE, KeyCommit, KeyStore, TenantUsage, VersionSelection } from './key-store';
import { DefaultRole, KeyMeta, KeyRef, KeyType, StoredVersion } from './key-types';
import { KeyUnwrapError, KeyWrapper } from './key-wrapper';
import { MasterKeyCheck, unavailable } from './master-key-check';
import { MASTER_KEY_SECRET, MasterKeyError, resolveMasterKey } from './master-key';

/** A record whose metadata passed its integrity check, with the versions that were read. */
export interface LoadedKey {
  meta: KeyMeta;
  versions: Map<number, StoredVersion>;
}

/** A change to commit: the new metadata (sealed here) and what else the commit does. */
export type RecordChange = Omit<KeyCommit, 'ref' | 'rev' | 'latest' | 'meta' | 'mac' | 'quotas' | 'rotateAt' | 'defaultRole'> & { meta: KeyMeta };

const REDIS_BOOT_WAIT_MS = 3000;

/**
 * The key store as the rest of the crypto module sees it: every record read is checked against
 * the master key before anything uses it (sealed metadata, wrapped versions), every commit is
 * sealed and carries the tenant's quotas. Owns the master key, the start-up proof that it matches
 * the store, and the cache of unwrapped versions.
 */
@Injectable()
export class KeyRecords implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly log: Logger;
  private sealer?: KeyRecordSealer;
  private materials?: KeyMaterials;
  private check?: MasterKeyCheck;
  private generatedMasterKey = false;
  private unsubscribe?: () => void;

  constructor(
    private readonly config: AppConfig,
    private readonly secrets: SecretsService,
    private readonly redis: RedisService,
    private readonly readiness: ReadinessRegistry,
    @Inject(KEY_STORE) private readonly store: KeyStore,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ logger: 'mfn.crypto.keys' });
  }

  /** Master key first: a missing or malformed key stops start-up with one line. */
  onModuleInit(): void {
    if (!this.config.crypto.enabled) return;
    const master = resolveMasterKey(this.secrets.getSecret(MASTER_KEY_SECRET), this.config.env);
    const wrapper = new KeyWrapper(master.bytes);
    this.sealer = new KeyRecordSealer(master.bytes);
    this.materials = new KeyMaterials(wrapper);
    this.check = new MasterKeyCheck(this.store, wrapper, this.log);
    this.generatedMasterKey = master.generated;
    if (master.generated) {
      this.log.warn(
        `${MASTER_KEY_SECRET} is not set: using a random master key for this process; keys will not survive a restart ` +
          'and replicas cannot share them',
      );
    }
    const startValue = master.bytes.toString('base64');
    this.unsubscribe = this.secrets.onChange(() => {
      const now = this.secrets.getSecret(MASTER_KEY_SECRET)?.trim();
      if (!master.generated && now !== undefined && now !== startValue) {
        this.log.warn(`${MASTER_KEY_SECRET} changed; the running service keeps the master key it started with until restarted`);
      }
    });
  }

  /** Then the master-key check against the store (Redis has connected during module init). */
  async onApplicationBootstrap(): Promise<void> {
    const check = this.check;
    if (!check) return;
    this.readiness.register('crypto_key_store', () => ({
      crypto_key_store: { status: check.status === 'master_key_mismatch' ? 'down' : 'up', state: check.status, backend: this.store.backend },
    }));
    if (this.store.backend === 'memory') {
      this.log.info('crypto key store: memory (keys are lost on restart and not shared between replicas)');
      await check.verify();
      return;
    }
    await this.redis.waitUntilReady(REDIS_BOOT_WAIT_MS);
    let matches: boolean;
    try {
      matches = await check.verify();
    } catch {
      this.log.warn('crypto key store: Redis not reachable at start-up; the master-key check runs on first use');
      return;
    }
    if (!matches) {
      const hint = this.generatedMasterKey
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

  get quotas(): { keys: number; versions: number; versionsPerKey: number } {
    const c = this.config.crypto;
    return { keys: c.maxKeysPerTenant, versions: c.maxVersionsPerTenant, versionsPerKey: c.maxVersionsPerKey };
  }

  get backend(): 'memory' | 'redis' {
    return this.store.backend;
  }

  /**
   * The verified record, or undefined when there is none. With `admit`, a record it refuses (a
   * key the caller may not use) is undefined too, decided on the sealed metadata before any
   * version is looked at: nothing of a foreign key's versions can change the answer.
   */
  async load(ref: KeyRef, selection: VersionSelection, admit?: (meta: KeyMeta) => boolean): Promise<LoadedKey | undefined> {
    const sealer = await this.ready();
    const raw = await this.guard(() => this.store.read(ref, selection));
    if (!raw) return undefined;
    let meta: KeyMeta;
    try {
      meta = sealer.open(ref, raw);
    } catch (err) {
      if (!(err instanceof KeyRecordTamperedError)) throw err;
      // A record sealed under another master key (a replica that filled the store first) fails
      // its MAC too: that is a misconfiguration (503), not tampering.
      if (err.reason === 'mac' && !(await this.check!.verify().catch(() => true))) throw CryptoErrors.masterKeyMismatch();
      throw this.tampered(ref, err.reason);
    }
    if (admit && !admit(meta)) return undefined;
    const versions = new Map<number, StoredVersion>();
    const wanted = selection === 'all' ? range(meta.minAvailableVersion, meta.latestVersion) : selection === 'latest' ? [meta.latestVersion] : selection;
    for (const v of wanted) {
      if (v < meta.minAvailableVersion || v > meta.latestVersion) continue;
      const json = raw.versions.get(v);
      const stored = json === undefined ? undefined : decodeVersion(v, json);
      if (!stored) throw this.tampered(ref, 'version');
      versions.set(v, stored);
    }
    return { meta, versions };
  }

  /** Seals and commits `change` on top of revision `change.meta.rev - 1` (or as a new record when `create`). */
  async commit(change: RecordChange, create = false): Promise<CommitResult> {
    const sealer = await this.ready();
    await this.guard(() => this.check!.claim());
    const meta = change.meta;
    const sealed = sealer.seal(meta);
    const { meta: _meta, ...rest } = change;
    const commit: KeyCommit = {
      ...rest,
      ref: { tenant: meta.tenant, id: meta.id },
      expectedRev: create ? undefined : meta.rev - 1,
      rev: meta.rev,
      latest: meta.latestVersion,
      meta: sealed.meta,
      mac: sealed.mac,
      quotas: { keys: this.quotas.keys, versions: this.quotas.versions },
      rotateAt: nextRotation(meta),
      defaultRole: meta.defaultFor,
    };
    return this.guard(() => this.store.commit(commit));
  }

  /** Fresh material for a new version, wrapped and ready for a commit's `putVersions`. */
  newVersion(ref: KeyRef, type: KeyType, version: number, createdAt: string): { stored: StoredVersion; encoded: string; material: KeyMaterial } {
    const { stored, material } = this.requireMaterials().create(ref, type, version, createdAt);
    return { stored, encoded: encodeVersion(stored), material };
  }

  /** The key objects of one stored version; an altered version is refused, never used. */
  async material(meta: KeyMeta, stored: StoredVersion): Promise<KeyMaterial> {
    try {
      return this.requireMaterials().open(meta, stored);
    } catch (err) {
      if (!(err instanceof KeyUnwrapError)) throw err;
      // Another replica may have filled the store under a different master key since start-up.
      if (!(await this.check!.verify().catch(() => true))) throw CryptoErrors.masterKeyMismatch();
      throw this.tampered(meta, 'material');
    }
  }

  forget(ref: KeyRef, versions: Iterable<number>): void {
    this.materials?.forget(ref, versions);
  }

  list(tenant: string, after: string | undefined, limit: number): Promise<string[]> {
    return this.withReadyStore((s) => s.list(tenant, after, limit));
  }

  usage(tenant: string): Promise<TenantUsage> {
    return this.withReadyStore((s) => s.usage(tenant));
  }

  defaultOf(tenant: string, role: DefaultRole): Promise<string | undefined> {
    return this.withReadyStore((s) => s.getDefault(tenant, role));
  }

  dueForRotation(now: number, limit: number, skip = 0): Promise<KeyRef[]> {
    return this.withReadyStore((s) => s.dueForRotation(now, limit, skip));
  }

  private async withReadyStore<T>(op: (store: KeyStore) => Promise<T>): Promise<T> {
    await this.ready();
    return this.guard(() => op(this.store));
  }

  private async ready(): Promise<KeyRecordSealer> {
    if (!this.sealer || !this.check) throw CryptoErrors.disabled();
    await this.check.ready();
    return this.sealer;
  }

  private requireMaterials(): KeyMaterials {
    if (!this.materials) throw CryptoErrors.disabled();
    return this.materials;
  }

  private async guard<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      throw unavailable(err, this.log);
    }
  }

  private tampered(ref: KeyRef, reason: string): KeyIntegrityError {
    this.log.error({ tenant: ref.tenant, key_id: ref.id, reason }, 'key record failed its integrity check; refused');
    return new KeyIntegrityError({ tenant: ref.tenant, id: ref.id }, reason);
  }
}

/** When the key rotates by itself next (epoch ms), from its sealed schedule; undefined = never. */
export function nextRotation(meta: KeyMeta): number | undefined {
  return meta.autoRotatePeriodS > 0 ? Date.parse(meta.rotatedAt) + meta.autoRotatePeriodS * 1000 : undefined;
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v++) out.push(v);
  return out;
}
