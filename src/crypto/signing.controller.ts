import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { RequireRoles } from '../auth/require-roles.decorator';
import { Role } from '../auth/roles';
import { ApiErrorResponses } from '../common';
import { CryptoApiErrors, CryptoUnavailableResponse } from './crypto-api-errors';
import { Caller, CryptoCaller } from './caller';
import { CryptoEnabledGuard } from './crypto-enabled.guard';
import { BodyLimits } from '../common/body/body-limits.decorator';
import { BATCH_BODY_LIMITS, BatchResponseDto } from './dto/batch.dto';
import { SignRequestDto, SignResponseDto, VerifyRequestDto, VerifyResponseDto } from './dto/crypto.dto';
import { SigningService } from './signing.service';

/** The single response, or `{batch_results}` for a `batch_input` request. */
export const singleOrBatch = (single: new () => unknown) => ({
  schema: { oneOf: [{ $ref: getSchemaPath(single) }, { $ref: getSchemaPath(BatchResponseDto) }] },
});

/** Ed25519 sign/verify with the tenant's keys; verify also checks HMACs from /api/hmac. */
@ApiTags('crypto')
@CryptoUnavailableResponse()
@ApiExtraModels(BatchResponseDto, SignResponseDto, VerifyResponseDto)
@UseGuards(CryptoEnabledGuard)
@RequireRoles(Role.CRYPTO)
@Controller('api')
export class SigningController {
  constructor(private readonly signing: SigningService) {}

  @Post('sign')
  @HttpCode(200)
  @ApiOperation({ summary: "Ed25519 signature with a named key or the tenant's default signing key" })
  @BodyLimits(BATCH_BODY_LIMITS)
  @ApiOkResponse(singleOrBatch(SignResponseDto))
  @ApiErrorResponses(CryptoApiErrors.keyNotFound())
  sign(@Body() body: SignRequestDto, @Caller() caller: CryptoCaller): Promise<SignResponseDto | BatchResponseDto<SignResponseDto>> {
    return this.signing.sign(body, caller);
  }

  @Post('verify')
  @HttpCode(200)
  @ApiOperation({ summary: "Ed25519 signature or HMAC verification against a public key, a key id or the tenant's default key" })
  @BodyLimits(BATCH_BODY_LIMITS)
  @ApiOkResponse(singleOrBatch(VerifyResponseDto))
  @ApiErrorResponses(CryptoApiErrors.noVerificationKey(), CryptoApiErrors.keyNotFound())
  verify(@Body() body: VerifyRequestDto, @Caller() caller: CryptoCaller): Promise<VerifyResponseDto | BatchResponseDto<VerifyResponseDto>> {
    return this.signing.verify(body, caller);
  }
}
