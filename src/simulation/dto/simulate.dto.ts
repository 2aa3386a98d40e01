import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsNumber, Max, Min } from 'class-validator';
import { FIELD_CLAMP_MAX_V, FIELD_CLAMP_MIN_V } from '../core';

export const FINITE = { allowNaN: false, allowInfinity: false } as const;
/** Seeds are unsigned 32-bit integers. */
export const MAX_SEED = 4294967295;

export class SimulateRequestDto {
  @ApiPropertyOptional({ description: 'Random seed (same seed, same response)', type: 'integer' })
  @IsInt()
  @Min(0)
  @Max(MAX_SEED)
  seed: number = 42;

  @ApiPropertyOptional({ description: 'Grid edge N (N x N cells)', type: 'integer' })
  @IsInt()
  @Min(8)
  @Max(256)
  grid_size: number = 64;

  @ApiPropertyOptional({ description: 'Time steps', type: 'integer' })
  @IsInt()
  @Min(1)
  @Max(1000)
  steps: number = 64;

  @ApiPropertyOptional({
    description:
      'Diffusion coefficient. Values above 0.25 break the explicit scheme\'s stability bound: the field turns into a ' +
      'checkerboard pinned at -95 / +40 mV (accepted for compatibility; see docs/compute.md)',
  })
  @IsNumber(FINITE)
  @Min(0)
  @Max(1)
  alpha: number = 0.18;

  @ApiPropertyOptional({ description: 'Probability of one growth spike per step' })
  @IsNumber(FINITE)
  @Min(0)
  @Max(1)
  spike_probability: number = 0.25;

  @ApiPropertyOptional({ description: 'Run the activator/inhibitor pair' })
  @IsBoolean()
  turing_enabled: boolean = true;

  @ApiPropertyOptional({ description: 'Cells strictly above this potential (mV) form the mask whose fractal dimension is reported' })
  @IsNumber(FINITE)
  @Min(FIELD_CLAMP_MIN_V * 1000)
  @Max(FIELD_CLAMP_MAX_V * 1000)
  threshold_mV: number = -60;
}

export class SimulateResponseDto {
  @ApiProperty({ description: 'Steps in which a growth spike was injected', type: 'integer', example: 16 })
  growth_events!: number;

  @ApiProperty({ description: 'Lowest potential (mV)', example: -70.7 })
  pot_min_mV!: number;

  @ApiProperty({ description: 'Highest potential (mV)', example: -66.8 })
  pot_max_mV!: number;

  @ApiProperty({ description: 'Mean potential (mV)', example: -69.92 })
  pot_mean_mV!: number;

  @ApiProperty({ description: 'Population standard deviation of the potential (mV)', example: 0.33 })
  pot_std_mV!: number;

  @ApiProperty({ description: 'Box-counting dimension of the cells above the threshold (0 with fewer than two occupied scales)', example: 0 })
  fractal_dimension!: number;

  @ApiProperty({ description: 'Share of cells above the threshold (explains a dimension of 0)', example: 0 })
  active_fraction!: number;
}
