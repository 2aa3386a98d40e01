import fc from 'fast-check';
import { performance } from 'node:perf_hooks';
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
// Cost: a 2 MiB adversarial input against a 2 MiB benign one, measured alternately in this run.

const SIZE = 2 * 1024 * 1024;
/** Adversarial scans may cost at most this many benign scans (a quadratic rule costs thousands). */
const RATIO_LIMIT = 8;
const REPS = 5;

/** A fresh sequential string (not a rope of repeats), as a parsed request body holds. */
const flat = (s: string): string => JSON.parse(JSON.stringify(s)) as string;
/**
 * Adversarial inputs start with `=` so the trigger pre-check lets every rule run (most
 * near-miss runs hold no trigger character and would otherwise cost one class test).
 */
const armed = (s: string): string => flat(`=${s}`.slice(0, SIZE));
const fill = (unit: string, size = SIZE): string => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

const BENIGN = flat(
  fill(
    'The cells grow and divide, or rest for a while before the next step; results are kept for review. ' +
      '{"name": "sample 12", "values": [1, 2, 3.5], "note": "ok", "at": "2024-01-01T10:30:00Z"} ',
  ),
);

/** Pieces of each rule that start a match without finishing it, and runs its quantifiers read. */
const ADVERSARIAL: Record<string, { pieces: string[]; runs: Array<[head: string, run: string]> }> = {
  'sql-keyword': { pieces: ['selec', 'selectx', 'xselect', 'union_', 'drop1', 'alte', 'SELECT_', 'updat', ' '], runs: [['', 'selec']] },
  'sql-comment': { pieces: ['-', '-a', '/', 'a*', '@a', '- ', '/ *', '*'], runs: [['', '-a'], ['', '/a']] },
  'sql-variable': { pieces: ['@', 'a@', '.@', '@.', '@ ', 'x@y', '_@'], runs: [['', '@'], ['', 'a@'], ['', '@ ']] },
  'sql-comparison': {
    pieces: ['or ', 'or 1 ', 'or aaaa', "or '", 'and  ', 'or or ', ' = ', 'and 1', "or 'a' ", '1', 'a', ' '],
    runs: [['or', ' '], ['or ', 'a'], ['or 1', ' '], ['or ', '1'], ['or a', ' '], ['', 'or '], ['', 'and 1 ']],
  },
  'xss-script-tag': { pieces: ['<', '< ', '<scrip', '< scrip', '<scripts', '<\t', 'script'], runs: [['<', ' '], ['', '< ']] },
  'xss-javascript-scheme': { pieces: ['javascript', 'javascript ', 'javascrip', 'javascript\t\n', 'java'], runs: [['javascript', ' '], ['', 'javascript ']] },
  'xss-iframe-tag': { pieces: ['<', '< ', '<ifram', '< iframe_', 'iframe'], runs: [['<', ' '], ['', '<ifram']] },
  'xss-handler-in-tag': {
    pieces: ['<', '<a on', '< onx', '<a onload ', 'on', ' on', '<onerror', 'x', ' '],
    runs: [['', '<'], ['', '<a on'], ['<a on', 'x'], ['<', ' onx'], ['<a onx', ' '], ['', '< ']],
  },
  'xss-handler-after-quote': {
    pieces: ["'", "' on", "'onx", '"on ', '` onload ', '"', ' '],
    runs: [["'", ' '], ["' on", 'x'], ["'onx", ' '], ['', "'"], ['', "' onx "]],
  },
};

/** Random mixtures of a rule's pieces, repeated to 2 MiB. */
function mixtures(pieces: string[]): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 8 }).map((parts) => armed(fill(parts.join(''))));
}

/** One long run after a head: what a quantifier after the head would read. */
const longRun = ([head, body]: [string, string]): string => armed(head + fill(body, SIZE - head.length));

function medianMs(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeOnce(value: string): number {
  const started = performance.now();
  detectInjection(value);
  return performance.now() - started;
}

/** Medians of alternate benign and adversarial scans, so a slow spell of the machine hits both. */
function costRatio(value: string): { ratio: number; benignMs: number; adversarialMs: number } {
  const benign: number[] = [];
  const hostile: number[] = [];
  for (let i = 0; i < REPS; i++) {
    benign.push(timeOnce(BENIGN));
    hostile.push(timeOnce(value));
  }
  const benignMs = medianMs(benign);
  const adversarialMs = medianMs(hostile);
  return { ratio: adversarialMs / benignMs, benignMs, adversarialMs };
}

function withinLimit(value: string): void {
  const cost = costRatio(value);
  if (cost.ratio > RATIO_LIMIT) {
    throw new Error(
      `scanning ${JSON.stringify(value.slice(0, 40))}… cost ${cost.adversarialMs.toFixed(2)} ms, ` +
        `${cost.ratio.toFixed(1)}× the benign ${cost.benignMs.toFixed(2)} ms (limit ${RATIO_LIMIT}×)`,
    );
  }
}

describe('scan cost is linear: 2 MiB adversarial ≤ 8× 2 MiB benign', () => {
  // Each case times dozens of 2 MiB scans (about 2 s on a loaded machine): above the unit limit.
  const SCANS_TIMEOUT_MS = 30_000;

  beforeAll(() => {
    expect(BENIGN).toHaveLength(SIZE);
    // The benign text must run every rule to the end, or the baseline would be a short cut.
    expect(detectInjection(BENIGN)).toBeUndefined();
    // Warm-up: let V8 compile the scanners and the regexes before anything is timed.
    for (const { pieces, runs } of Object.values(ADVERSARIAL)) {
      timeOnce(BENIGN);
      timeOnce(armed(fill(pieces.join(''))));
      timeOnce(longRun(runs[0]));
    }
  }, SCANS_TIMEOUT_MS);

  it('has adversarial inputs for every rule', () => {
    expect(Object.keys(ADVERSARIAL).sort()).toEqual(SCAN_PATTERNS.map((p) => p.name).sort());
  });

  it.each(Object.keys(ADVERSARIAL))('%s: every long run, then random mixtures of its pieces', (name) => {
    // eslint-disable-next-line security/detect-object-injection -- `name` comes from Object.keys(ADVERSARIAL) (it.each above)
    const { pieces, runs } = ADVERSARIAL[name];
    for (const run of runs) withinLimit(longRun(run));
    fc.assert(fc.property(mixtures(pieces), withinLimit), { numRuns: 3 });
  }, SCANS_TIMEOUT_MS);

  it('random mixtures of every rule’s pieces', () => {
    fc.assert(fc.property(mixtures(Object.values(ADVERSARIAL).flatMap((a) => a.pieces)), withinLimit), { numRuns: 8 });
  }, SCANS_TIMEOUT_MS);
});
