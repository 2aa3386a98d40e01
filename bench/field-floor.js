'use strict';
/**
 * The C floor of the 256 x 1000 /simulate: bench/field-kernel.c, a port of the core's field
 * simulation, compiled here with the system C compiler and run on the very draws the service's
 * generator makes for the same seed. Its final field must equal the core's bit for bit, there
 * and on the CHECKS runs (else the section fails: the port no longer does the service's work);
 * then its time is the floor the service's figure is compared against. The core
 * (src/simulation/core, compiled in dist/) is timed in this process too, interleaved with the C
 * runs, so the ratio of the two is less exposed to a busy machine than the ratio to the HTTP
 * figure measured earlier.
 *
 * Skipped (undefined) when no C compiler is installed. Can run alone after `npm run build`:
 * node bench/field-floor.js
 */
const { execFileSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { ROOT, percentiles } = require('./lib');

const KERNEL = path.join(__dirname, 'field-kernel.c');
const CFLAGS = ['-O3', '-march=native', '-ffp-contract=off'];
/** The /simulate defaults besides the size (seed 42, alpha 0.18, spike probability 0.25, Turing on at 0.75). */
const RUN = { seed: 42, gridSize: 256, steps: 1000, alpha: 0.18, spikeProbability: 0.25, turingEnabled: true, turingThreshold: 0.75 };
/**
 * Further runs the port must match before it is timed. At 0.75 the pair never fires, so RUN's
 * field does not depend on it; at 0.05 it fires and its arithmetic reaches the field.
 */
const CHECKS = [
  { ...RUN, seed: 7, gridSize: 64, steps: 300, turingThreshold: 0.05 },
  { ...RUN, seed: 8, gridSize: 33, steps: 200, alpha: 0.3, spikeProbability: 1, turingEnabled: false },
];

function compile(dir) {
  const binary = path.join(dir, 'field-kernel');
  for (const cc of [process.env.CC, 'cc', 'gcc', 'clang'].filter(Boolean)) {
    try {
      execFileSync(cc, [...CFLAGS, '-o', binary, KERNEL, '-lm'], { stdio: 'pipe' });
      return { binary, compiler: cc };
    } catch {
      // try the next compiler
    }
  }
  return undefined;
}

/** The core's random source, recording every value it hands out (the kernel replays them). */
function recording(rng) {
  const values = [];
  const keep = (x) => (values.push(x), x);
  return {
    values,
    source: {
      nextDouble: () => keep(rng.nextDouble()),
      uniform: (low, high) => keep(rng.uniform(low, high)),
      normal: (mean, std) => keep(rng.normal(mean, std)),
      integer: (bound) => keep(rng.integer(bound)),
    },
  };
}

function fieldParams(run) {
  const { gridSize, steps, alpha, spikeProbability, turingEnabled, turingThreshold } = run;
  return { gridSize, steps, alpha, spikeProbability, turingEnabled, turingThreshold, quantumJitter: false };
}

/**
 * Writes the draws of `run` for the kernel; `run()` runs it (its milliseconds), `runAndCompare()`
 * also requires its final field to equal the core's bit for bit.
 */
function prepare(core, binary, dir, run, name) {
  const recorder = recording(core.createRng(run.seed));
  const expected = Buffer.from(core.simulateField(fieldParams(run), recorder.source).field.buffer);
  const drawsFile = path.join(dir, `${name}.draws`);
  const outFile = path.join(dir, `${name}.field`);
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- a file in the temporary directory this section creates
  writeFileSync(drawsFile, Buffer.from(Float64Array.from(recorder.values).buffer));
  const { gridSize, steps, alpha, spikeProbability, turingEnabled, turingThreshold } = run;
  const args = [drawsFile, outFile, gridSize, steps, alpha, spikeProbability, turingEnabled ? 1 : 0, turingThreshold].map(String);
  const once = () => Number(execFileSync(binary, args, { encoding: 'utf8' }).trim());
  return {
    run: once,
    runAndCompare() {
      once();
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- a file in the temporary directory this section creates
      if (!readFileSync(outFile).equals(expected)) {
        throw new Error(`field-kernel.c no longer computes the core's field bit for bit (${JSON.stringify(run)}): update the port`);
      }
    },
  };
}

/**
 * @param {{ log?: (line: string) => void, reps?: number }} ctx
 * @returns {Promise<object | undefined>} C and core medians (ms), their ratio, the compiler and flags.
 */
async function benchFieldFloor({ log = () => {}, reps = 5 } = {}) {
  // eslint-disable-next-line security/detect-non-literal-require -- this repository's built dist/simulation/core
  const core = require(path.join(ROOT, 'dist', 'simulation', 'core'));
  const dir = mkdtempSync(path.join(tmpdir(), 'mfn-field-floor-'));
  try {
    const built = compile(dir);
    if (!built) {
      log('field floor: no C compiler (cc, gcc, clang): skipped');
      return undefined;
    }
    const kernel = (run, name) => prepare(core, built.binary, dir, run, name);
    for (const [k, run] of CHECKS.entries()) kernel(run, `check${k}`).runAndCompare();
    const timed = kernel(RUN, 'run');
    log(`field floor: C kernel (${built.compiler} ${CFLAGS.join(' ')}) and the core in-process, ${RUN.gridSize} x ${RUN.steps}, ${reps} rounds`);
    timed.runAndCompare();
    const runC = timed.run;
    const params = fieldParams(RUN);
    const cMs = [];
    const coreMs = [];
    for (let r = 0; r < reps; r++) {
      cMs.push(runC());
      const started = process.hrtime.bigint();
      core.simulateField(params, core.createRng(RUN.seed));
      coreMs.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    const c = percentiles(cMs).p50;
    const js = percentiles(coreMs).p50;
    return { cFloorMs: c, coreMs: js, coreOverC: Math.round((js / c) * 100) / 100, compiler: built.compiler, cflags: CFLAGS.join(' '), bitIdentical: true };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { benchFieldFloor };

if (require.main === module) {
  benchFieldFloor({ log: (line) => process.stderr.write(`${line}\n`) })
    .then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`))
    .catch((err) => {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    });
}
