'use strict';
/**
 * Compute benchmarks: latency of /simulate, /validate and /federated/aggregate, and /health
 * latency while four large simulations run. Each figure carries the target set for this
 * service and the Python reference's figure on the same machine.
 *
 * Used by bench/run.js (which starts the service); can also run alone against a started
 * service: node bench/compute.js [baseUrl]
 */

const TARGETS = {
  simulate_256x1000_ms: { target: 500, reference: 1120 },
  validate_defaults_ms: { target: 150, reference: 358 },
  aggregate_200x1000_ms: { target: 100, reference: 198 },
  health_p99_under_load_ms: { target: 50, reference: 5500 },
};

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

const round = (x) => Math.round(x * 100) / 100;

async function timedPost(baseUrl, headers, path, body) {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  const started = process.hrtime.bigint();
  const res = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: payload });
  await res.arrayBuffer();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  return ms;
}

/** Median of `runs` sequential requests after one warm-up. */
async function medianPost(baseUrl, headers, path, body, runs) {
  await timedPost(baseUrl, headers, path, body);
  const times = [];
  for (let k = 0; k < runs; k++) times.push(await timedPost(baseUrl, headers, path, body));
  times.sort((a, b) => a - b);
  return { median: percentile(times, 50), min: times[0], max: times[times.length - 1] };
}

function withTarget(name, ms, extra = {}) {
  const t = TARGETS[name];
  const figure = { ms: round(ms), ...extra };
  if (t) Object.assign(figure, { target_ms: t.target, python_reference_ms: t.reference, meets_target: ms <= t.target });
  return figure;
}

async function benchCompute({ baseUrl, headers = {}, log = () => {} }) {
  const results = {};

  for (const [grid, steps, runs] of [
    [64, 64, 20],
    [128, 200, 10],
    [256, 1000, 5],
  ]) {
    const name = `simulate_${grid}x${steps}_ms`;
    log(`/simulate ${grid}x${steps} (${runs} runs)`);
    const { median, min, max } = await medianPost(baseUrl, headers, '/simulate', { grid_size: grid, steps }, runs);
    results[name] = withTarget(name, median, {
      min_ms: round(min),
      max_ms: round(max),
      cell_steps_per_s: Math.round((grid * grid * steps) / (median / 1000)),
    });
  }

  log('/validate defaults (10 runs)');
  const validate = await medianPost(baseUrl, headers, '/validate', {}, 10);
  results.validate_defaults_ms = withTarget('validate_defaults_ms', validate.median, { min_ms: round(validate.min), max_ms: round(validate.max) });

  log('/federated/aggregate 200 x 1000 (10 runs)');
  const gradients = Array.from({ length: 200 }, (_, i) => Array.from({ length: 1000 }, (_, j) => Math.sin(i * 0.37 + j * 0.011) * 0.01));
  const body = JSON.stringify({ gradients });
  const aggregate = await medianPost(baseUrl, headers, '/federated/aggregate', body, 10);
  results.aggregate_200x1000_ms = withTarget('aggregate_200x1000_ms', aggregate.median, {
    min_ms: round(aggregate.min),
    max_ms: round(aggregate.max),
    body_bytes: Buffer.byteLength(body),
  });

  log('/health while 4 concurrent 256x1000 simulations run');
  let running = true;
  const load = Promise.all(
    [1, 2, 3, 4].map((seed) => timedPost(baseUrl, headers, '/simulate', { grid_size: 256, steps: 1000, seed })),
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
  latencies.sort((a, b) => a - b);
  const p99 = percentile(latencies, 99);
  results.health_p50_under_load_ms = { ms: round(percentile(latencies, 50)) };
  results.health_p99_under_load_ms = withTarget('health_p99_under_load_ms', p99, {
    samples: latencies.length,
    max_ms: round(latencies[latencies.length - 1]),
    concurrent_simulations_ms: simulations.map(round),
  });

  return results;
}

module.exports = { benchCompute };

if (require.main === module) {
  const baseUrl = process.argv[2] || 'http://127.0.0.1:8000';
  const apiKey = process.env.MFN_BENCH_API_KEY;
  benchCompute({ baseUrl, headers: apiKey ? { 'x-api-key': apiKey } : {}, log: (m) => process.stderr.write(`${m}\n`) })
    .then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`))
    .catch((err) => {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    });
}
