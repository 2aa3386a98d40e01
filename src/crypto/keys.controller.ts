import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, UseGuards } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { RequireRoles } from '../auth/require-roles.decorator';
import { Role } from '../auth/roles';
import { ApiErrorResponses } from '../common';
import { CryptoApiErrors, CryptoUnavailableResponse } from './crypto-api-errors';
import { BodyLimits } from '../common/body/body-limits.decorator';
import { Caller, CryptoCaller } from './caller';
import { CryptoEnabledGuard } from './crypto-enabled.guard';
import {
  CreateKeyRequestDto,
  GrantRequestDto,
  KeyConfigRequestDto,
  KeyDescriptionDto,
  KeyListDto,
  ListKeysQueryDto,
  TenantQueryDto,
  TrimRequestDto,
} from './dto/key-admin.dto';
import { KeyIdPipe, TenantPipe } from './dto/validators';
import { KeyAdminService } from './key-admin.service';
import { KeyDescription } from './keys/key-description';
import { KeyRef } from './keys/key-types';

const KEY_ID_PARAM = { name: 'key_id', description: '1-64 of A-Z a-z 0-9 . _ : -' } as const;

function refOf(caller: CryptoCaller, keyId: string, query: TenantQueryDto): KeyRef {
  return { tenant: query.tenant ?? caller.actor.tenant, id: keyId };
}

/**
 * Key lifecycle within the caller's tenant (keys-admin: any tenant, with `?tenant=`): create,
 * list, inspect (metadata, policy and public keys only), rotate, configure, trim, delete, and
 * the per-key grants to other tenants.
 */
@ApiTags('crypto keys')
@CryptoUnavailableResponse()
@UseGuards(CryptoEnabledGuard)
@RequireRoles(Role.KEYS)
// Key administration bodies hold a key type, an id, version numbers and a list of operations.
@BodyLimits({ maxStringBytes: 1024 })
@Controller('api/keys')
export class KeysController {
  constructor(private readonly keys: KeyAdminService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a named AES-256-GCM, Ed25519 or X25519 key (counts against the tenant quota)' })
  @ApiCreatedResponse({ type: KeyDescriptionDto })
  @ApiErrorResponses(...CryptoApiErrors.keysForbidden(), CryptoApiErrors.keyExists(), CryptoApiErrors.keyQuota())
  createKey(@Body() body: CreateKeyRequestDto, @Query() query: TenantQueryDto, @Caller() caller: CryptoCaller): Promise<KeyDescription> {
    return this.keys.create(body, query.tenant, caller);
  }

  @Get()
  @ApiOperation({ summary: "List the tenant's key ids, a page at a time" })
  @ApiOkResponse({ type: KeyListDto })
  @ApiErrorResponses(...CryptoApiErrors.keysForbidden())
  listKeys(@Query() query: ListKeysQueryDto, @Caller() caller: CryptoCaller): Promise<KeyListDto> {
    return this.keys.list(query, caller);
  }

  @Get(':key_id')
  @ApiOperation({ summary: 'Key metadata: versions, version rules, schedule, grants and public keys' })
  @ApiParam(KEY_ID_PARAM)
  @ApiOkResponse({ type: KeyDescriptionDto })
  @ApiErrorResponses(CryptoApiErrors.keyNotFound())
  describeKey(@Param('key_id', KeyIdPipe) keyId: string, @Query() query: TenantQueryDto, @Caller() caller: CryptoCaller): Promise<KeyDescription> {
    return this.keys.describe(refOf(caller, keyId, query), caller);
  }

  @Post(':key_id/rotate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add a key version with fresh material; it encrypts and signs from now on' })
  @ApiParam(KEY_ID_PARAM)
  @ApiOkResponse({ type: KeyDescriptionDto })
  @ApiErrorResponses(CryptoApiErrors.keyNotFound(), CryptoApiErrors.versionCap(), CryptoApiErrors.versionQuota())
  rotateKey(@Param('key_id', KeyIdPipe) keyId: string, @Query() query: TenantQueryDto, @Caller() caller: CryptoCaller): Promise<KeyDescription> {
    return this.keys.rotate(refOf(caller, keyId, query), caller);
  }

