import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNumber, IsOptional, Max, Min, ValidationArguments, ValidationOptions, registerDecorator } from 'class-validator';
import { FINITE, MAX_SEED } from './simulate.dto';

/** Default seed of the cluster assignment, so identical requests give identical answers. */
export const DEFAULT_AGGREGATION_SEED = 42;
/** Largest accepted byzantine_fraction is just below 0.5 (the aggregator needs < 0.5). */
export const BYZANTINE_FRACTION_LIMIT = 0.5;

/**
 * Why `gradients` is not an array of arrays of JSON numbers, or undefined when it is. Only the
 * structure: emptiness, equal lengths, finiteness and size bounds are checked afterwards
 * (400/413, see gradient-input.ts). A plain loop, because gradients can hold 2,000,000 values.
 */
export function gradientStructureProblem(value: unknown): string | undefined {
  if (value === undefined || value === null) return 'gradients is required';
  if (!Array.isArray(value)) return 'gradients must be an array of arrays of numbers';
  for (const row of value) {
    if (!Array.isArray(row)) return 'gradients must be an array of arrays of numbers';
    // eslint-disable-next-line security/detect-object-injection -- integer index (a plain loop: gradients can hold 2,000,000 values)
    for (let j = 0; j < row.length; j++) if (typeof row[j] !== 'number') return 'gradients must contain only numbers';
  }
  return undefined;
}

/** Exclusive upper bound (class-validator's @Max is inclusive). */
function IsBelow(limit: number, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isBelow',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [limit],
      options: { message: (args: ValidationArguments) => `${args.property} must be less than ${limit}`, ...options },
      validator: {
        validate: (value: unknown) => typeof value === 'number' && value < limit,
      },
    });
}

/** The scalar fields, validated by the standard pipe (see AggregateBodyPipe). */
export class AggregateOptionsDto {
  @ApiPropertyOptional({ description: 'Level-1 clusters (capped at the number of clients)', type: 'integer' })
  @IsInt()
  @Min(1)
  @Max(1000)
  num_clusters: number = 10;

  // The exclusive upper bound is IsBelow's, which the compiler plugin does not read.
  @ApiPropertyOptional({ description: 'Assumed share of Byzantine clients, 0 <= f < 0.5', exclusiveMaximum: true, maximum: BYZANTINE_FRACTION_LIMIT })
  @IsNumber(FINITE)
  @Min(0)
  @IsBelow(BYZANTINE_FRACTION_LIMIT)
  byzantine_fraction: number = 0.2;

  @ApiPropertyOptional({
    description: `Seed of the random cluster assignment (default ${DEFAULT_AGGREGATION_SEED}: identical requests give identical answers)`,
    type: 'integer',
    default: DEFAULT_AGGREGATION_SEED,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_SEED)
  seed?: number;
}

/** The whole body, for the API documentation. */
export class AggregateRequestDto extends AggregateOptionsDto {
  @ApiProperty({
    description:
      'One gradient per client, all of the same length; values are rounded to float32. At least one row, at most ' +
      '10,000 rows and 2,000,000 values in total (body limit MFN_AGGREGATE_MAX_BYTES, 8 MB by default)',
    type: 'array',
    items: { type: 'array', items: { type: 'number' } },
    example: [
      [1, 2],
      [1.1, 2.1],
      [1.2, 2.2],
    ],
  })
  gradients!: number[][];
}

/** The validated request as the handler receives it (an interface, so the global pipe leaves it alone). */
export interface AggregateRequest {
  gradients: number[][];
  num_clusters: number;
  byzantine_fraction: number;
  seed?: number;
}

export class AggregateResponseDto {
  @ApiProperty({ description: 'Aggregated gradient (float32 values)', example: [1, 2] })
  aggregated_gradient!: number[];

  @ApiProperty({ description: 'Number of gradients received', type: 'integer', example: 3 })
  num_input_gradients!: number;
}
