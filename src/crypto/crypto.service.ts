import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '../config';
import { runBatch } from './batch';
import { batchItemsOf } from './batch-input';
import { CallKeys, DECRYPT, ENCRYPT, REWRAP, type OpenSpec } from './call-keys';
import { CryptoCaller } from './caller';
import { CryptoActivity, OperationTrace } from './crypto-activity';
import { CryptoErrors } from './crypto.errors';
import { BatchResponseDto } from './dto/batch.dto';
import { DecryptBatchItemDto, DecryptRequestDto, DecryptResponseDto, EncryptBatchItemDto, EncryptRequestDto, EncryptResponseDto } from './dto/crypto.dto';
import { DataKeyRequestDto, DataKeyResponseDto } from './dto/datakey.dto';
import { RewrapBatchItemDto, RewrapRequestDto, RewrapResponseDto } from './dto/rewrap.dto';
import { MAX_DECODED_BYTES } from './dto/validators';
import { KeyRequest, KeyResolver, UsableKey } from './keys/key-resolver.service';

export { DECRYPT, ENCRYPT, REWRAP } from './call-keys';

const ALGORITHM = 'AES-256-GCM';

/** Bytes of a field the DTO already checked to be strict base64. */
export function decoded(value: string | undefined): Buffer | undefined {
  return value === undefined ? undefined : Buffer.from(value, 'base64');
}

export function keyRequestOf(dto: { key_id?: string; tenant?: string }): KeyRequest {
  return { keyId: dto.key_id, tenant: dto.tenant };
}

/** Notes the key an operation resolved in its trace. */
export function noteKey(trace: OperationTrace, key: UsableKey): void {
  trace.keyId = key.ref.id;
  trace.tenant = key.ref.tenant;
  trace.keyVersion = key.material.version;
  trace.path = key.path;
}

function plaintextOf(value: string): Buffer {
  const plaintext = decoded(value)!;
  if (plaintext.length > MAX_DECODED_BYTES) throw CryptoErrors.tooLarge('Plaintext', MAX_DECODED_BYTES);
  return plaintext;
}

/**
 * AES-256-GCM encrypt, decrypt and rewrap over the tenant's keys, one value or a `batch_input`
 * at a time, and data keys for envelope encryption. Ciphertexts always carry their version
 * (`mfn:v<N>:`), so decryption opens exactly one version.
 */
@Injectable()
export class CryptoService {
  constructor(
    private readonly config: AppConfig,
    private readonly keys: KeyResolver,
    private readonly activity: CryptoActivity,
  ) {}

  encrypt(dto: EncryptRequestDto, caller: CryptoCaller): Promise<EncryptResponseDto | BatchResponseDto<EncryptResponseDto>> {
    if (dto.batch_input !== undefined) {
      return this.batch('encrypt', dto, caller, ['plaintext', 'associated_data'], EncryptBatchItemDto, (keys, item) =>
        keys.seal(ENCRYPT, plaintextOf(item.plaintext), decoded(item.associated_data), item.key_version ?? dto.key_version).then((s) => ({ ...s, algorithm: ALGORITHM })),
      );
    }
    return this.single('encrypt', dto, caller, async (keys) => {
      const plaintext = plaintextOf(dto.plaintext!);
      const sealed = await keys.seal(ENCRYPT, plaintext, decoded(dto.associated_data), dto.key_version);
      return { ...sealed, algorithm: ALGORITHM };
    });
  }

  decrypt(dto: DecryptRequestDto, caller: CryptoCaller): Promise<DecryptResponseDto | BatchResponseDto<DecryptResponseDto>> {
    const open = async (keys: CallKeys, ciphertext: string, aad: string | undefined): Promise<DecryptResponseDto> => {
      const opened = await keys.open(DECRYPT, ciphertext, decoded(aad));
      return { plaintext: opened.plaintext.toString('base64'), key_id: opened.keyId, key_version: opened.version };
    };
    if (dto.batch_input !== undefined) {
      return this.batch('decrypt', dto, caller, ['ciphertext', 'associated_data'], DecryptBatchItemDto, (keys, item) =>
        open(keys, item.ciphertext, item.associated_data),
      );
    }
    return this.single('decrypt', dto, caller, (keys) => open(keys, dto.ciphertext!, dto.associated_data));
  }

