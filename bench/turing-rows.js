'use strict';
/* eslint-disable security/detect-object-injection -- developer tool: integer indexes 0 and 1 into the base/candidate pairs */
/**
 * A/B of two builds of the numerical core in one process: the 256 x 1000 /simulate run
 * (simulateField at the /simulate defaults) and, finer, the activator/inhibitor pair's steps
 * alone. Written to weigh variants of the pair's row loop (src/simulation/core/turing-rows.ts),
 * usable for any change of the core that must keep its field bit for bit.
 *
 *   node bench/turing-rows.js <base> [<candidate>]
 *
 * Each side is a directory holding a compiled core (its index.js) or a git revision, whose
 * src/simulation/core is compiled into a temporary directory; the candidate defaults to
 * dist/simulation/core (`npm run build` first). BENCH_ROUNDS sets the rounds (default 15).
 * Both sides must give the same field bit for bit before anything is timed. The sides alternate
 * within each round (AB, then BA), and the pair's steps alternate by blocks of 8 (the horizon
 * check's period), so a busy spell of the machine falls on both; medians and quartiles are
 * reported, with the per-round (per-block) ratio candidate / base.
 */
const { execFileSync } = require('node:child_process');
const { existsSync, mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS || 15);
const RUN = { gridSize: 256, steps: 1000, alpha: 0.18, spikeProbability: 0.25, turingEnabled: true, turingThreshold: 0.75, quantumJitter: false };
/** At 0.75 the pair never fires; here it does, so its arithmetic reaches the field. */
const FIRING = { ...RUN, gridSize: 64, steps: 300, turingThreshold: 0.05 };
/** The horizon check's period (HORIZON_CHECK_INTERVAL) and the steps RUN integrates the pair (then proven inert). */
const BLOCK = 8;
const PAIR_STEPS = 464;

/** A compiled core: the directory itself, or the revision's src/simulation/core compiled with tsc. */
function coreDir(spec, temp) {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- developer tool: the directory the developer names on the command line
  if (existsSync(path.join(spec, 'index.js'))) return path.resolve(spec);
  const src = mkdtempSync(path.join(temp, 'src-'));
  const out = mkdtempSync(path.join(temp, 'core-'));
  const archive = execFileSync('git', ['-C', ROOT, 'archive', spec, 'src/simulation/core'], { maxBuffer: 64 << 20 });
  execFileSync('tar', ['-x', '-C', src], { input: archive });
  const dir = path.join(src, 'src', 'simulation', 'core');
  const tsc = path.join(ROOT, 'node_modules', '.bin', 'tsc');
  const options = ['--module', 'commonjs', '--target', 'ES2022', '--strict', '--skipLibCheck', '--outDir', out];
  execFileSync(tsc, [...options, path.join(dir, 'index.ts')], { encoding: 'utf8' });
  return out;
}

function load(dir) {
  // eslint-disable-next-line security/detect-non-literal-require -- developer tool: the compiled core the developer chose on the command line
  return { dir, core: require(path.join(dir, 'index.js')), pair: require(path.join(dir, 'turing-pair.js')) };
}

const ms = (started) => Number(process.hrtime.bigint() - started) / 1e6;

function quartiles(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.round(q * (s.length - 1))];
  const r = (x) => Math.round(x * 1000) / 1000;
  return { median: r(at(0.5)), q25: r(at(0.25)), q75: r(at(0.75)), min: r(s[0]), max: r(s[s.length - 1]), n: s.length };
}

function assertSameField(a, b) {
  for (const run of [RUN, FIRING]) {
    const fa = Buffer.from(a.core.simulateField(run, a.core.createRng(42)).field.buffer);
    const fb = Buffer.from(b.core.simulateField(run, b.core.createRng(42)).field.buffer);
    if (!fa.equals(fb)) throw new Error(`the two cores' fields differ (${JSON.stringify(run)})`);
  }
}

function simulateOnce(side) {
  const started = process.hrtime.bigint();
  side.core.simulateField(RUN, side.core.createRng(42));
  return ms(started);
}

/** One pass over the pair's integrated steps, both sides from the same state, alternating by blocks. */
function pairBlocks(sides, out) {
  const n = RUN.gridSize;
  const pairs = sides.map((s) => new s.pair.TuringPair(n * n, s.core.createRng(42)));
  for (let t0 = 0, b = 0; t0 < PAIR_STEPS; t0 += BLOCK, b++) {
    for (const i of b % 2 === 0 ? [0, 1] : [1, 0]) {
      const started = process.hrtime.bigint();
      for (let t = t0; t < t0 + BLOCK; t++) pairs[i].step(n, RUN.turingThreshold, (t + 1) % BLOCK === 0);
      out[i].push(ms(started));
    }
  }
}

function main() {
  const [baseSpec, candidateSpec = path.join(ROOT, 'dist', 'simulation', 'core')] = process.argv.slice(2);
  if (!baseSpec) throw new Error('usage: node bench/turing-rows.js <base dir or git revision> [<candidate>]');
  const temp = mkdtempSync(path.join(tmpdir(), 'mfn-turing-rows-'));
  try {
    const sides = [load(coreDir(baseSpec, temp)), load(coreDir(candidateSpec, temp))];
    assertSameField(sides[0], sides[1]);
    const sim = [[], []];
    const blocks = [[], []];
    for (let r = 0; r < ROUNDS; r++) {
      for (const i of r % 2 === 0 ? [0, 1] : [1, 0]) sim[i].push(simulateOnce(sides[i]));
      pairBlocks(sides, blocks);
      process.stderr.write(`round ${r + 1} of ${ROUNDS}\n`);
    }
    const ratios = (xs) => quartiles(xs[1].map((x, k) => x / xs[0][k]));
    return {
      base: baseSpec,
      candidate: candidateSpec,
      rounds: ROUNDS,
      simulate256x1000Ms: { base: quartiles(sim[0]), candidate: quartiles(sim[1]), ratio: ratios(sim) },
      pairBlockOf8Ms: { base: quartiles(blocks[0]), candidate: quartiles(blocks[1]), ratio: ratios(blocks) },
    };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

function report(r) {
  const f = (q) => `median ${q.median}  q25-q75 ${q.q25}-${q.q75}  min-max ${q.min}-${q.max}  n ${q.n}`;
  const lines = [`base ${r.base}, candidate ${r.candidate}, ${r.rounds} rounds, fields bit-identical`];
  for (const [name, m] of [['simulateField 256 x 1000 (ms)', r.simulate256x1000Ms], ['pair, blocks of 8 steps (ms)', r.pairBlockOf8Ms]]) {
    lines.push(name, `  base       ${f(m.base)}`, `  candidate  ${f(m.candidate)}`, `  ratio c/b  ${f(m.ratio)}`);
  }
  return `${lines.join('\n')}\n`;
}

process.stdout.write(report(main()));
