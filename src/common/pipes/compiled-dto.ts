import { TransformationType } from 'class-transformer';
import { getMetadataStorage, ValidationArguments, ValidationTypes, ValidatorConstraintInterface } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { VALUE_TRANSFORMS } from './value-transforms';

// class-transformer keeps its decorator metadata in this module; the package does not re-export it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');

/**
 * A DTO's accept test, built once from the class's own class-validator metadata. Given a parsed
 * JSON object it returns the DTO instance exactly as `plainToInstance` + whitelisting +
 * `validateSync` would (same class, defaults from the initialisers, unknown fields dropped), or
 * `undefined` when the body is not certainly valid. Undefined only means "take the full path":
 * the ValidationPipe then runs class-transformer and class-validator as usual and produces the
 * error details. So this path can only ever accept what class-validator accepts, using the
 * same constraint objects (the decorators' own `validate` functions) with the same arguments.
 *
 * Only simple DTOs are compiled: every property rule is a synchronous custom constraint,
 * `@IsDefined` or a condition (`@IsOptional`, `@ValidateIf`), with no groups, `each`, nesting or
 * promise rules, and the class has no class-transformer metadata (`@Type`, `@Expose`,
 * `@Exclude`, `@Transform`) other than the value-only transforms of value-transforms.ts. Values are taken over only when they are JSON primitives (a nested
 * object or array always goes the full way). Anything else: no compiled test, full path always.
 *
 * Why: on the hot path class-validator's executor re-derives the metadata, allocates an error
 * object per property and an arguments object per rule; for the few-field bodies of this API
 * that bookkeeping costs several times the checks themselves.
 */
export type CompiledDto = (plain: Record<string, unknown>) => object | undefined;

interface Check {
  readonly constraint: ValidatorConstraintInterface;
  readonly constraints: unknown[];
}

interface PropertyPlan {
  readonly name: string;
  /** `@IsOptional` / `@ValidateIf` conditions: when one is false the property's rules are skipped. */
  readonly conditions: ((object: object, value: unknown) => boolean)[];
  readonly checks: Check[];
  /** Value-only `@Transform` functions, applied in order to a value taken from the body. */
  readonly transforms: ValueTransform[];
}

const SUPPORTED_TYPES = new Set<string>([
  ValidationTypes.CUSTOM_VALIDATION,
  ValidationTypes.IS_DEFINED,
  ValidationTypes.CONDITIONAL_VALIDATION,
]);

type Ctor = new () => object;

/** class-transformer passes its options to transforms; the pipe uses none. */
const TRANSFORM_OPTIONS = Object.freeze({});

type ValueTransform = (params: { value: unknown; key: string; obj: unknown; type: TransformationType; options: object }) => unknown;

/** Class-level class-transformer settings that change which keys are copied: none allowed. */
function hasClassTransformerRules(target: Ctor): boolean {
  const store = defaultMetadataStorage;
  return store.getStrategy(target) !== 'none' || store.getExposedMetadatas(target).length > 0 || store.getExcludedMetadatas(target).length > 0;
}

/**
 * A property's `@Transform` functions when all of them are known value-only transforms
 * (value-transforms.ts) without options; undefined when it has `@Type` or any other transform.
 */
function valueTransformsOf(target: Ctor, name: string): ValueTransform[] | undefined {
  const store = defaultMetadataStorage;
  if (store.findTypeMetadata(target, name) !== undefined) return undefined;
  const transforms: ValueTransform[] = [];
  for (const m of store.findTransformMetadatas(target, name, TransformationType.PLAIN_TO_CLASS)) {
    if (!VALUE_TRANSFORMS.has(m.transformFn) || Object.keys(m.options ?? {}).length > 0) return undefined;
    transforms.push(m.transformFn as ValueTransform);
  }
  return transforms;
}

function planProperty(name: string, metadatas: ValidationMetadata[], transforms: ValueTransform[]): PropertyPlan | undefined {
  const storage = getMetadataStorage();
  const conditions: PropertyPlan['conditions'] = [];
  const checks: Check[] = [];
  for (const m of metadatas) {
    if (!SUPPORTED_TYPES.has(m.type) || m.each || (m.groups && m.groups.length > 0) || m.always !== undefined) return undefined;
    if (m.type === ValidationTypes.CONDITIONAL_VALIDATION) {
      const condition = m.constraints?.[0];
      if (typeof condition !== 'function') return undefined;
      conditions.push(condition as PropertyPlan['conditions'][number]);
      continue;
    }
    const constraintMetas = storage.getTargetValidatorConstraints(m.constraintCls);
    if (constraintMetas.length === 0) return undefined;
    for (const c of constraintMetas) {
      if (c.async) return undefined;
      checks.push({ constraint: c.instance, constraints: m.constraints });
    }
  }
  return { name, conditions, checks, transforms };
}

/** Builds the accept test of `target`, or undefined when the class is not simple enough (see above). */
export function compileDto(target: Ctor): CompiledDto | undefined {
  // Same lookup as class-validator's executor with the pipe's options (no groups, `always` unset).
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(target, '', false, false, undefined);
  if (metadatas.length === 0) return undefined;
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const m of metadatas) {
    const list = byProperty.get(m.propertyName);
    if (list) list.push(m);
    else byProperty.set(m.propertyName, [m]);
  }
  if (hasClassTransformerRules(target)) return undefined;

  const plans: PropertyPlan[] = [];
  for (const [name, list] of byProperty) {
    // An accessor on the prototype changes how class-transformer assigns the value.
    if (name === '__proto__' || name === 'constructor' || Object.getOwnPropertyDescriptor(target.prototype, name) !== undefined) {
      return undefined;
    }
    const transforms = valueTransformsOf(target, name);
    if (transforms === undefined) return undefined;
    const plan = planProperty(name, list, transforms);
    if (plan === undefined) return undefined;
    plans.push(plan);
  }
  // Whitelisting would delete an initialised field without rules; such a class takes the full path.
  let sample: object;
  try {
    sample = new target();
  } catch {
    return undefined;
  }
  if (Object.keys(sample).some((key) => !byProperty.has(key))) return undefined;

  const targetName = target.name;
  return (plain) => {
    const instance = new target() as Record<string, unknown>;
    for (const plan of plans) {
      if (!Object.hasOwn(plain, plan.name)) continue;
      let value = plain[plan.name];
      if (value !== null && typeof value === 'object') return undefined;
      if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') return undefined;
      for (const transform of plan.transforms) {
        value = transform({ value, key: plan.name, obj: plain, type: TransformationType.PLAIN_TO_CLASS, options: TRANSFORM_OPTIONS });
      }
      instance[plan.name] = value;
    }
    for (const plan of plans) {
      const value = instance[plan.name];
      let applies = true;
      for (const condition of plan.conditions) {
        if (!condition(instance, value)) {
          applies = false;
          break;
        }
      }
      if (!applies) continue;
      for (const check of plan.checks) {
        const args: ValidationArguments = { targetName, property: plan.name, object: instance, value, constraints: check.constraints };
        if (check.constraint.validate(value, args) !== true) return undefined;
      }
    }
    return instance;
  };
}
