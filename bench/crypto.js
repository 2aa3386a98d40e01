'use strict';
/**
 * Crypto section of `npm run bench`: POST /api/encrypt with a 1 KiB plaintext and POST /api/sign
 * with a 1 KiB message against the running (guarded) service, and POST /api/encrypt with a
 * `batch_input` of 100 × 1 KiB. run.js prints the single calls as a ratio of guarded /nernst
 * (target: at least 0.70) and the batch as items/s against single /api/encrypt calls (target:
 * at least 10×).
 */
const { randomBytes } = require('node:crypto');
const { load, timed } = require('./lib');

const DURATION = Number(process.env.BENCH_DURATION_S || 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 32);
const PAYLOAD_BYTES = 1024;
const BATCH_ITEMS = 100;

/**
 * @param {{ baseUrl: string, headers?: Record<string, string>, log?: (line: string) => void }} ctx
 * @returns {Promise<{ encrypt1KiB: object, sign1KiB: object, encryptBatch100x1KiB: object }>} load
 *          figures per route ({ reqPerSec, p50Ms, p99Ms, requests, errors, non2xx }); the batch
 *          also has itemsPerSec.
 */
async function benchCrypto({ baseUrl, headers = {}, log = () => {} }) {
  const data = randomBytes(PAYLOAD_BYTES).toString('base64');
  const routes = [
    ['encrypt1KiB', '/api/encrypt', { plaintext: data }],
    ['sign1KiB', '/api/sign', { message: data }],
    [
      'encryptBatch100x1KiB',
      '/api/encrypt',
      { batch_input: Array.from({ length: BATCH_ITEMS }, () => ({ plaintext: randomBytes(PAYLOAD_BYTES).toString('base64') })) },
    ],
  ];
  const out = {};
  for (const [name, path, body] of routes) {
    // The first call creates the default key; keep it out of the measurement and fail early if the route is broken.
    const warm = await timed(`${baseUrl}${path}`, { method: 'POST', body, headers });
    if (warm.status !== 200) throw new Error(`${path} answered ${warm.status} during warm-up`);
    const items = body.batch_input ? body.batch_input.length : 1;
    log(`crypto: POST ${path} (${items > 1 ? `${items} × ` : ''}1 KiB), ${DURATION}s at ${CONNECTIONS} connections`);
    // eslint-disable-next-line security/detect-object-injection -- `name` comes from the fixed route table above
    out[name] = await load({ url: `${baseUrl}${path}`, method: 'POST', body, headers, duration: DURATION, connections: CONNECTIONS });
    // eslint-disable-next-line security/detect-object-injection -- `name` comes from the fixed route table above
    out[name].itemsPerSec = out[name].reqPerSec * items;
  }
  out.batchSpeedup = out.encrypt1KiB.itemsPerSec ? Math.round((out.encryptBatch100x1KiB.itemsPerSec / out.encrypt1KiB.itemsPerSec) * 100) / 100 : undefined;
  return out;
}

module.exports = { benchCrypto };
