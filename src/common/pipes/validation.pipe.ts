import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { ValidatorOptions, validateSync } from 'class-validator';
import { AppException, ErrorDetail } from '../errors';
import { isSecretKeyName } from '../logging/redact';
import { escapeHtml } from '../security/input-sanitiser';
import { PAYLOAD_FIELDS } from '../security/payload-fields';
import { CompiledDto, compileDto } from './compiled-dto';


const LOCATION: Record<ArgumentMetadata['type'], string> = {
  body: 'body',
  query: 'query',
  param: 'path',
  custom: 'body',
};

class ValidationFailure extends Error {
  constructor(readonly errors: ValidationError[]) {
    super('validation failed');
  }
}

function echoable(field: string, value: unknown): boolean {
  if (PAYLOAD_FIELDS.has(field) || isSecretKeyName(field)) return false;
  return value === null || ['number', 'boolean', 'string'].includes(typeof value);
}

function flatten(errors: ValidationError[], prefix: string, out: ErrorDetail[] = []): ErrorDetail[] {
  for (const e of errors) {
    const field = `${prefix}.${e.property}`;
    for (const message of Object.values(e.constraints ?? {})) {
      const detail: ErrorDetail = { field, message };
      if (echoable(e.property, e.value)) {
        // Echoed client text is cut to 100 characters, then HTML-escaped.
        detail.value = typeof e.value === 'string' ? escapeHtml(e.value.slice(0, 100)) : e.value;
      }
      out.push(detail);
    }
    if (e.children && e.children.length > 0) flatten(e.children, field, out);
  }
  return out;
}

/**
 * Global validation: whitelist (unknown fields are stripped, as the previous service ignored
 * them), transform to DTO instances, and 422 VALIDATION_ERROR with one detail per problem.
 * A body that is not a JSON object is a validation error too.
 */
@Injectable()
export class AppValidationPipe extends ValidationPipe {
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
  protected override validate(object: object, validatorOptions?: ValidatorOptions): ValidationError[] {
    return validateSync(object, validatorOptions);
  }

  /** Per DTO class: its compiled accept test, or null when the class always takes the full path. */
  private readonly compiled = new Map<unknown, CompiledDto | null>();

  /**
   * A JSON object body for a simple DTO first meets the compiled accept test (compiled-dto.ts):
   * a valid body comes back as the DTO instance without class-validator's per-request
   * bookkeeping. Anything it does not accept takes the full path below, which also words the errors.
   */
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Values of custom parameter decorators (the caller, the compute request context) are built
    // by the service itself and not validated (ValidationPipe's validateCustomDecorators is off).
    if (metadata.type === 'custom') return value;
    if (metadata.type === 'body' && value !== null && typeof value === 'object' && !Array.isArray(value) && metadata.metatype) {
      let accept = this.compiled.get(metadata.metatype);
      if (accept === undefined) {
        accept = this.toValidate(metadata) ? (compileDto(metadata.metatype as new () => object) ?? null) : null;
        this.compiled.set(metadata.metatype, accept);
      }
      const instance = accept?.(value as Record<string, unknown>);
      if (instance !== undefined) return instance;
    }
    return this.transformFully(value, metadata);
  }

  private async transformFully(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const location = LOCATION[metadata.type] ?? 'body';
    let input = value;
    if (metadata.type === 'body' && metadata.metatype && this.toValidate(metadata)) {
      if (input === undefined) input = {};
      if (input === null || typeof input !== 'object' || Array.isArray(input)) {
        throw AppException.validation([{ field: 'body', message: 'request body must be a JSON object' }]);
      }
    }
    try {
      return await super.transform(input, metadata);
    } catch (err) {
      if (err instanceof ValidationFailure) {
        const details = flatten(err.errors, location);
        throw AppException.validation(details.length > 0 ? details : [{ field: location, message: 'invalid value' }]);
      }
      throw err;
    }
  }
}
