'use strict';
/**
 * Body-flood section of `npm run bench`: `/health` latency while unauthenticated clients send
 * hostile 8 MiB bodies (gzip and plain `[{},{},…]`, runs of `<`, deep nesting) to every POST
 * route, 20 at a time. Without a key nothing is read, inflated or parsed, so the probes should
 * stay about as fast as on an idle service: target p99 <= 50 ms. The resilience suite
 * (`test/resilience/body-flood.resilience-spec.ts`) checks the behaviour (every refusal an
 * envelope, resident set flat, every probe answered); this is where the time is measured.
 *
 * The service runs in its own process (prod profile, one compute thread, logs at WARNING) and
 * the probe in another, so neither shares an event loop with the flood's client.
 * Alone: `node bench/body-flood.js` (after `npm run build`) prints the figures as JSON.
 */
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { readFileSync } = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { gzipSync } = require('node:zlib');
const { ROOT, percentiles, rssMb, startProcess } = require('./lib');

const MB = 1024 * 1024;
const CONCURRENCY = 20;
const TARGET_P99_MS = 50;
/** Every POST route of the service, from the committed OpenAPI document (path parameters filled in). */
// eslint-disable-next-line security/detect-non-literal-fs-filename -- the project's own committed openapi.json
const POST_ROUTES = Object.entries(JSON.parse(readFileSync(path.join(ROOT, 'openapi.json'), 'utf8')).paths)
  .filter(([, operations]) => 'post' in operations)
  .map(([route]) => route.replace(/\{[^}]+\}/g, 'some-key'));

function hostileBodies(size) {
  const objects = Buffer.from(`[${'{},'.repeat(Math.floor(size / 3) - 1)}{}]`);
  const angles = Buffer.from(`{"plaintext":"${'<'.repeat(size - 20)}","key_id":"x"}`);
  const deep = Buffer.from(`${'['.repeat(Math.floor(size / 2))}${']'.repeat(Math.floor(size / 2))}`);
  const json = { 'content-type': 'application/json' };
  const gzip = { ...json, 'content-encoding': 'gzip' };
  return [
    { headers: gzip, body: gzipSync(objects) },
    { headers: gzip, body: gzipSync(angles) },
    { headers: json, body: objects },
    { headers: json, body: angles },
    { headers: json, body: deep },
  ];
}

/** One POST on a fresh connection; resolves with the status or the transport error. */
function post(port, route, { headers, body }) {
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', path: route, headers: { ...headers, 'content-length': String(body.length) }, agent: false },
      (res) => {
        res.resume();
        res.on('end', () => resolve(String(res.statusCode)));
        res.on('error', () => resolve(String(res.statusCode)));
      },
    );
    // The service answers before reading the body and closes: the upload then fails, the answer counts.
    req.on('error', (err) => resolve(err.code || err.message));
    req.setTimeout(60_000, () => req.destroy(new Error('timeout')));
    req.end(body);
  });
}

/** Every route × body kind × CONCURRENCY, CONCURRENCY at a time; returns the count per outcome. */
async function flood(port, size) {
  const bodies = hostileBodies(size);
  const work = POST_ROUTES.flatMap((route) => bodies.flatMap((b) => Array.from({ length: CONCURRENCY }, () => [route, b])));
  const outcomes = new Map();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < work.length) {
        const [route, b] = work[next++];
        const outcome = await post(port, route, b);
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }
    }),
  );
  return Object.fromEntries(outcomes);
}

/** GET /health in a loop from a process of its own until stopped; resolves with the latencies (ms). */
function probeHealth(port) {
  const script = `
    const http = require('node:http');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const latencies = [];
    let failed = 0;
    let running = true;
    process.stdin.on('end', () => (running = false)).resume();
    (async () => {
      while (running) {
        const started = performance.now();
        const ok = await new Promise((resolve) =>
          http.get({ host: '127.0.0.1', port: ${port}, path: '/health', agent }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode === 200));
          }).on('error', () => resolve(false)));
        if (ok) latencies.push(performance.now() - started);
        else failed++;
        await new Promise((r) => setTimeout(r, 5));
      }
      process.stdout.write(JSON.stringify({ latencies, failed }));
      agent.destroy();
    })();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    async stop() {
      child.stdin.end();
      await exited;
      return JSON.parse(out);
    },
  };
}

/**
 * @param {{ log?: (line: string) => void }} ctx
 * @returns {Promise<{ idle: object, flood: object, failedProbes: number, outcomes: Record<string, number>, rssGrowthMb: number, targetP99Ms: number, met: boolean }>}
 */
async function benchBodyFlood({ log = () => {} } = {}) {
  const svc = await startProcess('service (prod, body flood)', path.join(ROOT, 'dist', 'main.js'), {
    MFN_ENV: 'prod',
    MFN_API_KEY: randomBytes(24).toString('hex'),
    MFN_MASTER_KEY: randomBytes(32).toString('base64'),
    MFN_COMPUTE_WORKERS: '1',
    MFN_LOG_LEVEL: 'WARNING',
    MFN_RATE_LIMIT_ROUTES: '/health=1000000',
  });
  try {
    const port = Number(new URL(svc.baseUrl).port);
    log(`body flood: ${POST_ROUTES.length} routes x 5 hostile 8 MiB bodies x ${CONCURRENCY}, ${CONCURRENCY} at a time, no key`);
    // Idle probes, then the same requests with 256 KiB bodies to warm the refusal paths.
    const idleProbe = probeHealth(port);
    await new Promise((r) => setTimeout(r, 2000));
    const idle = await idleProbe.stop();
    await flood(port, 256 * 1024);
    const baseline = rssMb(svc.pid) ?? 0;
    const probe = probeHealth(port);
    const outcomes = await flood(port, 8 * MB);
    const during = await probe.stop();
    const flooded = percentiles(during.latencies);
    return {
      idle: percentiles(idle.latencies),
      flood: flooded,
      failedProbes: during.failed,
      outcomes,
      rssGrowthMb: Math.round(((rssMb(svc.pid) ?? 0) - baseline) * 10) / 10,
      targetP99Ms: TARGET_P99_MS,
      met: flooded.p99 <= TARGET_P99_MS && during.failed === 0,
    };
  } finally {
    await svc.stop();
  }
}

module.exports = { benchBodyFlood };

if (require.main === module) {
  benchBodyFlood({ log: (line) => process.stderr.write(`${line}\n`) })
    .then((figures) => process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`))
    .catch((err) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
}
