import { AppException } from '../common';
import { parseFailure, JobFailure } from './job-errors';
import { bodyHashOf, idempotencyKeyOf } from './job-submission';

describe('job submissions', () => {
  it('hashes equal bodies alike whatever their key order', () => {
    expect(bodyHashOf({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(bodyHashOf({ b: [1, { d: 3, c: 2 }], a: 1 }));
    expect(bodyHashOf({ a: 1 })).not.toBe(bodyHashOf({ a: 2 }));
  });

  it('accepts short printable idempotency keys only', () => {
    expect(idempotencyKeyOf(undefined)).toBeUndefined();
    expect(idempotencyKeyOf(' order-42:retry.1 ')).toBe('order-42:retry.1');
    for (const bad of ['', 'with space', 'x'.repeat(129), 'ünï', ['a', 'b']]) expect(() => idempotencyKeyOf(bad)).toThrow(AppException);
  });

  it('reads back the failures it wrote, and anything else as a failed computation', () => {
    expect(parseFailure(JobFailure.cancelled().serialize()).cancelled).toBe(true);
    expect(parseFailure('job stalled more than allowable limit')).toEqual({ error: { code: 'COMPUTATION_FAILED', message: 'The computation failed' }, cancelled: false });
  });
});
