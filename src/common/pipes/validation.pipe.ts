import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { ValidatorOptions, validateSync } from 'class-validator';
import { AppException, ErrorDetail } from '../errors';
import { isSecretKeyName } from '../logging/redact';
import { escapeHtml } from '../security/input-sanitiser';
import { PAYLOAD_FIELDS } from '../security/payload-fields';

export const NOT_A_JSON_OBJECT = 'request body must be a JSON object';
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

  /**
   * Values of custom parameter decorators (the caller, the compute request context) are built
   * by the service itself and not validated (ValidationPipe's validateCustomDecorators is off).
   */
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'custom') return value;
    return this.transformFully(value, metadata);
  }

  private async transformFully(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const location = LOCATION[metadata.type] ?? 'body';
    let input = value;
    if (metadata.type === 'body' && metadata.metatype && this.toValidate(metadata)) {
      if (input === undefined) input = {};
      if (input === null || typeof input !== 'object' || Array.isArray(input)) {
        throw AppException.validation([{ field: 'body', message: NOT_A_JSON_OBJECT }]);
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
