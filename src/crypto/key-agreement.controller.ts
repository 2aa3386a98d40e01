import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { RequireRoles } from '../auth/require-roles.decorator';
import { Role } from '../auth/roles';
import { ApiErrorResponses, ErrorEnvelopeDto } from '../common';
import { Caller, CryptoCaller } from './caller';
import { CryptoEnabledGuard } from './crypto-enabled.guard';
import { DeriveRequestDto, DeriveResponseDto } from './dto/derive.dto';
import { KeyAgreementService } from './key-agreement.service';

/** X25519 + HKDF-SHA256 key derivation with the tenant's X25519 keys. */
@ApiTags('crypto')
@ApiServiceUnavailableResponse({ type: ErrorEnvelopeDto, description: 'Crypto disabled or key store unavailable (SERVICE_UNAVAILABLE)' })
@UseGuards(CryptoEnabledGuard)
@RequireRoles(Role.CRYPTO)
@Controller('api')
export class KeyAgreementController {
  constructor(private readonly agreement: KeyAgreementService) {}

  @Post('derive')
  @HttpCode(200)
  @ApiOperation({ summary: 'X25519 agreement with a peer public key, then HKDF-SHA256; the key comes back wrapped unless output is plaintext' })
  @ApiOkResponse({ type: DeriveResponseDto })
  @ApiErrorResponses(404)
  derive(@Body() body: DeriveRequestDto, @Caller() caller: CryptoCaller): Promise<DeriveResponseDto> {
    return this.agreement.derive(body, caller);
  }
}
