import { AccessPath } from './key-access';
import { KeyRecords, LoadedKey, nextRotation } from './key-records.service';
import { GrantableOperation, KeyType } from './key-types';

/** What GET /api/keys/{key_id} shows: metadata, policy and public keys, never secret material. */
export interface KeyDescription {
  key_id: string;
  tenant: string;
  type: KeyType;
  created_at: string;
  latest_version: number;
  min_available_version: number;
  min_decryption_version: number;
  min_encryption_version: number;
  deletion_allowed: boolean;
  auto_rotate_period: number;
  next_rotation_at: string | null;
  default_for: string[];
  versions: Array<{ version: number; created_at: string; public_key?: string }>;
  /** Shown to the owner and keys-admin only. */
  grants?: Array<{ tenant: string; operations: GrantableOperation[] }>;
}

/**
 * The description of a key as the routes answer it. Every version shown is opened first, so a
 * public key or date altered in the store is refused rather than shown; grants are shown to the
 * owner and keys-admin only.
 */
export async function describeKey(records: KeyRecords, key: LoadedKey, path: AccessPath): Promise<KeyDescription> {
  const { meta } = key;
  const versions: KeyDescription['versions'] = [];
  for (const stored of [...key.versions.values()].sort((a, b) => a.version - b.version)) {
    // Opening proves the public key and dates shown are the ones sealed with the material.
    await records.material(meta, stored);
    const info: KeyDescription['versions'][number] = { version: stored.version, created_at: stored.createdAt };
    if (stored.publicKey !== undefined) info.public_key = stored.publicKey;
    versions.push(info);
  }
  const due = nextRotation(meta);
  const description: KeyDescription = {
    key_id: meta.id,
    tenant: meta.tenant,
    type: meta.type,
    created_at: meta.createdAt,
    latest_version: meta.latestVersion,
    min_available_version: meta.minAvailableVersion,
    min_decryption_version: meta.minDecryptionVersion,
    min_encryption_version: meta.minEncryptionVersion,
    deletion_allowed: meta.deletionAllowed,
    auto_rotate_period: meta.autoRotatePeriodS,
    next_rotation_at: due === undefined ? null : new Date(due).toISOString(),
    default_for: meta.defaultFor ? [meta.defaultFor] : [],
    versions,
  };
  if (path !== 'grant') description.grants = Object.entries(meta.grants).map(([tenant, operations]) => ({ tenant, operations }));
  return description;
}
