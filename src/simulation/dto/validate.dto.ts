import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, Max, Min } from 'class-validator';
import { MAX_SEED } from './simulate.dto';

export class ValidateRequestDto {
  @ApiPropertyOptional({ description: 'Random seed (same seed, same response)', type: 'integer' })
  @IsInt()
  @Min(0)
  @Max(MAX_SEED)
  seed: number = 42;

  @ApiPropertyOptional({ description: 'Training epochs over the 16 samples', type: 'integer' })
  @IsInt()
  @Min(1)
  @Max(100)
  epochs: number = 1;

  @ApiPropertyOptional({ description: 'Mini-batch size', type: 'integer' })
  @IsInt()
  @Min(1)
  @Max(64)
  batch_size: number = 4;

  @ApiPropertyOptional({ description: 'Grid edge of each simulated field', type: 'integer' })
  @IsInt()
  @Min(8)
  @Max(256)
  grid_size: number = 64;

  @ApiPropertyOptional({ description: 'Time steps of each simulated field', type: 'integer' })
  @IsInt()
  @Min(1)
  @Max(1000)
  steps: number = 64;

  @ApiPropertyOptional({ description: 'Run the activator/inhibitor pair' })
  @IsBoolean()
  turing_enabled: boolean = true;

  @ApiPropertyOptional({ description: 'Add N(0, 0.0005 V^2) noise to every cell each step (dominates the field)' })
  @IsBoolean()
  quantum_jitter: boolean = false;
}

export class ValidateResponseDto {
  @ApiProperty({ description: 'Loss of the first batch, before its update', example: 2.22 })
  loss_start!: number;

  @ApiProperty({ description: 'Loss of the last batch, before its update', example: 1.8 })
  loss_final!: number;

  @ApiProperty({ description: 'loss_start - loss_final (may be negative)', example: 0.42 })
  loss_drop!: number;

  @ApiProperty({ description: 'Lowest potential over the 16 training fields (mV)', example: -71.0 })
  pot_min_mV!: number;

  @ApiProperty({ description: 'Highest potential over the 16 training fields (mV)', example: -62.9 })
  pot_max_mV!: number;

  @ApiProperty({ description: 'Box-counting dimension of the example field', example: 0 })
  example_fractal_dim!: number;

  @ApiProperty({ description: 'Mean log area contraction of one IFS run', example: -2.17 })
  lyapunov_exponent!: number;

  @ApiProperty({ description: 'Growth events of the example field', example: 16 })
  growth_events!: number;

  @ApiProperty({ description: 'Nernst potential of K+ at 310 K, symbolic evaluation (constant)', example: -89.01066911987905 })
  nernst_symbolic_mV!: number;

  @ApiProperty({ description: 'Nernst potential of K+ at 310 K, numeric evaluation (constant)', example: -89.01066911987907 })
  nernst_numeric_mV!: number;
}