  /**
   * Decrypts with the version the ciphertext names and encrypts the plaintext again under the
   * latest version (or key_version) of the same key, with the same associated data. The
   * plaintext never leaves the service.
   */
  rewrap(dto: RewrapRequestDto, caller: CryptoCaller): Promise<RewrapResponseDto | BatchResponseDto<RewrapResponseDto>> {
    const rewrapOne = async (keys: CallKeys, ciphertext: string, aadField: string | undefined, version: number | undefined): Promise<RewrapResponseDto> => {
      const aad = decoded(aadField);
      const opened = await keys.open(REWRAP, ciphertext, aad);
      try {
        return await keys.seal(REWRAP, opened.plaintext, aad, version);
      } finally {
        opened.plaintext.fill(0);
      }
    };
    if (dto.batch_input !== undefined) {
      return this.batch('rewrap', dto, caller, ['ciphertext', 'associated_data'], RewrapBatchItemDto, (keys, item) =>
        rewrapOne(keys, item.ciphertext, item.associated_data, item.key_version ?? dto.key_version),
      );
    }
    return this.single('rewrap', dto, caller, (keys) => rewrapOne(keys, dto.ciphertext!, dto.associated_data, dto.key_version));
  }

  /**
   * A fresh random data key encrypted with the named key, as /api/encrypt would (so
   * /api/decrypt opens it); `withPlaintext` also returns the key itself, for encrypting now.
   */
  dataKey(dto: DataKeyRequestDto, caller: CryptoCaller, withPlaintext: boolean): Promise<DataKeyResponseDto> {
    const operation = withPlaintext ? 'datakey_plaintext' : 'datakey_wrapped';
    return this.single(operation, dto, caller, async (keys, trace) => {
      const bits = dto.bits ?? 256;
      const dataKey = randomBytes(bits / 8);
      try {
        const sealed = await keys.seal(ENCRYPT, dataKey, decoded(dto.associated_data));
        trace.details = { bits };
        return withPlaintext ? { ...sealed, plaintext: dataKey.toString('base64') } : sealed;
      } finally {
        dataKey.fill(0);
      }
    });
  }

  /**
   * Opens one versioned ciphertext; DECRYPTION_FAILED for anything that does not open (wrong key,
   * wrong AAD, tampered, retired or trimmed version), without saying which.
   */
  async open(caller: CryptoCaller, request: KeyRequest, ciphertext: string, aad: Buffer | undefined, trace: OperationTrace, spec: OpenSpec): Promise<Buffer> {
    const keys = new CallKeys(this.config, this.keys, this.activity, caller, request, trace);
    return (await keys.open(spec, ciphertext, aad)).plaintext;
  }

  private single<T>(
    operation: string,
    dto: { key_id?: string; tenant?: string },
    caller: CryptoCaller,
    body: (keys: CallKeys, trace: OperationTrace) => Promise<T>,
  ): Promise<T> {
    return this.activity.run(operation, caller, { keyId: dto.key_id, tenant: dto.tenant, algorithm: ALGORITHM }, (trace) =>
      body(new CallKeys(this.config, this.keys, this.activity, caller, keyRequestOf(dto), trace), trace),
    );
  }

  /**
   * A `batch_input` call: the list is bounded here (422 for the whole request past
   * MFN_CRYPTO_MAX_BATCH_ITEMS), each item is validated and run by runBatch, and the one audit
   * event carries the batch size and how many items failed.
   */
  private async batch<D extends { key_id?: string; tenant?: string; batch_input?: unknown[] }, I extends object, T>(
    operation: string,
    dto: D,
    caller: CryptoCaller,
    singleFields: readonly (keyof D & string)[],
    itemClass: new () => I,
    handle: (keys: CallKeys, item: I) => Promise<T>,
  ): Promise<BatchResponseDto<T>> {
    // eslint-disable-next-line security/detect-object-injection -- `f` is one of the DTO field names each caller lists in code (singleFields)
    const items = batchItemsOf(dto.batch_input, Object.fromEntries(singleFields.map((f) => [f, dto[f]])), this.config.crypto.maxBatchItems)!;
    return this.activity.run(operation, caller, { keyId: dto.key_id, tenant: dto.tenant, algorithm: ALGORITHM }, async (trace) => {
      trace.batchSize = items.length;
      const keys = new CallKeys(this.config, this.keys, this.activity, caller, keyRequestOf(dto), trace);
      if (operation !== 'decrypt') keys.reserveNonces(items.length);
      const { results, failed } = await runBatch(itemClass, items, (item) => handle(keys, item));
      keys.finishBatch(failed);
      return { batch_results: results };
    });
  }
}
