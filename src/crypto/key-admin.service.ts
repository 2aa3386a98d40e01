import { Injectable } from '@nestjs/common';
import { AppException } from '../common';
import { CryptoCaller } from './caller';
import { CryptoActivity } from './crypto-activity';
import { KeypairRequestDto, KeypairResponseDto } from './dto/crypto.dto';
import { CreateKeyRequestDto, GrantRequestDto, KeyConfigRequestDto, KeyListDto, ListKeysQueryDto, TrimRequestDto } from './dto/key-admin.dto';
import { KeyDescription } from './keys/key-description';
import { KeyLifecycle, Managed } from './keys/key-lifecycle.service';
import { KeyRef, KeyType } from './keys/key-types';

const DEFAULT_PAGE = 100;
const CONFIG_FIELDS = ['min_decryption_version', 'min_encryption_version', 'deletion_allowed', 'auto_rotate_period'];

/**
 * The key-management routes over KeyLifecycle: each call counted and audited with the tenant and
 * key it acted on; a keys-admin acting on another tenant's key is audited as such (WARNING).
 */
@Injectable()
export class KeyAdminService {
  constructor(
    private readonly lifecycle: KeyLifecycle,
    private readonly activity: CryptoActivity,
  ) {}

  create(dto: CreateKeyRequestDto, tenant: string | undefined, caller: CryptoCaller): Promise<KeyDescription> {
    return this.manage('key_create', caller, { tenant, keyId: dto.key_id, algorithm: dto.type }, async () => {
      const created = await this.lifecycle.create(caller.actor, dto.type, dto.key_id, tenant);
      this.event('key_created', caller, created, { type: dto.type, version: 1 });
      return created;
    });
  }

  /** Ed25519 (signing) or X25519 (ECDH) pair in the caller's tenant; answers with the public key only. */
  keypair(dto: KeypairRequestDto, caller: CryptoCaller): Promise<KeypairResponseDto> {
    const type = dto.algorithm === 'ECDH' ? KeyType.X25519 : KeyType.ED25519;
    return this.manage('keypair', caller, { keyId: dto.key_id, algorithm: type }, async () => {
      const created = await this.lifecycle.create(caller.actor, type, dto.key_id);
      this.event('key_created', caller, created, { type, version: 1 });
      const description = created.result;
      return {
        result: { key_id: description.key_id, public_key: description.versions[0].public_key!, algorithm: dto.algorithm, key_version: 1 },
        meta: created.meta,
        path: created.path,
      };
    });
  }

  async list(query: ListKeysQueryDto, caller: CryptoCaller): Promise<KeyListDto> {
    const tenant = query.tenant ?? caller.actor.tenant;
    const page = await this.activity.run('key_list', caller, { keyId: '*', tenant, algorithm: 'none' }, () =>
      this.lifecycle.list(caller.actor, tenant, query.after, query.limit ?? DEFAULT_PAGE),
    );
    return { keys: page.keys, next_cursor: page.next };
  }

  describe(ref: KeyRef, caller: CryptoCaller): Promise<KeyDescription> {
    return this.manage('key_read', caller, { tenant: ref.tenant, keyId: ref.id, algorithm: 'none' }, async () => {
      const managed = await this.lifecycle.describe(caller.actor, ref);
      if (managed.path === 'admin') this.event('key_read', caller, managed);
      return managed;
    });
  }

  rotate(ref: KeyRef, caller: CryptoCaller): Promise<KeyDescription> {
    return this.manage('key_rotate', caller, { tenant: ref.tenant, keyId: ref.id, algorithm: 'none' }, async () => {
      const managed = await this.lifecycle.rotate(caller.actor, ref);
      this.event('key_rotated', caller, managed, { version: managed.result.latest_version });
      return managed;
    });
  }

  configure(ref: KeyRef, dto: KeyConfigRequestDto, caller: CryptoCaller): Promise<KeyDescription> {
    if (Object.values(dto).every((v) => v === undefined)) {
      throw AppException.validation([{ field: 'body', message: `set at least one of ${CONFIG_FIELDS.join(', ')}` }]);
    }
    return this.manage('key_config', caller, { tenant: ref.tenant, keyId: ref.id, algorithm: 'none' }, async () => {
      const managed = await this.lifecycle.configure(caller.actor, ref, {
        minDecryptionVersion: dto.min_decryption_version,
        minEncryptionVersion: dto.min_encryption_version,
        deletionAllowed: dto.deletion_allowed,
        autoRotatePeriodS: dto.auto_rotate_period,
      });
      this.event('key_config_updated', caller, managed, { ...dto });
      return managed;
    });
  }

  trim(ref: KeyRef, dto: TrimRequestDto, caller: CryptoCaller): Promise<KeyDescription> {
    return this.manage('key_trim', caller, { tenant: ref.tenant, keyId: ref.id, algorithm: 'none' }, async () => {
      const managed = await this.lifecycle.trim(caller.actor, ref, dto.min_available_version);
      this.event('key_trimmed', caller, managed, { min_available_version: managed.result.min_available_version });
      return managed;
    });
  }

  async remove(ref: KeyRef, caller: CryptoCaller): Promise<void> {
    await this.manage('key_delete', caller, { tenant: ref.tenant, keyId: ref.id, algorithm: 'none' }, async () => {
      const managed = await this.lifecycle.remove(caller.actor, ref);
      this.event('key_deleted', caller, managed, { versions_destroyed: managed.result.versions });
      return managed;
    });
  }

  setGrant(ref: KeyRef, grantee: string, dto: GrantRequestDto, caller: CryptoCaller): Promise<KeyDescription> {
    return this.manage('key_grant', caller, { tenant: ref.tenant, keyId: ref.id, algorithm: 'none' }, async () => {
      const managed = await this.lifecycle.setGrant(caller.actor, ref, grantee, dto.operations);
      this.event('key_grant_set', caller, managed, { grantee, operations: dto.operations });
      return managed;
    });
  }

  revokeGrant(ref: KeyRef, grantee: string, caller: CryptoCaller): Promise<KeyDescription> {
    return this.manage('key_revoke', caller, { tenant: ref.tenant, keyId: ref.id, algorithm: 'none' }, async () => {
      const managed = await this.lifecycle.revokeGrant(caller.actor, ref, grantee);
      this.event('key_grant_revoked', caller, managed, { grantee });
      return managed;
    });
  }

  private async manage<T>(
    operation: string,
    caller: CryptoCaller,
    start: { tenant?: string; keyId?: string; algorithm: string },
    body: () => Promise<Managed<T>>,
  ): Promise<T> {
    return this.activity.run(operation, caller, start, async (trace) => {
      const managed = await body();
      trace.tenant = managed.meta.tenant;
      trace.keyId = managed.meta.id;
      trace.algorithm = managed.meta.type;
      trace.path = managed.path;
      return managed.result;
    });
  }

  private event(
    action: Parameters<CryptoActivity['keyEvent']>[0],
    caller: CryptoCaller,
    managed: Managed<unknown>,
    details: Record<string, unknown> = {},
  ): void {
    this.activity.keyEvent(action, caller, { tenant: managed.meta.tenant, keyId: managed.meta.id, path: managed.path }, { type: managed.meta.type, ...details });
  }
}
