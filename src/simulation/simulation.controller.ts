import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../common';
import { NernstRequestDto, NernstResponseDto } from './dto/nernst.dto';
import { SimulationService } from './simulation.service';

@ApiTags('compute')
@ApiSecurity('X-API-Key')
@Controller()
export class SimulationController {
  constructor(private readonly simulation: SimulationService) {}

  @Post('nernst')
  @HttpCode(200)
  @ApiOperation({ summary: 'Nernst equilibrium potential of an ion' })
  @ApiOkResponse({ type: NernstResponseDto })
  @ApiErrorResponses()
  nernst(@Body() body: NernstRequestDto): NernstResponseDto {
    return this.simulation.nernst(body);
  }
}
