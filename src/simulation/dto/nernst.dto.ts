import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsInt, IsNumber, IsPositive, Max, Min } from 'class-validator';

/*
 * class-validator checks a property's decorators bottom-up and the pipe stops at the first
 * failure, so the type check sits lowest: a wrong type reports "must be a finite number", not a
 * range message.
 */
const FINITE = { allowNaN: false, allowInfinity: false } as const;
const FINITE_MESSAGE = { message: '$property must be a finite number' };

export class NernstRequestDto {
  @ApiPropertyOptional({ description: 'Ion valence z', type: 'integer' })
  @Max(3)
  @Min(1)
  @IsInt({ message: '$property must be an integer' })
  z_valence: number = 1;

  // The bound is stated: the compiler plugin would read IsPositive as a minimum of 1.
  @ApiProperty({ description: 'Extracellular concentration in mol/L (> 0)', example: 0.005, exclusiveMinimum: true, minimum: 0 })
  @IsPositive()
  @IsNumber(FINITE, FINITE_MESSAGE)
  @IsDefined({ message: '$property is required' })
  concentration_out_molar!: number;

  @ApiProperty({ description: 'Intracellular concentration in mol/L (> 0)', example: 0.14, exclusiveMinimum: true, minimum: 0 })
  @IsPositive()
  @IsNumber(FINITE, FINITE_MESSAGE)
  @IsDefined({ message: '$property is required' })
  concentration_in_molar!: number;

  @ApiPropertyOptional({ description: 'Temperature in kelvin' })
  @Max(373)
  @Min(273)
  @IsNumber(FINITE, FINITE_MESSAGE)
  temperature_k: number = 310.0;
}

export class NernstResponseDto {
  @ApiProperty({ description: 'Equilibrium potential in millivolts', example: -89.01066911987907 })
  potential_mV!: number;
}
