import { EXAMPLE_REQUEST_ID, EXAMPLE_TIMESTAMP } from '../dto/error-envelope.dto';
import { ErrorEnvelope, buildEnvelope, resolveError } from './error-envelope';

/** An OpenAPI example of an error response: the envelope the service sends for that error. */
export interface ErrorExample {
  summary: string;
  value: ErrorEnvelope;
}

/** The status the service answers `error` with (as the error filter resolves it). */
export function statusOf(error: unknown): number {
  return resolveError(error).status;
}

/**
 * The envelope of `error` exactly as the error filter builds it (resolveError, buildEnvelope),
 * with a fixed request id and time so the document is the same on every build.
 */
export function errorExample(error: unknown): ErrorExample {
  const resolved = resolveError(error);
  const value = { ...buildEnvelope(resolved, EXAMPLE_REQUEST_ID), timestamp: EXAMPLE_TIMESTAMP };
  return { summary: resolved.message, value };
}

/** Named examples of several errors: named by error code (numbered when two share one). */
export function errorExamples(errors: readonly unknown[]): Record<string, ErrorExample> {
  const out = new Map<string, ErrorExample>();
  for (const error of errors) {
    const example = errorExample(error);
    const code = example.value.error_code;
    let name = code;
    for (let n = 2; out.has(name); n++) name = `${code}_${n}`;
    out.set(name, example);
  }
  return Object.fromEntries(out);
}
