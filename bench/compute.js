'use strict';
/**
 * Compute section of `npm run bench`: latency of /simulate at three sizes, /validate at the
 * defaults and /federated/aggregate with 200 x 1000 values, plus /health latency while four
 * 256 x 1000 simulations run. Each figure carries its target and the Python reference's figure
 * on the same 2-core machine.
 *
 * run.js calls benchCompute against the started (guarded) service; it can also run alone
 * against a service started with `node dist/main.js`: node bench/compute.js [baseUrl]
 * (MFN_BENCH_API_KEY supplies the key when authentication is on).
 */
const { percentiles, round } = require('./lib');

/** Targets (ms) and the reference's figures; the last word is the statistic compared. */
const TARGETS = {
  simulate_256x1000_ms: { target: 500, reference: 1120 },
  validate_defaults_ms: { target: 150, reference: 358 },
  aggregate_200x1000_ms: { target: 100, reference: 198 },
  health_p99_under_load_ms: { target: 50, reference: 5500 },
};

/** One POST of an already serialised body (so serialisation is not timed); throws unless 200. */
async function timedPost(baseUrl, headers, path, payload) {
  const started = process.hrtime.bigint();
  const res = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: payload });
  await res.arrayBuffer();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  return ms;
}

/** Percentiles of `runs` sequential requests after one warm-up. */
async function sequential(baseUrl, headers, path, body, runs) {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  await timedPost(baseUrl, headers, path, payload);
  const times = [];
  for (let k = 0; k < runs; k++) times.push(await timedPost(baseUrl, headers, path, payload));
  return percentiles(times);
}

/** A figure: the median (or p99) in ms, its target and the reference's figure when there is one. */
function figure(name, ms, extra = {}) {
  // eslint-disable-next-line security/detect-object-injection -- `name` is one of the figure names built in this file
  const t = TARGETS[name];
  const out = { ms: round(ms), ...extra };
  if (t) Object.assign(out, { targetMs: t.target, pythonReferenceMs: t.reference, met: ms <= t.target });
  return out;
}

/**
 * @param {{ baseUrl: string, headers?: Record<string, string>, log?: (line: string) => void }} ctx
 * @returns {Promise<Record<string, object>>} one entry per figure ({ ms, targetMs?, pythonReferenceMs?, met?, ... }).
 */
async function benchCompute({ baseUrl, headers = {}, log = () => {} }) {
  const results = {};

  for (const [grid, steps, runs] of [
    [64, 64, 20],
    [128, 200, 10],
    [256, 1000, 5],
  ]) {
    const name = `simulate_${grid}x${steps}_ms`;
    log(`compute: POST /simulate ${grid} x ${steps}, ${runs} runs`);
    const p = await sequential(baseUrl, headers, '/simulate', { grid_size: grid, steps }, runs);
    // eslint-disable-next-line security/detect-object-injection -- `name` is one of the figure names built in this file
    results[name] = figure(name, p.p50, { maxMs: p.max, cellStepsPerSec: Math.round((grid * grid * steps) / (p.p50 / 1000)) });
  }

  log('compute: POST /validate (defaults), 10 runs');
  const validate = await sequential(baseUrl, headers, '/validate', {}, 10);
  results.validate_defaults_ms = figure('validate_defaults_ms', validate.p50, { maxMs: validate.max });

  log('compute: POST /federated/aggregate, 200 gradients x 1000 values, 10 runs');
  const gradients = Array.from({ length: 200 }, (_, i) => Array.from({ length: 1000 }, (_, j) => Math.sin(i * 0.37 + j * 0.011) * 0.01));
  const body = JSON.stringify({ gradients });
  const aggregate = await sequential(baseUrl, headers, '/federated/aggregate', body, 10);
  results.aggregate_200x1000_ms = figure('aggregate_200x1000_ms', aggregate.p50, { maxMs: aggregate.max, bodyBytes: Buffer.byteLength(body) });

  log('compute: GET /health while 4 concurrent 256 x 1000 simulations run');
  let running = true;
  const load = Promise.all(
    [1, 2, 3, 4].map((seed) => timedPost(baseUrl, headers, '/simulate', JSON.stringify({ grid_size: 256, steps: 1000, seed }))),
  ).finally(() => {
    running = false;
  });
  const latencies = [];
  while (running) {
    const started = process.hrtime.bigint();
    const res = await fetch(`${baseUrl}/health`, { headers });
    await res.arrayBuffer();
    latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const simulations = await load;
  const health = percentiles(latencies);
  results.health_p50_under_load_ms = figure('health_p50_under_load_ms', health.p50);
  results.health_p99_under_load_ms = figure('health_p99_under_load_ms', health.p99, {
    samples: health.n,
    maxMs: health.max,
    simulationsMs: simulations.map((ms) => round(ms)),
  });
  return results;
}

module.exports = { benchCompute };

if (require.main === module) {
  const baseUrl = process.argv[2] || 'http://127.0.0.1:8000';
  const apiKey = process.env.MFN_BENCH_API_KEY;
  benchCompute({ baseUrl, headers: apiKey ? { 'x-api-key': apiKey } : {}, log: (line) => process.stderr.write(`${line}\n`) })
    .then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`))
    .catch((err) => {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    });
}
