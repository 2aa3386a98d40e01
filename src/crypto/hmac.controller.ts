import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRoles } from '../auth/require-roles.decorator';
import { Role } from '../auth/roles';
import { ApiErrorResponses } from '../common';
import { CryptoApiErrors, CryptoUnavailableResponse } from './crypto-api-errors';
import { Caller, CryptoCaller } from './caller';
import { CryptoEnabledGuard } from './crypto-enabled.guard';
import { BodyLimits } from '../common/body/body-limits.decorator';
import { BATCH_BODY_LIMITS, BatchResponseDto } from './dto/batch.dto';
import { HmacRequestDto, HmacResponseDto } from './dto/hmac.dto';
import { HmacService } from './hmac.service';
import { singleOrBatch } from './signing.controller';

/** HMAC-SHA-2 with the tenant's keys; tags are checked by POST /api/verify with `hmac`. */
@ApiTags('crypto')
@CryptoUnavailableResponse()
@ApiExtraModels(BatchResponseDto, HmacResponseDto)
@UseGuards(CryptoEnabledGuard)
@RequireRoles(Role.CRYPTO)
@Controller('api')
export class HmacController {
  constructor(private readonly hmacs: HmacService) {}

  @Post('hmac')
  @HttpCode(200)
  @ApiOperation({ summary: "HMAC (sha2-256/384/512) with a key version's HMAC secret; any key type, default the tenant's encryption key" })
  @BodyLimits(BATCH_BODY_LIMITS)
  @ApiOkResponse(singleOrBatch(HmacResponseDto))
  @ApiErrorResponses(CryptoApiErrors.keyNotFound())
  hmac(@Body() body: HmacRequestDto, @Caller() caller: CryptoCaller): Promise<HmacResponseDto | BatchResponseDto<HmacResponseDto>> {
    return this.hmacs.hmac(body, caller);
  }
}
