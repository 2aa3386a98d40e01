import { Injectable } from '@nestjs/common';
import type { ComputeRequestContext } from './client-abort.decorator';
import { ComputeAdmissionService } from './compute-admission.service';
import { ComputeErrors } from './compute-errors';
import {
  aggregateResponseOf,
  aggregateTaskOf,
  simulateResponseOf,
  simulateTaskOf,
  validateResponseOf,
  validateTaskOf,
} from './compute-mapping';
import { nernstPotential } from './core';
import { AggregateRequest, AggregateResponseDto } from './dto/aggregate.dto';
import { NernstRequestDto, NernstResponseDto } from './dto/nernst.dto';
import { SimulateRequestDto, SimulateResponseDto } from './dto/simulate.dto';
import { ValidateRequestDto, ValidateResponseDto } from './dto/validate.dto';

/** The compute endpoints: request mapping and result checks around the numerical core. */
@Injectable()
export class SimulationService {
  constructor(private readonly admission: ComputeAdmissionService) {}

  /**
   * Nernst is a closed form costing well under a microsecond, so it runs inline; the iterative
   * workloads go to the worker pool through fair admission (per-caller share and work budget).
   */
  nernst(dto: NernstRequestDto): NernstResponseDto {
    const volts = nernstPotential(dto.z_valence, dto.concentration_out_molar, dto.concentration_in_molar, dto.temperature_k);
    const mV = volts * 1000.0;
    if (!Number.isFinite(mV)) {
      throw ComputeErrors.nonFinitePotential();
    }
    return { potential_mV: mV };
  }

  async simulate(dto: SimulateRequestDto, request: ComputeRequestContext): Promise<SimulateResponseDto> {
    const { output } = await this.admission.run(simulateTaskOf(dto), request);
    return simulateResponseOf(output);
  }

  async validate(dto: ValidateRequestDto, request: ComputeRequestContext): Promise<ValidateResponseDto> {
    const { output } = await this.admission.run(validateTaskOf(dto), request);
    return validateResponseOf(output);
  }

  async aggregate(dto: AggregateRequest, request: ComputeRequestContext): Promise<AggregateResponseDto> {
    const { task, rows } = aggregateTaskOf(dto);
    const { output } = await this.admission.run(task, request, [task.values.buffer as ArrayBuffer]);
    return aggregateResponseOf(output, rows);
  }
}
