'use strict';
/**
 * Crypto throughput: POST /api/encrypt with a 1 KiB plaintext and POST /api/sign with a 1 KiB
 * message, measured with autocannon against a running service. The harness that starts the
 * service compares these with /nernst (target: at least 70 % of its req/s).
 */
const autocannon = require('autocannon');
const { randomBytes } = require('node:crypto');

const PAYLOAD_BYTES = 1024;

async function warmUp(baseUrl, headers, path, body) {
  // First use creates the default key; do it once outside the measurement and check the route works.
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`${path} answered ${res.status} during warm-up`);
}

function measure({ baseUrl, headers, path, body, duration, connections }) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${baseUrl}${path}`,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
        duration,
        connections,
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}

function summary(result) {
  return {
    requests_per_second: result.requests.average,
    latency_p50_ms: result.latency.p50,
    latency_p99_ms: result.latency.p99,
    non_2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/**
 * @param {{ baseUrl: string, headers?: Record<string,string>, log?: (msg: string) => void,
 *           duration?: number, connections?: number }} options
 * @returns {Promise<{ encrypt_1kib: number, sign: number, details: Record<string, object> }>}
 *          req/s of each route (averaged over the run) plus latency and error detail.
 */
async function benchCrypto({ baseUrl, headers = {}, log = () => {}, duration = 10, connections = 10 }) {
  const data = randomBytes(PAYLOAD_BYTES).toString('base64');
  const routes = [
    { name: 'encrypt_1kib', path: '/api/encrypt', body: { plaintext: data } },
    { name: 'sign', path: '/api/sign', body: { message: data } },
  ];
  const out = { details: {} };
  for (const route of routes) {
    await warmUp(baseUrl, headers, route.path, route.body);
    log(`crypto bench: ${route.path} (1 KiB) for ${duration}s with ${connections} connections`);
    const result = summary(await measure({ baseUrl, headers, path: route.path, body: route.body, duration, connections }));
    if (result.non_2xx > 0 || result.errors > 0) log(`crypto bench: ${route.path} had ${result.non_2xx} non-2xx and ${result.errors} errors`);
    log(`crypto bench: ${route.path} ${result.requests_per_second.toFixed(0)} req/s, p99 ${result.latency_p99_ms} ms`);
    out[route.name] = result.requests_per_second;
    out.details[route.name] = result;
  }
  return out;
}

module.exports = { benchCrypto };
