'use strict';
/**
 * Crypto section of `npm run bench`: POST /api/encrypt with a 1 KiB plaintext and POST /api/sign
 * with a 1 KiB message against the running (guarded) service. run.js prints each as a ratio of
 * guarded /nernst (target: at least 0.70).
 */
const { randomBytes } = require('node:crypto');
const { load, timed } = require('./lib');

const DURATION = Number(process.env.BENCH_DURATION_S || 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 32);
const PAYLOAD_BYTES = 1024;

/**
 * @param {{ baseUrl: string, headers?: Record<string, string>, log?: (line: string) => void }} ctx
 * @returns {Promise<{ encrypt1KiB: object, sign1KiB: object }>} load figures per route
 *          ({ reqPerSec, p50Ms, p99Ms, requests, errors, non2xx }).
 */
async function benchCrypto({ baseUrl, headers = {}, log = () => {} }) {
  const data = randomBytes(PAYLOAD_BYTES).toString('base64');
  const routes = [
    ['encrypt1KiB', '/api/encrypt', { plaintext: data }],
    ['sign1KiB', '/api/sign', { message: data }],
  ];
  const out = {};
  for (const [name, path, body] of routes) {
    // The first call creates the default key; keep it out of the measurement and fail early if the route is broken.
    const warm = await timed(`${baseUrl}${path}`, { method: 'POST', body, headers });
    if (warm.status !== 200) throw new Error(`${path} answered ${warm.status} during warm-up`);
    log(`crypto: POST ${path} (1 KiB), ${DURATION}s at ${CONNECTIONS} connections`);
    out[name] = await load({ url: `${baseUrl}${path}`, method: 'POST', body, headers, duration: DURATION, connections: CONNECTIONS });
  }
  return out;
}

module.exports = { benchCrypto };
