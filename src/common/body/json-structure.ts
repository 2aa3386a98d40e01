/**
 * A single pass over the raw bytes of a JSON body that bounds what parsing it would build: the
 * number of values, the number of containers (objects and arrays, the costliest values: an 8 MiB
 * body of `[{},{},…]` parses into millions of objects), the longest string and the nesting
 * depth. It runs before JSON.parse and stops at the first limit passed, so a hostile body costs
 * at most one linear read of its bytes. It judges size and shape, and a string that never closes
 * (past which it could not tell structure from text); whether the bytes are otherwise valid JSON
 * is left to the parser that runs afterwards. The bytes are UTF-8 (the body guard refuses other
 * charsets), where a quote or bracket byte is always that character.
 */

export interface JsonShapeLimits {
  /** Values of any kind (object keys count too: each is a string the parser allocates). */
  maxValues: number;
  /** Objects and arrays. */
  maxContainers: number;
  /** Bytes of the longest string (as sent, escapes included). */
  maxStringBytes: number;
  /** Nesting depth of objects and arrays. */
  maxDepth: number;
}

export type JsonShapeProblem =
  | { kind: 'values'; limit: number }
  | { kind: 'containers'; limit: number }
  | { kind: 'string'; limit: number }
  | { kind: 'depth'; limit: number }
  | { kind: 'unterminated' };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/** Bytes that continue a number or a literal (true, false, null) once one has started. */
const SCALAR = new Uint8Array(256);
for (const c of '0123456789+-.eEtrufalsn') SCALAR[c.charCodeAt(0)] = 1;

/** Index of the quote that closes the string opened at `open`, or -1 when it is not closed. */
function closingQuote(buf: Uint8Array, open: number): number {
  let from = open + 1;
  for (;;) {
    const at = buf.indexOf(QUOTE, from);
    if (at < 0) return -1;
    // A quote preceded by an odd run of backslashes is escaped. Each run is counted once: it lies
    // between this quote and the previous one.
    let slashes = 0;
    while (buf[at - 1 - slashes] === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return at;
    from = at + 1;
  }
}

/** The first limit the body passes, or undefined when it stays within all of them. */
export function checkJsonShape(buf: Uint8Array, limits: JsonShapeLimits): JsonShapeProblem | undefined {
  let values = 0;
  let containers = 0;
  let depth = 0;
  const n = buf.length;
  for (let i = 0; i < n; i++) {
    // eslint-disable-next-line security/detect-object-injection -- integer index into the body's bytes
    const c = buf[i];
    if (c === QUOTE) {
      const end = closingQuote(buf, i);
      if (end < 0) return { kind: 'unterminated' };
      if (end - i - 1 > limits.maxStringBytes) return { kind: 'string', limit: limits.maxStringBytes };
      if (++values > limits.maxValues) return { kind: 'values', limit: limits.maxValues };
      i = end;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > limits.maxDepth) return { kind: 'depth', limit: limits.maxDepth };
      if (++containers > limits.maxContainers) return { kind: 'containers', limit: limits.maxContainers };
      if (++values > limits.maxValues) return { kind: 'values', limit: limits.maxValues };
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
    // eslint-disable-next-line security/detect-object-injection -- `c` is a byte (0-255) and SCALAR a 256-entry Uint8Array
    } else if (SCALAR[c] === 1) {
      if (++values > limits.maxValues) return { kind: 'values', limit: limits.maxValues };
      while (i + 1 < n && SCALAR[buf[i + 1]] === 1) i++;
    }
  }
  return undefined;
}
