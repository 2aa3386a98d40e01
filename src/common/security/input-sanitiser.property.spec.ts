import fc from 'fast-check';
import { detectInjection, InjectionKind, SCAN_PATTERNS } from './input-sanitiser';

/**
 * The rules as they were: backtracking regexes, one of them quadratic
 * (`<[^>]*\bon[a-z]+\s*=` retried `[^>]*` from every `<`). They are the reference the rewritten
 * rules must agree with, on strings short enough for the old regexes to be fast.
 */
const ORACLE: Record<string, readonly RegExp[]> = {
  'sql-keyword': [/\b(?:select|insert|update|delete|drop|union|alter)\b/i],
  'sql-comment': [/--|\/\*|\*\/|@@/],
  'sql-variable': [/(?:^|[^\w@.])@\w/],
  'sql-comparison': [/\b(?:or|and)\s+\d+\s*=\s*\d+/i, /\b(?:or|and)\s+['"]?\w+['"]?\s*=\s*['"]?\w+/i],
  'xss-script-tag': [/<\s*script\b/i],
  'xss-javascript-scheme': [/javascript\s*:/i],
  'xss-iframe-tag': [/<\s*iframe\b/i],
  'xss-handler-in-tag': [/<[^>]*\bon[a-z]+\s*=/i],
  'xss-handler-after-quote': [/["'`]\s*on[a-z]+\s*=/i],
};
const ORACLE_TRIGGER = /[-/*@=<:'"`]|\b(?:select|insert|update|delete|drop|union|alter)\b/i;
const ORACLE_SQL = Object.keys(ORACLE).filter((name) => name.startsWith('sql-'));
const ORACLE_XSS = Object.keys(ORACLE).filter((name) => name.startsWith('xss-'));

// eslint-disable-next-line security/detect-object-injection -- `name` comes from Object.keys(ORACLE) (ORACLE_SQL, ORACLE_XSS)
const oracleMatches = (name: string, value: string): boolean => ORACLE[name].some((re) => re.test(value));

function oracleDetect(value: string): InjectionKind | undefined {
  if (!ORACLE_TRIGGER.test(value)) return undefined;
  if (ORACLE_SQL.some((name) => oracleMatches(name, value))) return 'sql_injection_attempt';
  if (ORACLE_XSS.some((name) => oracleMatches(name, value))) return 'xss_attempt';
  return undefined;
}

/** Tokens the rules are made of, their near misses, and characters at the edges of their classes. */
const TOKENS = [
  '<', '>', '=', ';', "'", '"', '`', '-', '/', '*', '@', ':', '.', '_', ' ', '  ', '\t', '\n', '\r', '\u000b', '\u00a0',
  '\u2028', '\u3000', '\ufeff', '\u200b', 'on', 'On', 'oN', 'ON', 'or', 'OR', 'Or', 'and', 'AND', 'an', 'select', 'SELECT',
  'selection', 'update', 'drop', 'union', 'alter', 'insert', 'delete', 'script', 'SCRIPT', 'scrip', 'iframe', 'IFrame',
  'javascript', 'JavaScript', 'javascrip', 'load', 'error', 'x', 'a', 'Z', '1', '42', '0', 'img', 'src', '\u017f', '\u212a',
  '\u0131', '\u00e9', '\u{1f600}',
];
const CHARS = [...new Set(TOKENS.join(''))];

/**
 * Each rule's shape, slot by slot: the first option of every slot completes a match, the others
 * are near misses (a missing space, a wrong letter, a `>` inside a tag, a Unicode space, …), so
 * every rule is hit, and barely missed, often.
 */
const SHAPES: Record<string, string[][]> = {
  'sql-keyword': [['', 'x', ' ', '_', '-', '1', '.'], ['select', 'SELECT', 'selec', 'update', 'drop', 'union', 'alter', 'insert', 'delete'], ['', 'x', ' ', '_', '-', '1', 's', '.']],
  'sql-comment': [['', 'x', ' '], ['-', '/', '*', '@', ''], ['-', '*', '/', '@', '', ' ']],
  'sql-variable': [['', 'x', '.', ' ', '@', '_', '-', ';'], ['@', ''], ['', 'a', '1', '_', '.', ' ', '@']],
  'sql-comparison': [
    ['', 'x', ' ', "'", '_', '1'], ['or', 'OR', 'and', 'An', 'nor', 'o', 'xor'], [' ', '', '  ', '\t', '\u00a0', '\u2028'], ['', "'", '"', '`'],
    ['1', 'a', 'or', '_x', '', '\u00e9', '42'], ['', "'", '"'], ['', ' ', '\n'], ['=', '', '==', ':'], ['', ' ', '\u3000'], ['', "'", '"'], ['1', 'a', '', '-', 'x', '_'],
  ],
  'xss-script-tag': [['', 'x', '<', '>'], ['<', '', '>'], ['', ' ', '\t', '\u3000', '\u200b'], ['script', 'SCRIPT', 'scrip', 'iframe', 'IFRAME', 'ifram'], ['', '>', ' ', 'x', '1', '_', '-']],
  'xss-javascript-scheme': [['', 'x', ' '], ['javascript', 'JavaScript', 'javascrip', 'java'], ['', ' ', '\n', '\u00a0', '\ufeff'], [':', '', ';', '=']],
  'xss-iframe-tag': [['<', ' <', '< '], ['iframe', 'iFrame', 'ifram'], ['', ' ', '_', '>']],
  'xss-handler-in-tag': [
    ['', 'x', '<', '>'], ['<', '', '>'], ['', 'a', 'img src=x', '>', '<b', 'a>b'], ['', ' ', '/', '"', '_', 'x', '1'], ['on', 'ON', 'o', 'no', 'On'],
    ['error', '', 'load', 'x1', '_', 'E'], ['', ' ', '\u2028', '\t'], ['=', '', '>', ':'],
  ],
  'xss-handler-after-quote': [['', 'x', ' '], ["'", '"', '`', '', 'x'], ['', ' ', '\t', '\u00a0'], ['on', 'On', 'o', 'no'], ['load', '', 'x', '1'], ['', ' '], ['=', '', '==']],
};
const slotOf = (options: string[]) => fc.oneof({ weight: 3, arbitrary: fc.constant(options[0]) }, { weight: 1, arbitrary: fc.constantFrom(...options) });
const shapeOf = (slots: string[][]) => fc.tuple(...slots.map(slotOf)).map((parts) => parts.join(''));
const shapedText = fc
  .array(fc.oneof(...Object.values(SHAPES).map(shapeOf), fc.constantFrom(...TOKENS)), { maxLength: 8, size: 'max' })
  .map((parts) => parts.join('').slice(0, 200));

// `size: 'max'` spreads lengths over the whole range (the default keeps arrays short).
const tokenText = fc.array(fc.constantFrom(...TOKENS), { maxLength: 60, size: 'max' }).map((parts) => parts.join('').slice(0, 200));
const charText = fc.string({ unit: fc.constantFrom(...CHARS), maxLength: 200, size: 'max' });
const shortText = fc.oneof({ weight: 3, arbitrary: shapedText }, tokenText, charText, fc.string({ maxLength: 200 }));

describe('the rules decide as the former regexes did', () => {
  it('has a reference for every rule', () => {
    expect(SCAN_PATTERNS.map((p) => p.name).sort()).toEqual(Object.keys(ORACLE).sort());
  });

  it('the generated strings both hit and miss every rule (the agreement below is not vacuous)', () => {
    const samples = fc.sample(shortText, { numRuns: 5_000, seed: 1 });
    for (const name of Object.keys(ORACLE)) {
      const hits = samples.filter((v) => oracleMatches(name, v)).length;
      expect({ name, hits: hits > 25, misses: samples.length - hits > 25 }).toEqual({ name, hits: true, misses: true });
    }
  });

  it('every rule decides as its regex did, on short strings rich in the rules’ tokens', () => {
    fc.assert(
      fc.property(shortText, (value) => {
        for (const pattern of SCAN_PATTERNS) {
          if (pattern.test(value) !== oracleMatches(pattern.name, value)) throw new Error(`${pattern.name} disagrees on ${JSON.stringify(value)}`);
        }
      }),
      { numRuns: 50_000 },
    );
  });

  it('detectInjection reports the kind the former detector reported', () => {
    fc.assert(
      fc.property(shortText, (value) => detectInjection(value) === oracleDetect(value)),
      { numRuns: 50_000 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Cost of the hand-written scan, counted in characters read, not timed: a rescan from every `<`
// (what made the former regex quadratic) reads n²/2 of them. Timings of every rule on 2 MiB
// adversarial inputs against benign text are a section of `npm run bench` (bench/scan.js).

const SIZE = 16 * 1024;
const HANDLER_IN_TAG = SCAN_PATTERNS.find((p) => p.name === 'xss-handler-in-tag')!;

/**
 * `text` behind the three members the scan reads it through, counting the characters each call
 * reads (an `indexOf` reads up to its hit) and throwing once they pass `limit`, so a runaway
 * scan fails at once. A conversion to a string (a regex, a template) throws and any other member
 * is missing, so nothing is read uncounted.
 */
function countingView(text: string, limit: number): string {
  let reads = 0;
  const count = (n: number) => {
    reads += n;
    if (reads > limit) throw new Error(`scanning ${JSON.stringify(text.slice(0, 40))}… (${text.length} characters) read more than ${limit} characters`);
  };
  const view = {
    length: text.length,
    charCodeAt(at: number): number {
      count(1);
      return text.charCodeAt(at);
    },
    indexOf(search: string, from = 0): number {
      const start = Math.max(0, Math.trunc(from));
      const at = text.indexOf(search, start);
      count((at === -1 ? text.length : at + search.length) - start);
      return at;
    },
    [Symbol.toPrimitive](): never {
      throw new Error('the scan converted its input to a string: extend countingView to count what it reads');
    },
  };
  return view as unknown as string;
}

/** At most two reads per character, plus one past each end. */
const readLimit = (value: string): number => 2 * value.length + 2;

/** Throws unless the scan stays within `readLimit` on `value` and decides as on the string itself. */
function readsLinearly(value: string): void {
  if (HANDLER_IN_TAG.test(countingView(value, readLimit(value))) !== HANDLER_IN_TAG.test(value)) {
    throw new Error(`the counted scan decided otherwise on ${JSON.stringify(value.slice(0, 40))}…`);
  }
}

const fill = (unit: string, size = SIZE): string => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

/** Pieces that start a handler in a tag without finishing it, and runs the scan reads after a head. */
const IN_TAG_PIECES = ['<', '<a on', '< onx', '<a onload ', 'on', ' on', '<onerror', 'x', ' ', '>', '\t', 'ON'];
const IN_TAG_RUNS: Array<[head: string, run: string]> = [['', '<'], ['', '<a on'], ['<a on', 'x'], ['<', ' onx'], ['<a onx', ' '], ['', '< '], ['<', 'on '], ['<on', ' ']];

describe('the hand-written in-tag scan reads each character at most twice', () => {
  it('on long runs after a head', () => {
    for (const [head, run] of IN_TAG_RUNS) readsLinearly(head + fill(run, SIZE - head.length));
  });

  it('on repeated random mixtures of near misses, and of the tokens of every rule', () => {
    const mixtures = (pieces: string[]) => fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 8 }).map((parts) => fill(parts.join('')));
    fc.assert(fc.property(mixtures(IN_TAG_PIECES), readsLinearly), { numRuns: 100 });
    fc.assert(fc.property(mixtures([...IN_TAG_PIECES, ...TOKENS]), readsLinearly), { numRuns: 100 });
  });

  it('on short strings rich in the rules’ tokens', () => {
    fc.assert(fc.property(shortText, readsLinearly), { numRuns: 20_000 });
  });

  it('counts what it claims: a scan that restarts at every `<` is caught', () => {
    // The quadratic shape of the former regex, reading through the same members.
    const rescanning = (s: string): boolean => {
      for (let at = s.indexOf('<'); at !== -1; at = s.indexOf('<', at + 1)) {
        for (let j = at + 1; j < s.length && s.charCodeAt(j) !== 62; j++);
      }
      return false;
    };
    const value = fill('<', 512);
    expect(() => rescanning(countingView(value, readLimit(value)))).toThrow(/read more than 1026 characters/);
  });
});
