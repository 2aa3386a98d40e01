import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsNumber, IsPositive, Max, Min } from 'class-validator';

const FINITE = { allowNaN: false, allowInfinity: false } as const;

export class NernstRequestDto {
  @ApiProperty({ description: 'Ion valence z', type: 'integer', minimum: 1, maximum: 3, default: 1, required: false })
  @IsInt()
  @Min(1)
  @Max(3)
  z_valence: number = 1;

  @ApiProperty({ description: 'Extracellular concentration in mol/L (> 0)', example: 0.005, exclusiveMinimum: true, minimum: 0 })
  @IsNumber(FINITE)
  @IsPositive()
  concentration_out_molar!: number;

  @ApiProperty({ description: 'Intracellular concentration in mol/L (> 0)', example: 0.14, exclusiveMinimum: true, minimum: 0 })
  @IsNumber(FINITE)
  @IsPositive()
  concentration_in_molar!: number;

  @ApiProperty({ description: 'Temperature in kelvin', minimum: 273, maximum: 373, default: 310, required: false })
  @IsNumber(FINITE)
  @Min(273)
  @Max(373)
  temperature_k: number = 310.0;
}

export class NernstResponseDto {
  @ApiProperty({ description: 'Equilibrium potential in millivolts', example: -89.01066911987907 })
  potential_mV!: number;
}
