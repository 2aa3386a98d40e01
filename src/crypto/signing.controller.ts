import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { RequireRoles } from '../auth/require-roles.decorator';
import { Role } from '../auth/roles';
import { ApiErrorResponses, ErrorEnvelopeDto } from '../common';
import { Caller, CryptoCaller } from './caller';
import { CryptoEnabledGuard } from './crypto-enabled.guard';
import { SignRequestDto, SignResponseDto, VerifyRequestDto, VerifyResponseDto } from './dto/crypto.dto';
import { SigningService } from './signing.service';

/** Ed25519 sign/verify with the tenant's keys. */
@ApiTags('crypto')
@ApiServiceUnavailableResponse({ type: ErrorEnvelopeDto, description: 'Crypto disabled or key store unavailable (SERVICE_UNAVAILABLE)' })
@UseGuards(CryptoEnabledGuard)
@RequireRoles(Role.CRYPTO)
@Controller('api')
export class SigningController {
  constructor(private readonly signing: SigningService) {}

  @Post('sign')
  @HttpCode(200)
  @ApiOperation({ summary: "Ed25519 signature with a named key or the tenant's default signing key" })
  @ApiOkResponse({ type: SignResponseDto })
  @ApiErrorResponses(404)
  sign(@Body() body: SignRequestDto, @Caller() caller: CryptoCaller): Promise<SignResponseDto> {
    return this.signing.sign(body, caller);
  }

  @Post('verify')
  @HttpCode(200)
  @ApiOperation({ summary: "Ed25519 verification against a public key, a key id or the tenant's default signing key" })
  @ApiOkResponse({ type: VerifyResponseDto })
  @ApiErrorResponses(404)
  verify(@Body() body: VerifyRequestDto, @Caller() caller: CryptoCaller): Promise<VerifyResponseDto> {
    return this.signing.verify(body, caller);
  }
}
