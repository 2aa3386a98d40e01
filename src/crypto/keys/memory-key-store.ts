import { CommitResult, KeyCommit, KeyStore, RawKeyRecord, TenantUsage, VersionSelection } from './key-store';
import { DefaultRole, KeyRef, refName } from './key-types';

interface Entry {
  rev: number;
  latest: number;
  meta: string;
  mac: string;
  versions: Map<number, string>;
}

/**
 * Single-process key store. Used when no Redis is configured: keys vanish on restart and are not
 * shared between replicas (the start-up log says so). Each method completes without yielding, so
 * every commit is atomic within the process.
 */
export class MemoryKeyStore implements KeyStore {
  readonly backend = 'memory' as const;
  private readonly records = new Map<string, Entry>();
  private readonly tenants = new Map<string, Set<string>>();
  private readonly counters = new Map<string, TenantUsage>();
  private readonly defaults = new Map<string, string>();
  private readonly rotation = new Map<string, { ref: KeyRef; at: number }>();
  private checkValue?: string;

  async read(ref: KeyRef, selection: VersionSelection): Promise<RawKeyRecord | undefined> {
    const e = this.records.get(refName(ref));
    if (!e) return undefined;
    const wanted = selection === 'all' ? [...e.versions.keys()] : selection === 'latest' ? [e.latest] : selection;
    const versions = new Map<number, string>();
    for (const v of wanted) {
      const s = e.versions.get(v);
      if (s !== undefined) versions.set(v, s);
    }
    return { rev: e.rev, latest: e.latest, meta: e.meta, mac: e.mac, versions };
  }

  async commit(c: KeyCommit): Promise<CommitResult> {
    const name = refName(c.ref);
    const current = this.records.get(name);
    if (c.expectedRev === undefined) {
      if (c.claimDefault) {
        const existing = this.defaults.get(this.defaultName(c.ref.tenant, c.claimDefault));
        if (existing !== undefined) return { status: 'default_exists', id: existing };
      }
      if (current) return { status: 'exists' };
    } else {
      if (!current) return { status: 'missing' };
      if (current.rev !== c.expectedRev) return { status: 'conflict' };
    }
    const usage = this.counters.get(c.ref.tenant) ?? { keys: 0, versions: 0 };
    if (c.keyDelta > 0 && usage.keys + c.keyDelta > c.quotas.keys) return { status: 'key_quota' };
    if (c.versionDelta > 0 && usage.versions + c.versionDelta > c.quotas.versions) return { status: 'version_quota' };
    this.counters.set(c.ref.tenant, { keys: usage.keys + c.keyDelta, versions: usage.versions + c.versionDelta });

    if (c.remove) {
      this.records.delete(name);
      this.tenants.get(c.ref.tenant)?.delete(c.ref.id);
      this.rotation.delete(name);
      if (c.defaultRole) {
        const pointer = this.defaultName(c.ref.tenant, c.defaultRole);
        if (this.defaults.get(pointer) === c.ref.id) this.defaults.delete(pointer);
      }
      return { status: 'ok' };
    }
    const entry: Entry = current ?? { rev: 0, latest: 0, meta: '', mac: '', versions: new Map() };
    Object.assign(entry, { rev: c.rev, latest: c.latest, meta: c.meta, mac: c.mac });
    for (const [v, s] of c.putVersions ?? []) entry.versions.set(v, s);
    for (const v of c.dropVersions ?? []) entry.versions.delete(v);
    if (!current) {
      this.records.set(name, entry);
      const ids = this.tenants.get(c.ref.tenant) ?? new Set<string>();
      ids.add(c.ref.id);
      this.tenants.set(c.ref.tenant, ids);
    }
    if (c.claimDefault) {
      const pointer = this.defaultName(c.ref.tenant, c.claimDefault);
      if (!this.defaults.has(pointer)) this.defaults.set(pointer, c.ref.id);
    }
    if (c.rotateAt === undefined) this.rotation.delete(name);
    else this.rotation.set(name, { ref: { ...c.ref }, at: c.rotateAt });
    return { status: 'ok' };
  }

  async list(tenant: string, after: string | undefined, limit: number): Promise<string[]> {
    const ids = [...(this.tenants.get(tenant) ?? [])].sort(byteOrder);
    return ids.filter((id) => after === undefined || byteOrder(id, after) > 0).slice(0, limit);
  }

  async usage(tenant: string): Promise<TenantUsage> {
    return { ...(this.counters.get(tenant) ?? { keys: 0, versions: 0 }) };
  }

  async getDefault(tenant: string, role: DefaultRole): Promise<string | undefined> {
    return this.defaults.get(this.defaultName(tenant, role));
  }

  async dueForRotation(now: number, limit: number, skip = 0): Promise<KeyRef[]> {
    return [...this.rotation.values()]
      .filter((r) => r.at <= now)
      .sort((a, b) => a.at - b.at)
      .slice(skip, skip + limit)
      .map((r) => ({ ...r.ref }));
  }

  async getCheckValue(): Promise<string | undefined> {
    return this.checkValue;
  }

  async ensureCheckValue(candidate: string): Promise<string> {
    this.checkValue ??= candidate;
    return this.checkValue;
  }

  private defaultName(tenant: string, role: DefaultRole): string {
    return `${tenant}\u0000${role}`;
  }
}

/** The order Redis sorts equal-score members in (ZRANGEBYLEX), so both stores page alike. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