  @Post(':key_id/config')
  @HttpCode(200)
  @ApiOperation({ summary: 'Set min_decryption_version, min_encryption_version, deletion_allowed, auto_rotate_period' })
  @ApiParam(KEY_ID_PARAM)
  @ApiOkResponse({ type: KeyDescriptionDto })
  @ApiErrorResponses(CryptoApiErrors.keyNotFound())
  configureKey(
    @Param('key_id', KeyIdPipe) keyId: string,
    @Body() body: KeyConfigRequestDto,
    @Query() query: TenantQueryDto,
    @Caller() caller: CryptoCaller,
  ): Promise<KeyDescription> {
    return this.keys.configure(refOf(caller, keyId, query), body, caller);
  }

  @Post(':key_id/trim')
  @HttpCode(200)
  @ApiOperation({ summary: 'Destroy the versions below min_available_version (default: min_decryption_version)' })
  @ApiParam(KEY_ID_PARAM)
  @ApiOkResponse({ type: KeyDescriptionDto })
  @ApiErrorResponses(CryptoApiErrors.keyNotFound())
  trimKey(
    @Param('key_id', KeyIdPipe) keyId: string,
    @Body() body: TrimRequestDto,
    @Query() query: TenantQueryDto,
    @Caller() caller: CryptoCaller,
  ): Promise<KeyDescription> {
    return this.keys.trim(refOf(caller, keyId, query), body, caller);
  }

  @Delete(':key_id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Destroy the key and every version (only with deletion_allowed): crypto-shredding' })
  @ApiParam(KEY_ID_PARAM)
  @ApiNoContentResponse({ description: 'Deleted; data under the key can never be decrypted again' })
  @ApiErrorResponses(CryptoApiErrors.keyNotFound(), CryptoApiErrors.deletionNotAllowed())
  deleteKey(@Param('key_id', KeyIdPipe) keyId: string, @Query() query: TenantQueryDto, @Caller() caller: CryptoCaller): Promise<void> {
    return this.keys.remove(refOf(caller, keyId, query), caller);
  }

  @Put(':key_id/grants/:grantee')
  @HttpCode(200)
  @ApiOperation({ summary: 'Grant another tenant operations on this key (replaces its previous grant)' })
  @ApiParam(KEY_ID_PARAM)
  @ApiParam({ name: 'grantee', description: 'Tenant id (1-64 of A-Z a-z 0-9 . _ @ -)' })
  @ApiOkResponse({ type: KeyDescriptionDto })
  @ApiErrorResponses(CryptoApiErrors.keyNotFound())
  grantKeyAccess(
    @Param('key_id', KeyIdPipe) keyId: string,
    @Param('grantee', TenantPipe) grantee: string,
    @Body() body: GrantRequestDto,
    @Query() query: TenantQueryDto,
    @Caller() caller: CryptoCaller,
  ): Promise<KeyDescription> {
    return this.keys.setGrant(refOf(caller, keyId, query), grantee, body, caller);
  }

  @Delete(':key_id/grants/:grantee')
  @HttpCode(200)
  @ApiOperation({ summary: "Revoke another tenant's grant on this key" })
  @ApiParam(KEY_ID_PARAM)
  @ApiParam({ name: 'grantee', description: 'Tenant id' })
  @ApiOkResponse({ type: KeyDescriptionDto })
  @ApiErrorResponses(CryptoApiErrors.keyNotFound())
  revokeKeyAccess(
    @Param('key_id', KeyIdPipe) keyId: string,
    @Param('grantee', TenantPipe) grantee: string,
    @Query() query: TenantQueryDto,
    @Caller() caller: CryptoCaller,
  ): Promise<KeyDescription> {
    return this.keys.revokeGrant(refOf(caller, keyId, query), grantee, caller);
  }
}
