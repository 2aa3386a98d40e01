import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { RequireRoles } from '../auth/require-roles.decorator';
import { Role } from '../auth/roles';
import { ApiErrorResponses } from '../common';
import { CryptoApiErrors, CryptoUnavailableResponse } from './crypto-api-errors';
import { BodyLimits } from '../common/body/body-limits.decorator';
import { Caller, CryptoCaller } from './caller';
import { CryptoEnabledGuard } from './crypto-enabled.guard';
import { CryptoService } from './crypto.service';
import { BATCH_BODY_LIMITS, BatchResponseDto } from './dto/batch.dto';
import {
  DecryptRequestDto,
  DecryptResponseDto,
  EncryptRequestDto,
  EncryptResponseDto,
  KeypairRequestDto,
  KeypairResponseDto,
} from './dto/crypto.dto';
import { DataKeyRequestDto, DataKeyResponseDto } from './dto/datakey.dto';
import { RewrapRequestDto, RewrapResponseDto } from './dto/rewrap.dto';
import { KeyAdminService } from './key-admin.service';

/** The single response, or `{batch_results}` for a `batch_input` request. */
const singleOrBatch = (single: new () => unknown) => ({
  schema: { oneOf: [{ $ref: getSchemaPath(single) }, { $ref: getSchemaPath(BatchResponseDto) }] },
});

/** AES-256-GCM encrypt/decrypt/rewrap (single or batch) and data keys with the tenant's keys, and key pairs. */
@ApiTags('crypto')
@ApiExtraModels(BatchResponseDto, EncryptResponseDto, DecryptResponseDto, RewrapResponseDto)
@CryptoUnavailableResponse()
@UseGuards(CryptoEnabledGuard)
@Controller('api')
export class CryptoController {
  constructor(
    private readonly crypto: CryptoService,
    private readonly keys: KeyAdminService,
  ) {}

  @Post('encrypt')
  @HttpCode(200)
  @BodyLimits(BATCH_BODY_LIMITS)
  @RequireRoles(Role.CRYPTO)
  @ApiOperation({ summary: "AES-256-GCM encrypt with a named key or the tenant's default key; batch_input for many values" })
  @ApiOkResponse(singleOrBatch(EncryptResponseDto))
  @ApiErrorResponses(CryptoApiErrors.keyNotFound())
  encrypt(@Body() body: EncryptRequestDto, @Caller() caller: CryptoCaller): Promise<EncryptResponseDto | BatchResponseDto<EncryptResponseDto>> {
    return this.crypto.encrypt(body, caller);
  }

  @Post('decrypt')
  @HttpCode(200)
  @BodyLimits(BATCH_BODY_LIMITS)
  @RequireRoles(Role.CRYPTO)
  @ApiOperation({ summary: 'AES-256-GCM decrypt; 400 DECRYPTION_FAILED for wrong key, wrong AAD, tampered or retired data; batch_input for many values' })
  @ApiOkResponse(singleOrBatch(DecryptResponseDto))
  @ApiErrorResponses(CryptoApiErrors.decryptionFailed(), CryptoApiErrors.unversionedCiphertext(), CryptoApiErrors.keyNotFound())
  decrypt(@Body() body: DecryptRequestDto, @Caller() caller: CryptoCaller): Promise<DecryptResponseDto | BatchResponseDto<DecryptResponseDto>> {
    return this.crypto.decrypt(body, caller);
  }

  @Post('rewrap')
  @HttpCode(200)
  @BodyLimits(BATCH_BODY_LIMITS)
  @RequireRoles(Role.CRYPTO)
  @ApiOperation({ summary: 'Re-encrypt a ciphertext under the latest (or key_version) version of its key, without returning the plaintext' })
  @ApiOkResponse(singleOrBatch(RewrapResponseDto))
  @ApiErrorResponses(CryptoApiErrors.decryptionFailed(), CryptoApiErrors.unversionedCiphertext(), CryptoApiErrors.keyNotFound(), CryptoApiErrors.versionQuota())
  rewrap(@Body() body: RewrapRequestDto, @Caller() caller: CryptoCaller): Promise<RewrapResponseDto | BatchResponseDto<RewrapResponseDto>> {
    return this.crypto.rewrap(body, caller);
  }

  @Post('datakey/plaintext')
  @HttpCode(200)
  @RequireRoles(Role.CRYPTO)
  @ApiOperation({ summary: 'A fresh random data key, returned itself and encrypted with the named key (envelope encryption)' })
  @ApiOkResponse({ type: DataKeyResponseDto })
  @ApiErrorResponses(CryptoApiErrors.keyNotFound())
  dataKeyPlaintext(@Body() body: DataKeyRequestDto, @Caller() caller: CryptoCaller): Promise<DataKeyResponseDto> {
    return this.crypto.dataKey(body, caller, true);
  }

  @Post('datakey/wrapped')
  @HttpCode(200)
  @RequireRoles(Role.CRYPTO)
  @ApiOperation({ summary: 'A fresh random data key, returned only encrypted with the named key (decrypt it later with /api/decrypt)' })
  @ApiOkResponse({ type: DataKeyResponseDto })
  @ApiErrorResponses(CryptoApiErrors.keyNotFound())
  dataKeyWrapped(@Body() body: DataKeyRequestDto, @Caller() caller: CryptoCaller): Promise<DataKeyResponseDto> {
    return this.crypto.dataKey(body, caller, false);
  }

  @Post('keypair')
  @HttpCode(200)
  @RequireRoles(Role.KEYS)
  @ApiOperation({ summary: 'New Ed25519 (signing) or ECDH (X25519) key pair; returns the public key only' })
  @ApiOkResponse({ type: KeypairResponseDto })
  @ApiErrorResponses(CryptoApiErrors.keyExists(), CryptoApiErrors.keyQuota())
  keypair(@Body() body: KeypairRequestDto, @Caller() caller: CryptoCaller): Promise<KeypairResponseDto> {
    return this.keys.keypair(body, caller);
  }
}
