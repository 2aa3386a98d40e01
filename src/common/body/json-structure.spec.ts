import fc from 'fast-check';
import { checkJsonShape, type JsonShapeLimits } from './json-structure';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
const WIDE: JsonShapeLimits = { maxValues: 1e9, maxContainers: 1e9, maxStringBytes: 1e9, maxDepth: 1e9 };

/** What parsing `value` builds: values (keys included), containers, longest string as sent, depth. */
function measure(value: unknown, depth = 0): { values: number; containers: number; longest: number; depth: number } {
  if (typeof value === 'string') return { values: 1, containers: 0, longest: Buffer.byteLength(JSON.stringify(value)) - 2, depth };
  if (value === null || typeof value !== 'object') return { values: 1, containers: 0, longest: 0, depth };
  const out = { values: 1, containers: 1, longest: 0, depth: depth + 1 };
  const entries: [string | undefined, unknown][] = Array.isArray(value) ? value.map((v) => [undefined, v]) : Object.entries(value);
  for (const [key, child] of entries) {
    if (key !== undefined) {
      out.values += 1;
      out.longest = Math.max(out.longest, Buffer.byteLength(JSON.stringify(key)) - 2);
    }
    const m = measure(child, depth + 1);
    out.values += m.values;
    out.containers += m.containers;
    out.longest = Math.max(out.longest, m.longest);
    out.depth = Math.max(out.depth, m.depth);
  }
  return out;
}

describe('checkJsonShape', () => {
  it('accepts a body exactly at each limit and refuses one value more', () => {
    const body = bytes('{"a":[1,2,{"b":"xyz"}],"c":true}');
    // values: object, a, array, 1, 2, object, b, "xyz", c, true = 10; containers 3; depth 3; longest 3
    const exact = { maxValues: 10, maxContainers: 3, maxStringBytes: 3, maxDepth: 3 };
    expect(checkJsonShape(body, exact)).toBeUndefined();
    expect(checkJsonShape(body, { ...exact, maxValues: 9 })).toEqual({ kind: 'values', limit: 9 });
    expect(checkJsonShape(body, { ...exact, maxContainers: 2 })).toEqual({ kind: 'containers', limit: 2 });
    expect(checkJsonShape(body, { ...exact, maxStringBytes: 2 })).toEqual({ kind: 'string', limit: 2 });
    expect(checkJsonShape(body, { ...exact, maxDepth: 2 })).toEqual({ kind: 'depth', limit: 2 });
  });

  it('does not mistake structure inside strings, escaped quotes included', () => {
    const body = bytes(JSON.stringify({ s: 'a"[{,}]\\"\\\\', t: '\\' }));
    expect(checkJsonShape(body, { maxValues: 5, maxContainers: 1, maxStringBytes: 100, maxDepth: 1 })).toBeUndefined();
  });

  it('stops at the first limit of an 8 MiB body of empty objects', () => {
    const body = Buffer.alloc(8 * 1024 * 1024, '{},');
    body[0] = 0x5b;
    expect(checkJsonShape(body, { maxValues: 1e9, maxContainers: 10_032, maxStringBytes: 1024, maxDepth: 32 })).toEqual({
      kind: 'containers',
      limit: 10_032,
    });
  });

  it('refuses deep nesting without recursion', () => {
    const body = Buffer.alloc(200_000, '[');
    expect(checkJsonShape(body, { ...WIDE, maxDepth: 32 })).toEqual({ kind: 'depth', limit: 32 });
  });

  it('leaves other malformed bytes to the parser (no verdict, no throw)', () => {
    for (const text of ['{"a":', ']]]]', '{"a"::1}', '{"a":tru}']) {
      expect(checkJsonShape(bytes(text), WIDE)).toBeUndefined();
    }
  });

  it('fails closed on a string that never closes: past it, structure cannot be told from text', () => {
    expect(checkJsonShape(bytes('"unterminated'), WIDE)).toEqual({ kind: 'unterminated' });
    expect(checkJsonShape(bytes('{"a":"x\\"}'), WIDE)).toEqual({ kind: 'unterminated' });
    // UTF-16 bytes read as UTF-8: U+4122 is the byte pair 22 41, a quote that is none.
    expect(checkJsonShape(Buffer.from('{"h":"\u4122","x":[{},{}]}', 'utf16le'), WIDE)).toEqual({ kind: 'unterminated' });
  });

  it('counts what JSON.parse builds, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const text = JSON.stringify(value);
        const m = measure(JSON.parse(text));
        const body = bytes(text);
        const exact = { maxValues: m.values, maxContainers: m.containers, maxStringBytes: m.longest, maxDepth: m.depth };
        expect(checkJsonShape(body, exact)).toBeUndefined();
        expect(checkJsonShape(body, { ...exact, maxValues: m.values - 1 })?.kind).toBe('values');
        if (m.containers > 0) expect(checkJsonShape(body, { ...exact, maxContainers: m.containers - 1 })).toBeDefined();
        if (m.longest > 0) expect(checkJsonShape(body, { ...exact, maxStringBytes: m.longest - 1 })?.kind).toBe('string');
      }),
      { numRuns: 500 },
    );
  });
});
