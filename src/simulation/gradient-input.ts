import { HttpStatus } from '@nestjs/common';
import { AppException, ErrorCode } from '../common';
import type { GradientMatrix } from './core';

/** Bounds of one /federated/aggregate request (documented in docs/compute.md). */
export const AGGREGATE_LIMITS = Object.freeze({
  /** Clients; above 1000 a 10% sample is aggregated, so Krum never sees more than 1000 rows. */
  maxClients: 10_000,
  /** n x d values (8 MB of float32). */
  maxValues: 2_000_000,
});

/**
 * Packs the request's gradients into one float32 matrix (the form sent to the worker),
 * refusing what the reference mishandled: no rows (400, as the reference), rows of different
 * lengths (400; the reference answered 500), empty rows, and values that are not finite once
 * rounded to float32 (400), plus sizes beyond AGGREGATE_LIMITS (413).
 */
export function toGradientMatrix(rows: readonly (readonly number[])[]): GradientMatrix {
  const n = rows.length;
  if (n === 0) throw AppException.badRequest('No gradients provided');
  const d = rows[0].length;
  if (d === 0) throw AppException.badRequest('Gradients must have at least one value');
  for (const [i, row] of rows.entries()) {
    if (row.length !== d) {
      throw AppException.badRequest(`All gradients must have the same length: gradient 0 has ${d} values, gradient ${i} has ${row.length}`);
    }
  }
  if (n > AGGREGATE_LIMITS.maxClients || n * d > AGGREGATE_LIMITS.maxValues) {
    throw new AppException(
      ErrorCode.PAYLOAD_TOO_LARGE,
      `Too many gradient values: at most ${AGGREGATE_LIMITS.maxClients} gradients and ${AGGREGATE_LIMITS.maxValues} values in total (got ${n} x ${d})`,
      HttpStatus.PAYLOAD_TOO_LARGE,
    );
  }
  const values = new Float32Array(n * d);
  for (const [i, row] of rows.entries()) {
    const offset = i * d;
    for (let j = 0; j < d; j++) {
      // eslint-disable-next-line security/detect-object-injection -- integer index into a row of numbers
      values[offset + j] = row[j];
      const stored = values[offset + j];
      if (stored - stored !== 0) {
        throw AppException.badRequest(
          `Gradient values must be finite and within the float32 range (gradient ${i}, index ${j})`,
        );
      }
    }
  }
  return { values, rows: n, cols: d };
}
