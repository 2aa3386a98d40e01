'use strict';
/**
 * Guarded-path throughput: POST /nernst through the whole security layer (API key, rate limit,
 * audit events, JSON logs) against a bare Express hello-world measured in the same run. Target:
 * the guarded path serves at least 60% of the bare req/s.
 *
 * Used two ways:
 * - by the bench harness: `benchSecurity({ baseUrl, headers, log })` against a service it started
 *   (prod profile, `headers` carrying a valid X-API-Key);
 * - alone: `node bench/security.js` (after `npm run build`) starts `dist/main.js` in the prod
 *   profile with a fresh key and prints the figures as JSON.
 */
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const path = require('node:path');
const autocannon = require('autocannon');
const { freePort } = require('./lib');

const NERNST_BODY = JSON.stringify({ concentration_out_molar: 0.005, concentration_in_molar: 0.14 });
const TARGET_RATIO = 0.6;

const BARE_SERVER = `
const express = require('express');
const app = express();
app.use(express.json());
app.post('/nernst', (req, res) => res.json({ hello: 'world' }));
const server = app.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;

function startBareExpress() {
  const child = spawn(process.execPath, ['-e', BARE_SERVER], {
    cwd: path.resolve(__dirname, '..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (chunk) => resolve({ url: `http://127.0.0.1:${String(chunk).trim()}`, child }));
  });
}

async function waitForHealth(baseUrl, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${baseUrl}/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`service at ${baseUrl} did not become healthy`);
}

function run(url, headers, { connections, duration }) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${url}/nernst`,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: NERNST_BODY,
        connections,
        duration,
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}

/**
 * Measures bare Express, then the guarded service, then bare Express again (the mean of the two
 * baseline runs evens out drift on a shared machine).
 */
async function benchSecurity({ baseUrl, headers = {}, log = console.log, connections = 20, duration = 10 }) {
  const bare = await startBareExpress();
  try {
    const opts = { connections, duration };
    await run(bare.url, {}, { connections, duration: 2 });
    await run(baseUrl, headers, { connections, duration: 2 });
    const bare1 = await run(bare.url, {}, opts);
    const guarded = await run(baseUrl, headers, opts);
    const bare2 = await run(bare.url, {}, opts);
    const bareRps = (bare1.requests.average + bare2.requests.average) / 2;
    const guardedRps = guarded.requests.average;
    const ok = guarded['2xx'];
    const rejected = guarded.non2xx;
    const figures = {
      bare_express_req_per_s: Math.round(bareRps),
      guarded_nernst_req_per_s: Math.round(guardedRps),
      guarded_nernst_p99_ms: guarded.latency.p99,
      guarded_non_2xx: rejected,
      ratio: Number((guardedRps / bareRps).toFixed(3)),
      target_ratio: TARGET_RATIO,
      meets_target: guardedRps / bareRps >= TARGET_RATIO && rejected === 0 && ok > 0,
    };
    log(
      `security: guarded POST /nernst ${figures.guarded_nernst_req_per_s} req/s vs bare Express ` +
        `${figures.bare_express_req_per_s} req/s = ${(figures.ratio * 100).toFixed(1)}% (target >= ${TARGET_RATIO * 100}%)`,
    );
    return figures;
  } finally {
    bare.child.kill();
  }
}

async function main() {
  const port = await freePort();
  const apiKey = randomBytes(32).toString('base64url');
  const service = spawn(process.execPath, [path.resolve(__dirname, '..', 'dist', 'main.js')], {
    env: {
      ...process.env,
      MFN_ENV: 'prod',
      MFN_API_KEY: apiKey,
      MFN_MASTER_KEY: randomBytes(32).toString('base64'),
      MFN_LOG_FORMAT: 'json',
      // The bench measures the cost of the limiter, not its refusals.
      MFN_RATE_LIMIT_ROUTES: '/nernst=100000000',
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    // Logs go through a pipe, as they would to a container runtime, and are drained unread.
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  service.stdout.resume();
  try {
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHealth(baseUrl);
    const figures = await benchSecurity({ baseUrl, headers: { 'x-api-key': apiKey } });
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
  } finally {
    service.kill('SIGTERM');
  }
}

module.exports = { benchSecurity };

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
