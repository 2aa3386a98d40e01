'use strict';
/**
 * Input-scan section of `npm run bench`: for each rule of the injection scan
 * (`dist/common/security/input-sanitiser.js`), the time to scan 2 MiB of benign text (prose and
 * JSON-ish fields) and 2 MiB of the rule's worst adversarial input (runs that start the rule
 * without finishing it), their ratio, and the growth from 512 KiB to 2 MiB of that input (≈ 4
 * for a linear scan, ≈ 16 for a quadratic one). The same for the whole detector (`detectInjection`,
 * every rule) against the worst of all adversarial inputs (target ≤ 8×; the unit spec
 * `src/common/security/input-sanitiser.property.spec.ts` checks decisions and counts the reads of
 * the hand-written scan, it times nothing). The inputs: near misses repeated, long runs behind a
 * head, and fixed-seed mixtures of each rule's pieces and of all of them. Medians of REPS runs,
 * after a warm-up, all in this process.
 *
 * Alone: `node bench/scan.js` (after `npm run build`) prints the figures as JSON.
 */
const { existsSync } = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { ROOT, round } = require('./lib');

const MODULE = path.join(ROOT, 'dist', 'common', 'security', 'input-sanitiser.js');
const SIZE = 2 * 1024 * 1024;
const REPS = Number(process.env.BENCH_SCAN_REPS || 7);
const TARGET_RATIO = 8;

/** A sequential string (not a rope of repeats), as a parsed request body holds. */
const flat = (s) => JSON.parse(JSON.stringify(s));
const fill = (unit, size = SIZE) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

// Adversarial inputs of `size` characters. Each starts with `=`, so the detector's trigger
// pre-check lets every rule run (most near misses hold no trigger character).
/** Repeats of a near miss. */
const repeat = (unit) => (size) => flat(`=${fill(unit, size - 1)}`);
/** `head` then one long run of `body`: what a quantifier behind the head reads. */
const run = (head, body) => (size) => flat(`=${head}${fill(body, size - 1 - head.length)}`);

const BENIGN =
  'The cells grow and divide, or rest for a while before the next step; results are kept for review. ' +
  '{"name": "sample 12", "values": [1, 2, 3.5], "note": "ok", "at": "2024-01-01T10:30:00Z"} ';

/**
 * Per rule: near misses repeated, pieces that start a match without finishing it (mixed below),
 * and runs its quantifiers read behind a head.
 */
const INPUTS = {
  'sql-keyword': { repeats: ['selec ', 'xselect_'], pieces: ['selec', 'selectx', 'xselect', 'union_', 'drop1', 'alte', 'SELECT_', 'updat', ' '], runs: [['', 'selec']] },
  'sql-comment': { repeats: ['-a', '/a*a'], pieces: ['-', '-a', '/', 'a*', '@a', '- ', '/ *', '*'], runs: [['', '-a'], ['', '/a']] },
  'sql-variable': { repeats: ['a@', '@ '], pieces: ['@', 'a@', '.@', '@.', '@ ', 'x@y', '_@'], runs: [['', '@'], ['', 'a@'], ['', '@ ']] },
  'sql-comparison': {
    repeats: ['or ', 'or 1 ', 'or or '],
    pieces: ['or ', 'or 1 ', 'or aaaa', "or '", 'and  ', 'or or ', ' = ', 'and 1', "or 'a' ", '1', 'a', ' '],
    runs: [['or ', 'a'], ['or 1', ' '], ['or', ' '], ['or ', '1'], ['or a', ' '], ['', 'or '], ['', 'and 1 ']],
  },
  'xss-script-tag': { repeats: ['<', '< scrip'], pieces: ['<', '< ', '<scrip', '< scrip', '<scripts', '<\t', 'script'], runs: [['<', ' '], ['', '< ']] },
  'xss-javascript-scheme': { repeats: ['javascript '], pieces: ['javascript', 'javascript ', 'javascrip', 'javascript\t\n', 'java'], runs: [['javascript', ' '], ['', 'javascript ']] },
  'xss-iframe-tag': { repeats: ['< ifram'], pieces: ['<', '< ', '<ifram', '< iframe_', 'iframe'], runs: [['<', ' '], ['', '<ifram']] },
  'xss-handler-in-tag': {
    repeats: ['<', '<a on', '<a onx ', '<>'],
    pieces: ['<', '<a on', '< onx', '<a onload ', 'on', ' on', '<onerror', 'x', ' '],
    runs: [['<a on', 'x'], ['', '<'], ['', '<a on'], ['<', ' onx'], ['<a onx', ' '], ['', '< ']],
  },
  'xss-handler-after-quote': {
    repeats: ["'", "' onx "],
    pieces: ["'", "' on", "'onx", '"on ', '` onload ', '"', ' '],
    runs: [["' on", 'x'], ["'", ' '], ["'onx", ' '], ['', "'"], ['', "' onx "]],
  },
};
/** Mixtures per rule, and of the pieces of every rule for the whole detector. */
const MIXTURES = 3;

