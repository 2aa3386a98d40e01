import { createHash } from 'node:crypto';
import { JobErrors } from './job-errors';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

/** The Idempotency-Key header, checked (undefined when absent). */
export function idempotencyKeyOf(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header.join(',') : header.trim();
  if (!IDEMPOTENCY_KEY.test(value)) throw JobErrors.invalidIdempotencyKey();
  return value;
}

/** JSON with object keys sorted, so equal bodies hash alike whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** SHA-256 of the validated body (defaults applied): what an Idempotency-Key is bound to. */
export function bodyHashOf(body: Record<string, unknown>): string {
  return createHash('sha256').update(canonical(body)).digest('hex');
}

/** The validated body as plain JSON data (a DTO instance's own fields). */
export function plainBody(body: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
}
