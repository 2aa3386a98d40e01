import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { RequireRoles } from '../auth/require-roles.decorator';
import { Role } from '../auth/roles';
import { ApiErrorResponses, ErrorEnvelopeDto } from '../common';
import { Caller, CryptoCaller } from './caller';
import { CryptoEnabledGuard } from './crypto-enabled.guard';
import { CryptoService } from './crypto.service';
import {
  DecryptRequestDto,
  DecryptResponseDto,
  EncryptRequestDto,
  EncryptResponseDto,
  KeypairRequestDto,
  KeypairResponseDto,
} from './dto/crypto.dto';
import { KeyAdminService } from './key-admin.service';

/** AES-256-GCM encrypt/decrypt with the tenant's keys, and key pairs. */
@ApiTags('crypto')
@ApiServiceUnavailableResponse({ type: ErrorEnvelopeDto, description: 'Crypto disabled or key store unavailable (SERVICE_UNAVAILABLE)' })
@UseGuards(CryptoEnabledGuard)
@Controller('api')
export class CryptoController {
  constructor(
    private readonly crypto: CryptoService,
    private readonly keys: KeyAdminService,
  ) {}

  @Post('encrypt')
  @HttpCode(200)
  @RequireRoles(Role.CRYPTO)
  @ApiOperation({ summary: "AES-256-GCM encrypt with a named key or the tenant's default key" })
  @ApiOkResponse({ type: EncryptResponseDto })
  @ApiErrorResponses(404)
  encrypt(@Body() body: EncryptRequestDto, @Caller() caller: CryptoCaller): Promise<EncryptResponseDto> {
    return this.crypto.encrypt(body, caller);
  }

  @Post('decrypt')
  @HttpCode(200)
  @RequireRoles(Role.CRYPTO)
  @ApiOperation({ summary: 'AES-256-GCM decrypt; 400 DECRYPTION_FAILED for wrong key, wrong AAD, tampered or retired data' })
  @ApiOkResponse({ type: DecryptResponseDto })
  @ApiErrorResponses(404)
  decrypt(@Body() body: DecryptRequestDto, @Caller() caller: CryptoCaller): Promise<DecryptResponseDto> {
    return this.crypto.decrypt(body, caller);
  }

  @Post('keypair')
  @HttpCode(200)
  @RequireRoles(Role.KEYS)
  @ApiOperation({ summary: 'New Ed25519 (signing) or ECDH (X25519) key pair; returns the public key only' })
  @ApiOkResponse({ type: KeypairResponseDto })
  @ApiErrorResponses(409)
  keypair(@Body() body: KeypairRequestDto, @Caller() caller: CryptoCaller): Promise<KeypairResponseDto> {
    return this.keys.keypair(body, caller);
  }
}