/** A fixed-seed generator (mulberry32), so every run mixes the same pieces. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` repeats of 1-8 pieces drawn from `pieces`. */
function mixtures(pieces, count, random) {
  return Array.from({ length: count }, () => repeat(Array.from({ length: 1 + Math.floor(random() * 8) }, () => pieces[Math.floor(random() * pieces.length)]).join('')));
}

/** Every adversarial input of a rule. */
function makersOf({ repeats, pieces, runs }, random) {
  return [...repeats.map(repeat), ...runs.map(([head, body]) => run(head, body)), ...mixtures(pieces, MIXTURES, random)];
}

function timeMs(fn, value) {
  const started = performance.now();
  fn(value);
  return performance.now() - started;
}

function median(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Benign and worst adversarial cost of `fn`, with the worst input's growth from 512 KiB to
 * 2 MiB. The worst input is picked first; then the benign text, the worst input and its quarter
 * are timed in turn, so a slow spell of the machine (or the pick's own luck) hits all three.
 */
function measure(fn, benign, makers) {
  let worst = { ms: -1 };
  for (const make of makers) {
    const value = make(SIZE);
    const ms = median(Array.from({ length: REPS }, () => timeMs(fn, value)));
    if (ms > worst.ms) worst = { ms, make, value };
  }
  const quarter = worst.make(SIZE / 4);
  const times = { benign: [], full: [], quarter: [] };
  for (let i = 0; i < REPS; i++) {
    times.benign.push(timeMs(fn, benign));
    times.full.push(timeMs(fn, worst.value));
    times.quarter.push(timeMs(fn, quarter));
  }
  const [benignMs, fullMs, quarterMs] = [median(times.benign), median(times.full), median(times.quarter)];
  return {
    benignMs: round(benignMs, 3),
    adversarialMs: round(fullMs, 3),
    ratio: round(fullMs / benignMs, 2),
    growth4xSize: round(fullMs / quarterMs, 2),
    worstInput: `${JSON.stringify(worst.value.slice(0, 12))}…`,
  };
}

/**
 * @param {{ log?: (line: string) => void }} ctx
 * @returns {{ sizeBytes: number, reps: number, targetRatio: number, detector: object, rules: Record<string, object> }}
 */
function benchScan({ log = () => {} } = {}) {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- this repository's built input sanitiser in dist/
  if (!existsSync(MODULE)) throw new Error('dist/common/security/input-sanitiser.js missing: run `npm run build`');
  // eslint-disable-next-line security/detect-non-literal-require -- this repository's built input sanitiser in dist/
  const { SCAN_PATTERNS, detectInjection } = require(MODULE);
  // eslint-disable-next-line security/detect-object-injection -- `name` is a rule name of the service's own SCAN_PATTERNS
  const missing = SCAN_PATTERNS.map((p) => p.name).filter((name) => !INPUTS[name]);
  if (missing.length > 0) throw new Error(`bench/scan.js has no adversarial input for ${missing.join(', ')}`);
  log(`input scan: ${SCAN_PATTERNS.length} rules, 2 MiB inputs, medians of ${REPS}`);

  const benign = flat(fill(BENIGN));
  if (detectInjection(benign) !== undefined) throw new Error('the benign text matches a rule');
  // Warm-up: let V8 optimise the scans and compile the regexes before anything is timed.
  const random = seeded(20260308);
  const adversarial = Object.fromEntries(Object.entries(INPUTS).map(([name, inputs]) => [name, makersOf(inputs, random)]));
  const everyPiece = Object.values(INPUTS).flatMap((inputs) => inputs.pieces);
  const small = Object.values(adversarial).flatMap((makers) => makers.map((make) => make(SIZE / 16)));
  for (let i = 0; i < 5; i++) {
    for (const value of [benign, ...small]) {
      detectInjection(value);
      for (const pattern of SCAN_PATTERNS) pattern.test(value);
    }
  }

  const rules = {};
  for (const pattern of SCAN_PATTERNS) rules[pattern.name] = measure(pattern.test, benign, adversarial[pattern.name]);
  const detector = measure(detectInjection, benign, [...Object.values(adversarial).flat(), ...mixtures(everyPiece, MIXTURES * 3, random)]);
  return { sizeBytes: SIZE, reps: REPS, targetRatio: TARGET_RATIO, detector: { ...detector, met: detector.ratio <= TARGET_RATIO }, rules };
}

module.exports = { benchScan };

if (require.main === module) {
  try {
    process.stdout.write(`${JSON.stringify(benchScan({ log: (line) => process.stderr.write(`${line}\n`) }), null, 2)}\n`);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
