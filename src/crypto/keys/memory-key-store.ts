import {
  AddVersionResult,
  CreateKeyRequest,
  CreateKeyResult,
  KeyStore,
  SetMinVersionResult,
} from './key-store';
import { DefaultRole, KeySnapshot, StoredKey, StoredKeyVersion } from './key-types';

/**
 * Single-process key store. Used when no Redis is configured: keys vanish on restart and are not
 * shared between replicas (the start-up log says so). Each method completes without yielding, so
 * the operations are atomic within the process.
 */
export class MemoryKeyStore implements KeyStore {
  readonly backend = 'memory' as const;
  private readonly keys = new Map<string, StoredKey>();
  private readonly owners = new Map<string, Set<string>>();
  private readonly defaults = new Map<DefaultRole, string>();
  private checkValue?: string;

  async read(id: string, version?: number): Promise<KeySnapshot | undefined> {
    const key = this.keys.get(id);
    if (!key) return undefined;
    const wanted = version ?? key.meta.latestVersion;
    return { meta: { ...key.meta }, version: key.versions.find((v) => v.version === wanted) };
  }

  async readAll(id: string): Promise<StoredKey | undefined> {
    const key = this.keys.get(id);
    return key ? { meta: { ...key.meta }, versions: [...key.versions] } : undefined;
  }

  async create(request: CreateKeyRequest): Promise<CreateKeyResult> {
    const { meta, firstVersion, quota } = request;
    if (request.default?.mode === 'claim') {
      const existing = this.defaults.get(request.default.role);
      if (existing !== undefined) return { status: 'default_exists', id: existing };
    }
    if (this.keys.has(meta.id)) return { status: 'exists' };
    if (meta.owner !== undefined) {
      const owned = this.owners.get(meta.owner) ?? new Set<string>();
      if (quota !== undefined && owned.size >= quota) return { status: 'quota_exceeded' };
      owned.add(meta.id);
      this.owners.set(meta.owner, owned);
    }
    this.keys.set(meta.id, { meta: { ...meta, latestVersion: 1, minDecryptionVersion: 1 }, versions: [firstVersion] });
    if (request.default && !this.defaults.has(request.default.role)) this.defaults.set(request.default.role, meta.id);
    return { status: 'created' };
  }

  async addVersion(id: string, expectedLatest: number, version: StoredKeyVersion): Promise<AddVersionResult> {
    const key = this.keys.get(id);
    if (!key) return 'missing';
    if (key.meta.latestVersion !== expectedLatest || version.version !== expectedLatest + 1) return 'conflict';
    key.versions.push(version);
    key.meta.latestVersion = version.version;
    return 'ok';
  }

  async setMinDecryptionVersion(id: string, minVersion: number): Promise<SetMinVersionResult> {
    const key = this.keys.get(id);
    if (!key) return 'missing';
    if (minVersion < 1 || minVersion > key.meta.latestVersion) return 'out_of_range';
    key.meta.minDecryptionVersion = minVersion;
    return 'ok';
  }

  async getDefault(role: DefaultRole): Promise<string | undefined> {
    return this.defaults.get(role);
  }

  async getCheckValue(): Promise<string | undefined> {
    return this.checkValue;
  }

  async ensureCheckValue(candidate: string): Promise<string> {
    this.checkValue ??= candidate;
    return this.checkValue;
  }
}
