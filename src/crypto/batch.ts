import { ClassConstructor, plainToInstance } from 'class-transformer';
import { setImmediate } from 'node:timers/promises';
import { ValidationError, validateSync } from 'class-validator';
import { AppException, ErrorCode } from '../common';

/** Items run between two yields to the event loop (about a millisecond of work). */
const YIELD_EVERY = 32;

/** One failed item of a batch: the error code and message a single call would have answered. */
export interface BatchItemError {
  error: { code: string; message: string };
}

export type BatchResult<T> = T | BatchItemError;

/**
 * Runs `batch_input` items one by one against the same key, collecting per-item results: a bad
 * item (invalid fields, a ciphertext that does not open) gets its error in place and the other
 * items still run. Items are validated here, by class-validator, with the item DTO's own rules;
 * the request DTO only bounds the list. Errors that are not about the item (the key is missing,
 * the store is down) fail the whole call, as they would every item.
 */
export async function runBatch<I extends object, T>(
  itemClass: ClassConstructor<I>,
  items: readonly unknown[],
  handle: (item: I, index: number) => Promise<T> | T,
): Promise<{ results: BatchResult<T>[]; failed: number }> {
  const results: BatchResult<T>[] = [];
  let failed = 0;
  for (const [i, raw] of items.entries()) {
    // A long batch gives other requests a turn now and then instead of holding the event loop.
    if (i > 0 && i % YIELD_EVERY === 0) await setImmediate();
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      results.push(itemError(ErrorCode.VALIDATION_ERROR, 'each batch_input item must be an object'));
      failed++;
      continue;
    }
    // The validation pipe has made the items instances already (BatchInputField); others are converted here.
    const item = raw instanceof itemClass ? raw : plainToInstance(itemClass, raw);
    const problems = validateSync(item, { whitelist: true, forbidUnknownValues: true });
    if (problems.length > 0) {
      results.push(itemError(ErrorCode.VALIDATION_ERROR, firstMessage(problems)));
      failed++;
      continue;
    }
    try {
      results.push(await handle(item, i));
    } catch (err) {
      if (!(err instanceof AppException) || !isItemError(err)) throw err;
      results.push(itemError(err.code, err.message));
      failed++;
    }
  }
  return { results, failed };
}

/** Errors that belong to one item (its input or its ciphertext), not to the whole call. */
function isItemError(err: AppException): boolean {
  const status = err.getStatus();
  return status === 400 || status === 422;
}

function itemError(code: string, message: string): BatchItemError {
  return { error: { code, message } };
}

function firstMessage(errors: ValidationError[]): string {
  for (const e of errors) {
    const message = Object.values(e.constraints ?? {})[0];
    if (message !== undefined) return message;
    if (e.children && e.children.length > 0) return firstMessage(e.children);
  }
  return 'invalid item';
}
