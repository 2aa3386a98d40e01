import { HttpStatus, Injectable } from '@nestjs/common';
import { AppException, ErrorCode } from '../common';
import { nernstPotential } from './core';
import { NernstRequestDto, NernstResponseDto } from './dto/nernst.dto';

@Injectable()
export class SimulationService {
  /**
   * Nernst is a closed form costing well under a microsecond, so it runs inline; the iterative
   * workloads go to the worker pool.
   */
  nernst(dto: NernstRequestDto): NernstResponseDto {
    const volts = nernstPotential(dto.z_valence, dto.concentration_out_molar, dto.concentration_in_molar, dto.temperature_k);
    const mV = volts * 1000.0;
    if (!Number.isFinite(mV)) {
      throw new AppException(
        ErrorCode.NUMERICAL_INSTABILITY,
        'The potential is not a finite number for these inputs',
        HttpStatus.INTERNAL_SERVER_ERROR,
      );
    }
    return { potential_mV: mV };
  }
}
