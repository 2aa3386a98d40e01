import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { RequireRoles } from '../auth/require-roles.decorator';
import { Role } from '../auth/roles';
import { ApiErrorResponses, ErrorEnvelopeDto } from '../common';
import { BodyLimits } from '../common/body/body-limits.decorator';
import { Caller, CryptoCaller } from './caller';
import { CryptoEnabledGuard } from './crypto-enabled.guard';
import { CryptoService } from './crypto.service';
import { CreateKeyRequestDto, KeyConfigRequestDto, KeyDescriptionDto } from './dto/key-admin.dto';
import { KeyIdPipe } from './dto/validators';
import { KeyDescription } from './keys/key-manager.service';

/** Key lifecycle: create, inspect (metadata and public keys only), rotate, retire old versions. */
@ApiTags('crypto keys')
@ApiServiceUnavailableResponse({ type: ErrorEnvelopeDto, description: 'Crypto disabled or key store unavailable (SERVICE_UNAVAILABLE)' })
@UseGuards(CryptoEnabledGuard)
@RequireRoles(Role.KEYS)
// Key administration bodies hold a key type, an id and a version number.
@BodyLimits({ maxStringBytes: 1024 })
@Controller('api/keys')
export class KeysController {
  constructor(private readonly crypto: CryptoService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a named AES-256-GCM, Ed25519 or X25519 key (counts against the per-caller limit)' })
  @ApiCreatedResponse({ type: KeyDescriptionDto })
  @ApiErrorResponses(409)
  create(@Body() body: CreateKeyRequestDto, @Caller() caller: CryptoCaller): Promise<KeyDescription> {
    return this.crypto.createKey(body, caller);
  }

  @Get(':key_id')
  @ApiOperation({ summary: 'Key metadata: versions, min_decryption_version and public keys' })
  @ApiParam({ name: 'key_id', description: '1-64 of A-Z a-z 0-9 . _ : -' })
  @ApiOkResponse({ type: KeyDescriptionDto })
  @ApiErrorResponses(404)
  describe(@Param('key_id', KeyIdPipe) keyId: string): Promise<KeyDescription> {
    return this.crypto.describe(keyId);
  }

  @Post(':key_id/rotate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add a key version with fresh material; it encrypts and signs from now on' })
  @ApiParam({ name: 'key_id', description: '1-64 of A-Z a-z 0-9 . _ : -' })
  @ApiOkResponse({ type: KeyDescriptionDto })
  @ApiErrorResponses(404)
  rotate(@Param('key_id', KeyIdPipe) keyId: string, @Caller() caller: CryptoCaller): Promise<KeyDescription> {
    return this.crypto.rotate(keyId, caller);
  }

  @Post(':key_id/config')
  @HttpCode(200)
  @ApiOperation({ summary: 'Set min_decryption_version: older versions stop decrypting and verifying' })
  @ApiParam({ name: 'key_id', description: '1-64 of A-Z a-z 0-9 . _ : -' })
  @ApiOkResponse({ type: KeyDescriptionDto })
  @ApiErrorResponses(404)
  configure(
    @Param('key_id', KeyIdPipe) keyId: string,
    @Body() body: KeyConfigRequestDto,
    @Caller() caller: CryptoCaller,
  ): Promise<KeyDescription> {
    return this.crypto.configure(keyId, body.min_decryption_version, caller);
  }
}
