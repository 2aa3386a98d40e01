'use strict';
/**
 * Input-scan section of `npm run bench`: for each rule of the injection scan
 * (`dist/common/security/input-sanitiser.js`), the time to scan 2 MiB of benign text (prose and
 * JSON-ish fields) and 2 MiB of the rule's worst adversarial input (runs that start the rule
 * without finishing it), their ratio, and the growth from 512 KiB to 2 MiB of that input (≈ 4
 * for a linear scan, ≈ 16 for a quadratic one). The same for the whole detector (`detectInjection`,
 * every rule) against the worst of all adversarial inputs: the figure the unit spec
 * `src/common/security/input-sanitiser.property.spec.ts` bounds (≤ 8×). Medians of REPS runs,
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

const ADVERSARIAL = {
  'sql-keyword': [repeat('selec '), repeat('xselect_')],
  'sql-comment': [repeat('-a'), repeat('/a*a')],
  'sql-variable': [repeat('a@'), repeat('@ ')],
  'sql-comparison': [repeat('or '), repeat('or 1 '), repeat('or or '), run('or ', 'a'), run('or 1', ' ')],
  'xss-script-tag': [repeat('<'), repeat('< scrip'), run('<', ' ')],
  'xss-javascript-scheme': [repeat('javascript '), run('javascript', ' ')],
  'xss-iframe-tag': [repeat('< ifram'), run('<', ' ')],
  'xss-handler-in-tag': [repeat('<'), repeat('<a on'), repeat('<a onx '), repeat('<>'), run('<a on', 'x')],
  'xss-handler-after-quote': [repeat("'"), repeat("' onx "), run("' on", 'x')],
};

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
  const missing = SCAN_PATTERNS.map((p) => p.name).filter((name) => !ADVERSARIAL[name]);
  if (missing.length > 0) throw new Error(`bench/scan.js has no adversarial input for ${missing.join(', ')}`);
  log(`input scan: ${SCAN_PATTERNS.length} rules, 2 MiB inputs, medians of ${REPS}`);

  const benign = flat(fill(BENIGN));
  if (detectInjection(benign) !== undefined) throw new Error('the benign text matches a rule');
  // Warm-up: let V8 optimise the scans and compile the regexes before anything is timed.
  const small = Object.values(ADVERSARIAL).flatMap((makers) => makers.map((make) => make(SIZE / 16)));
  for (let i = 0; i < 5; i++) {
    for (const value of [benign, ...small]) {
      detectInjection(value);
      for (const pattern of SCAN_PATTERNS) pattern.test(value);
    }
  }

  const rules = {};
  for (const pattern of SCAN_PATTERNS) rules[pattern.name] = measure(pattern.test, benign, ADVERSARIAL[pattern.name]);
  const detector = measure(detectInjection, benign, Object.values(ADVERSARIAL).flat());
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
