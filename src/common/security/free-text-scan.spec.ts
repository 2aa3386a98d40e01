import { MAX_FIELD_PATH_CHARS, MAX_REPORTED_FIELDS, MAX_SCAN_CHARS, MAX_SCAN_FIELDS, scanFreeText } from './free-text-scan';

const SQL = "' OR 1=1 --";
const XSS = '<img src=x onerror=alert(1)>';
const scan = (sources: { params?: unknown; query?: unknown; body?: unknown }) => scanFreeText({ params: {}, query: undefined, body: undefined, ...sources });

describe('free-text scan of a request', () => {
  it('finds nothing in ordinary values, and copes with any body (undefined, null, array, scalar)', () => {
    for (const body of [undefined, null, [SQL], 'x', 42, { key_id: 'my-key.1' }, { key_id: 7 }]) {
      expect(scan({ params: { key_id: 'my-key' }, query: { page: '2' }, body })).toBeUndefined();
    }
  });

  it('reads path parameters, query parameters and the body key_id, in that order', () => {
    expect(scan({ params: { key_id: 'update-2024' }, query: { q: XSS }, body: { key_id: SQL } })).toEqual({
      kinds: ['sql_injection_attempt', 'xss_attempt'],
      fields: ['path.key_id', 'query.q', 'body.key_id'],
      count: 3,
    });
  });

  it('skips every other body field, nested values and non-strings', () => {
    const body = { note: SQL, plaintext: XSS, nested: { key_id: SQL }, list: [SQL], key: { key_id: SQL } };
    expect(scan({ body, query: { arr: [SQL, XSS], obj: { a: SQL } }, params: { n: 1 } })).toBeUndefined();
  });

  it('reads own properties only (a key_id on the prototype is not the body’s)', () => {
    const body = Object.create({ key_id: SQL }) as object;
    expect(scan({ body })).toBeUndefined();
    expect(scan({ body: JSON.parse('{"__proto__": {"key_id": "x"}, "constructor": "drop table"}') })).toBeUndefined();
  });

  it(`scans the first ${MAX_SCAN_CHARS} characters of a field only`, () => {
    const fits = `${'a'.repeat(MAX_SCAN_CHARS - 7)} select`;
    expect(fits).toHaveLength(MAX_SCAN_CHARS);
    expect(scan({ body: { key_id: fits } })).toBeDefined();
    expect(scan({ body: { key_id: `a${fits}` } })).toBeUndefined();
    expect(scan({ body: { key_id: `${'<a on'.repeat(40_000)} select` } })).toBeUndefined();
  });

  it(`scans at most ${MAX_SCAN_FIELDS} fields and names at most ${MAX_REPORTED_FIELDS}, each path cut to ${MAX_FIELD_PATH_CHARS}`, () => {
    const query = Object.fromEntries(Array.from({ length: MAX_SCAN_FIELDS + 20 }, (_, i) => [`q${i}`, SQL]));
    const hits = scan({ query, body: { key_id: XSS } });
    expect(hits).toEqual({ kinds: ['sql_injection_attempt'], fields: Array.from({ length: MAX_REPORTED_FIELDS }, (_, i) => `query.q${i}`), count: MAX_SCAN_FIELDS });

    const long = `query.${'k'.repeat(500)}`;
    expect(scan({ query: { ['k'.repeat(500)]: SQL } })?.fields).toEqual([long.slice(0, MAX_FIELD_PATH_CHARS)]);
  });
});
