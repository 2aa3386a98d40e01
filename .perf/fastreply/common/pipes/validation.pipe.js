"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.AppValidationPipe = void 0;
const common_1 = require("@nestjs/common");
const class_validator_1 = require("class-validator");
const errors_1 = require("../errors");
const redact_1 = require("../logging/redact");
const input_sanitiser_1 = require("../security/input-sanitiser");
const payload_fields_1 = require("../security/payload-fields");
const compiled_dto_1 = require("./compiled-dto");
const LOCATION = {
    body: 'body',
    query: 'query',
    param: 'path',
    custom: 'body',
};
class ValidationFailure extends Error {
    errors;
    constructor(errors) {
        super('validation failed');
        this.errors = errors;
    }
}
function echoable(field, value) {
    if (payload_fields_1.PAYLOAD_FIELDS.has(field) || (0, redact_1.isSecretKeyName)(field))
        return false;
    return value === null || ['number', 'boolean', 'string'].includes(typeof value);
}
function flatten(errors, prefix, out = []) {
    for (const e of errors) {
        const field = `${prefix}.${e.property}`;
        for (const message of Object.values(e.constraints ?? {})) {
            const detail = { field, message };
            if (echoable(e.property, e.value)) {
                // Echoed client text is cut to 100 characters, then HTML-escaped (SERVICE.md §5, §8).
                detail.value = typeof e.value === 'string' ? (0, input_sanitiser_1.escapeHtml)(e.value.slice(0, 100)) : e.value;
            }
            out.push(detail);
        }
        if (e.children && e.children.length > 0)
            flatten(e.children, field, out);
    }
    return out;
}
/**
 * Global validation: whitelist (unknown fields are stripped, as the previous service ignored
 * them), transform to DTO instances, and 422 VALIDATION_ERROR with one detail per problem.
 * A body that is not a JSON object is a validation error too.
 */
let AppValidationPipe = class AppValidationPipe extends common_1.ValidationPipe {
    constructor() {
        super({
            whitelist: true,
            forbidNonWhitelisted: false,
            transform: true,
            forbidUnknownValues: true,
            stopAtFirstError: true,
            validationError: { target: false, value: true },
            exceptionFactory: (errors) => new ValidationFailure(errors),
        });
    }
    /**
     * Every constraint in the DTOs is synchronous, so the synchronous validator gives the same
     * errors without a promise per property on every request.
     */
    validate(object, validatorOptions) {
        return (0, class_validator_1.validateSync)(object, validatorOptions);
    }
    /** Per DTO class: its compiled accept test, or null when the class always takes the full path. */
    compiled = new Map();
    /**
     * A JSON object body for a simple DTO first meets the compiled accept test (compiled-dto.ts):
     * a valid body comes back as the DTO instance without class-validator's per-request
     * bookkeeping. Anything it does not accept takes the full path below, which also words the errors.
     */
    async transform(value, metadata) {
        // Values of custom parameter decorators (the caller, the compute request context) are built
        // by the service itself and not validated (ValidationPipe's validateCustomDecorators is off).
        if (metadata.type === 'custom')
            return value;
        if (metadata.type === 'body' && value !== null && typeof value === 'object' && !Array.isArray(value) && metadata.metatype) {
            let accept = this.compiled.get(metadata.metatype);
            if (accept === undefined) {
                accept = this.toValidate(metadata) ? ((0, compiled_dto_1.compileDto)(metadata.metatype) ?? null) : null;
                this.compiled.set(metadata.metatype, accept);
            }
            const instance = accept?.(value);
            if (instance !== undefined)
                return instance;
        }
        return this.transformFully(value, metadata);
    }
    async transformFully(value, metadata) {
        const location = LOCATION[metadata.type] ?? 'body';
        let input = value;
        if (metadata.type === 'body' && metadata.metatype && this.toValidate(metadata)) {
            if (input === undefined)
                input = {};
            if (input === null || typeof input !== 'object' || Array.isArray(input)) {
                throw errors_1.AppException.validation([{ field: 'body', message: 'request body must be a JSON object' }]);
            }
        }
        try {
            return await super.transform(input, metadata);
        }
        catch (err) {
            if (err instanceof ValidationFailure) {
                const details = flatten(err.errors, location);
                throw errors_1.AppException.validation(details.length > 0 ? details : [{ field: location, message: 'invalid value' }]);
            }
            throw err;
        }
    }
};
exports.AppValidationPipe = AppValidationPipe;
exports.AppValidationPipe = AppValidationPipe = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [])
], AppValidationPipe);
//# sourceMappingURL=validation.pipe.js.map