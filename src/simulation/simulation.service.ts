import { Injectable } from '@nestjs/common';
import type { ComputeRequestContext } from './client-abort.decorator';
import { ComputeAdmissionService } from './compute-admission.service';
import { ComputeErrors } from './compute-errors';
import { nernstPotential } from './core';
import { AggregateRequest, AggregateResponseDto, DEFAULT_AGGREGATION_SEED } from './dto/aggregate.dto';
import { NernstRequestDto, NernstResponseDto } from './dto/nernst.dto';
import { SimulateRequestDto, SimulateResponseDto } from './dto/simulate.dto';
import { ValidateRequestDto, ValidateResponseDto } from './dto/validate.dto';
import { toGradientMatrix } from './gradient-input';

/** A 500 for results that are not finite numbers (they cannot be written as JSON faithfully). */
function ensureFinite<T extends object>(result: T): T {
  for (const value of Object.values(result)) {
    const values: unknown[] = Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v === 'number' && !Number.isFinite(v))) {
      throw ComputeErrors.nonFinite();
    }
  }
  return result;
}

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
    const { output } = await this.admission.run(
      {
        kind: 'simulate',
        params: {
          seed: dto.seed,
          gridSize: dto.grid_size,
          steps: dto.steps,
          alpha: dto.alpha,
          spikeProbability: dto.spike_probability,
          turingEnabled: dto.turing_enabled,
          thresholdMv: dto.threshold_mV,
        },
      },
      request,
    );
    return ensureFinite({
      growth_events: output.growthEvents,
      pot_min_mV: output.potMinMv,
      pot_max_mV: output.potMaxMv,
      pot_mean_mV: output.potMeanMv,
      pot_std_mV: output.potStdMv,
      fractal_dimension: output.fractalDimension,
      active_fraction: output.activeFraction,
    });
  }

  async validate(dto: ValidateRequestDto, request: ComputeRequestContext): Promise<ValidateResponseDto> {
    const { output } = await this.admission.run(
      {
        kind: 'validate',
        params: {
          seed: dto.seed,
          epochs: dto.epochs,
          batchSize: dto.batch_size,
          gridSize: dto.grid_size,
          steps: dto.steps,
          turingEnabled: dto.turing_enabled,
          quantumJitter: dto.quantum_jitter,
        },
      },
      request,
    );
    return ensureFinite({
      loss_start: output.lossStart,
      loss_final: output.lossFinal,
      loss_drop: output.lossDrop,
      pot_min_mV: output.potMinMv,
      pot_max_mV: output.potMaxMv,
      example_fractal_dim: output.exampleFractalDim,
      lyapunov_exponent: output.lyapunovExponent,
      growth_events: output.growthEvents,
      nernst_symbolic_mV: output.nernstSymbolicMv,
      nernst_numeric_mV: output.nernstNumericMv,
    });
  }

  async aggregate(dto: AggregateRequest, request: ComputeRequestContext): Promise<AggregateResponseDto> {
    const matrix = toGradientMatrix(dto.gradients);
    const { output } = await this.admission.run(
      {
        kind: 'aggregate',
        values: matrix.values,
        clients: matrix.rows,
        dimension: matrix.cols,
        numClusters: dto.num_clusters,
        byzantineFraction: dto.byzantine_fraction,
        seed: dto.seed ?? DEFAULT_AGGREGATION_SEED,
      },
      request,
      [matrix.values.buffer as ArrayBuffer],
    );
    return ensureFinite({ aggregated_gradient: Array.from(output), num_input_gradients: matrix.rows });
  }
}
