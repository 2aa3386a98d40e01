import { plainToInstance } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, Max, Min, type ValidationError, validateSync } from 'class-validator';
import { SimulateRequestDto } from '../../simulation/dto/simulate.dto';

/** The features a `feature_update` may carry (all by default; `params.features` filters). */
export const FEATURE_NAMES = [
  'pot_mean_mV',
  'pot_std_mV',
  'pot_min_mV',
  'pot_max_mV',
  'active_nodes',
  'activity_ratio',
  'fractal_dimension',
  'total_energy',
  'spatial_variance',
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];

/** `simulation_live` params: /simulate's, with the same bounds, plus how often to report. */
export class SimulationLiveParamsDto extends SimulateRequestDto {
  @IsInt()
  @Min(1)
  @Max(100)
  update_interval_steps: number = 10;

  @IsBoolean()
  include_full_state: boolean = false;
}

/**
 * `stream_features` params: the field simulation's (as /simulate's, without `steps`), how many
 * updates to send and how many steps the field advances between two of them.
 */
export class FeatureStreamParamsDto extends SimulateRequestDto {
  @IsInt()
  @Min(10)
  @Max(10_000)
  update_interval_ms: number = 100;

  @IsInt()
  @Min(1)
  @Max(100)
  steps_per_update: number = 1;

  @IsInt()
  @Min(1)
  @Max(1000)
  max_updates: number = 100;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(FEATURE_NAMES.length)
  @ArrayUnique()
  @IsIn(FEATURE_NAMES, { each: true })
  features?: FeatureName[];
}

/** The validated params, or the first few problems as one line. */
export function validateParams<T extends object>(cls: new () => T, params: unknown): T | string {
  if (params !== undefined && (typeof params !== 'object' || params === null || Array.isArray(params))) return 'params must be an object';
  const instance = plainToInstance(cls, params ?? {});
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length === 0) return instance;
  const problems = errors.slice(0, 5).map(firstProblem);
  return problems.join('; ').slice(0, 500);
}

/** A property's problem: its type first (`"100"` is not an integer, whatever its bounds say), else the first constraint. */
function firstProblem(error: ValidationError): string {
  const constraints = Object.entries(error.constraints ?? {});
  const typed = constraints.find(([name]) => name.startsWith('is')) ?? constraints[0];
  return typed === undefined ? `${error.property} is invalid` : typed[1];
}
