"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.compileDto = compileDto;
const class_transformer_1 = require("class-transformer");
const class_validator_1 = require("class-validator");
const value_transforms_1 = require("./value-transforms");
// class-transformer keeps its decorator metadata in this module; the package does not re-export it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage');
const SUPPORTED_TYPES = new Set([
    class_validator_1.ValidationTypes.CUSTOM_VALIDATION,
    class_validator_1.ValidationTypes.IS_DEFINED,
    class_validator_1.ValidationTypes.CONDITIONAL_VALIDATION,
]);
/** class-transformer passes its options to transforms; the pipe uses none. */
const TRANSFORM_OPTIONS = Object.freeze({});
/** Class-level class-transformer settings that change which keys are copied: none allowed. */
function hasClassTransformerRules(target) {
    const store = defaultMetadataStorage;
    return store.getStrategy(target) !== 'none' || store.getExposedMetadatas(target).length > 0 || store.getExcludedMetadatas(target).length > 0;
}
/**
 * A property's `@Transform` functions when all of them are known value-only transforms
 * (value-transforms.ts) without options; undefined when it has `@Type` or any other transform.
 */
function valueTransformsOf(target, name) {
    const store = defaultMetadataStorage;
    if (store.findTypeMetadata(target, name) !== undefined)
        return undefined;
    const transforms = [];
    for (const m of store.findTransformMetadatas(target, name, class_transformer_1.TransformationType.PLAIN_TO_CLASS)) {
        if (!value_transforms_1.VALUE_TRANSFORMS.has(m.transformFn) || Object.keys(m.options ?? {}).length > 0)
            return undefined;
        transforms.push(m.transformFn);
    }
    return transforms;
}
function planProperty(name, metadatas, transforms) {
    const storage = (0, class_validator_1.getMetadataStorage)();
    const conditions = [];
    const checks = [];
    for (const m of metadatas) {
        if (!SUPPORTED_TYPES.has(m.type) || m.each || (m.groups && m.groups.length > 0) || m.always !== undefined)
            return undefined;
        if (m.type === class_validator_1.ValidationTypes.CONDITIONAL_VALIDATION) {
            const condition = m.constraints?.[0];
            if (typeof condition !== 'function')
                return undefined;
            conditions.push(condition);
            continue;
        }
        const constraintMetas = storage.getTargetValidatorConstraints(m.constraintCls);
        if (constraintMetas.length === 0)
            return undefined;
        for (const c of constraintMetas) {
            if (c.async)
                return undefined;
            checks.push({ constraint: c.instance, constraints: m.constraints });
        }
    }
    return { name, conditions, checks, transforms };
}
/** Builds the accept test of `target`, or undefined when the class is not simple enough (see above). */
function compileDto(target) {
    // Same lookup as class-validator's executor with the pipe's options (no groups, `always` unset).
    const metadatas = (0, class_validator_1.getMetadataStorage)().getTargetValidationMetadatas(target, '', false, false, undefined);
    if (metadatas.length === 0)
        return undefined;
    const byProperty = new Map();
    for (const m of metadatas) {
        const list = byProperty.get(m.propertyName);
        if (list)
            list.push(m);
        else
            byProperty.set(m.propertyName, [m]);
    }
    if (hasClassTransformerRules(target))
        return undefined;
    const plans = [];
    for (const [name, list] of byProperty) {
        // An accessor on the prototype changes how class-transformer assigns the value.
        if (name === '__proto__' || name === 'constructor' || Object.getOwnPropertyDescriptor(target.prototype, name) !== undefined) {
            return undefined;
        }
        const transforms = valueTransformsOf(target, name);
        if (transforms === undefined)
            return undefined;
        const plan = planProperty(name, list, transforms);
        if (plan === undefined)
            return undefined;
        plans.push(plan);
    }
    // Whitelisting would delete an initialised field without rules; such a class takes the full path.
    let sample;
    try {
        sample = new target();
    }
    catch {
        return undefined;
    }
    if (Object.keys(sample).some((key) => !byProperty.has(key)))
        return undefined;
    const targetName = target.name;
    return (plain) => {
        const instance = new target();
        for (const plan of plans) {
            if (!Object.hasOwn(plain, plan.name))
                continue;
            let value = plain[plan.name];
            if (value !== null && typeof value === 'object')
                return undefined;
            if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint')
                return undefined;
            for (const transform of plan.transforms) {
                value = transform({ value, key: plan.name, obj: plain, type: class_transformer_1.TransformationType.PLAIN_TO_CLASS, options: TRANSFORM_OPTIONS });
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
            if (!applies)
                continue;
            for (const check of plan.checks) {
                const args = { targetName, property: plan.name, object: instance, value, constraints: check.constraints };
                if (check.constraint.validate(value, args) !== true)
                    return undefined;
            }
        }
        return instance;
    };
}
//# sourceMappingURL=compiled-dto.js.map