import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRoles } from '../auth/require-roles.decorator';
import { Role } from '../auth/roles';
import { ApiErrorResponses } from '../common';
import { CryptoApiErrors, CryptoUnavailableResponse } from './crypto-api-errors';
import { Caller, CryptoCaller } from './caller';
import { CryptoEnabledGuard } from './crypto-enabled.guard';
import { DeriveRequestDto, DeriveResponseDto } from './dto/derive.dto';
import { KeyAgreementService } from './key-agreement.service';

/** X25519 + HKDF-SHA256 key derivation with the tenant's X25519 keys. */
@ApiTags('crypto')
@CryptoUnavailableResponse()
@UseGuards(CryptoEnabledGuard)
@RequireRoles(Role.CRYPTO)
@Controller('api')
export class KeyAgreementController {
  constructor(private readonly agreement: KeyAgreementService) {}

  @Post('derive')
  @HttpCode(200)
  @ApiOperation({ summary: 'X25519 agreement with a peer public key, then HKDF-SHA256; the key comes back wrapped unless output is plaintext' })
  @ApiOkResponse({ type: DeriveResponseDto })
  @ApiErrorResponses(CryptoApiErrors.invalidPeerKey(), CryptoApiErrors.keyNotFound())
  derive(@Body() body: DeriveRequestDto, @Caller() caller: CryptoCaller): Promise<DeriveResponseDto> {
    return this.agreement.derive(body, caller);
  }
}
