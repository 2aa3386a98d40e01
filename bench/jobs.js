'use strict';
/**
 * Jobs section of `npm run bench` (needs Redis, BENCH_REDIS_URL): one API process (MFN_ROLE=api)
 * and one, then two worker processes (MFN_ROLE=worker, one compute thread each). Reports job
 * throughput with one and with two workers (their ratio is the scale-out) and the
 * submit-to-result latency of a small job (POST, then its SSE stream to the final event) against
 * the synchronous route with the same body.
 *
 * Alone: node bench/jobs.js (after npm run build). Knobs: BENCH_JOBS (40 per throughput run),
 * BENCH_JOB_LATENCY_RUNS (20).
 */
const { randomBytes } = require('node:crypto');
const path = require('node:path');
const { ROOT, percentiles, round, startProcess } = require('./lib');

const MAIN = path.join(ROOT, 'dist', 'main.js');
const JOBS = Number(process.env.BENCH_JOBS || 40);
const LATENCY_RUNS = Number(process.env.BENCH_JOB_LATENCY_RUNS || 20);
/** About a third of a second of compute: the queue's own cost is small beside it. */
const WORK = { seed: 5, epochs: 10, batch_size: 1, grid_size: 64, steps: 200 };
const SMALL = { seed: 1, grid_size: 16, steps: 5 };

async function post(baseUrl, headers, route, body) {
  const res = await fetch(`${baseUrl}${route}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.json();
  if (res.status !== 202 && res.status !== 200) throw new Error(`${route} answered ${res.status}: ${json.error_code}`);
  return json;
}

/** Reads the job's event stream until its final event. */
async function untilFinal(baseUrl, headers, id) {
  const res = await fetch(`${baseUrl}/jobs/${id}/events`, { headers });
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of res.body) {
    text += decoder.decode(chunk, { stream: true });
    if (/"state":"(completed|failed|cancelled)"/.test(text)) break;
  }
  await res.body.cancel().catch(() => undefined);
  if (!text.includes('"state":"completed"')) throw new Error(`job ${id} did not complete`);
}

async function throughput(baseUrl, headers, n) {
  const started = process.hrtime.bigint();
  const jobs = await Promise.all(Array.from({ length: n }, (_, i) => post(baseUrl, headers, '/jobs/validate', { ...WORK, seed: i })));
  await Promise.all(jobs.map((job) => untilFinal(baseUrl, headers, job.id)));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { jobs: n, seconds: round(seconds), jobsPerSec: round(n / seconds) };
}

async function benchJobs({ log, redisUrl }) {
  const key = randomBytes(24).toString('hex');
  const headers = { 'x-api-key': key };
  const prefix = `bench-jobs-${process.pid}-${Date.now()}`;
  const env = (role) => ({
    MFN_ENV: 'prod',
    MFN_API_KEY: key,
    MFN_MASTER_KEY: randomBytes(32).toString('base64'),
    MFN_REDIS_URL: redisUrl,
    MFN_RATE_LIMIT_ENABLED: 'false',
    MFN_JOBS_KEY_PREFIX: prefix,
    MFN_JOBS_RESULT_TTL_S: '120',
    MFN_JOBS_MAX_QUEUED_PER_TENANT: '10000',
    MFN_ROLE: role,
    MFN_COMPUTE_WORKERS: '1',
    MFN_JOBS_CONCURRENCY: '1',
    MFN_LOG_LEVEL: 'ERROR',
  });
  const procs = [];
  try {
    const api = await startProcess('jobs api', MAIN, env('api'));
    procs.push(api);
    procs.push(await startProcess('jobs worker 1', MAIN, env('worker')));
    log(`jobs: throughput with 1 worker process (${JOBS} /validate jobs of 10 epochs on 64 x 200 fields)`);
    await throughput(api.baseUrl, headers, Math.min(4, JOBS)); // warm-up
    const one = await throughput(api.baseUrl, headers, JOBS);
    procs.push(await startProcess('jobs worker 2', MAIN, env('worker')));
    log('jobs: throughput with 2 worker processes');
    const two = await throughput(api.baseUrl, headers, JOBS);

    log(`jobs: submit-to-result latency of a small job vs the synchronous route (${LATENCY_RUNS} runs each)`);
    const job = [];
    const sync = [];
    for (let i = 0; i < LATENCY_RUNS; i++) {
      let t = process.hrtime.bigint();
      const { id } = await post(api.baseUrl, headers, '/jobs/simulate', { ...SMALL, seed: i });
      await untilFinal(api.baseUrl, headers, id);
      job.push(Number(process.hrtime.bigint() - t) / 1e6);
      t = process.hrtime.bigint();
      await post(api.baseUrl, headers, '/simulate', { ...SMALL, seed: i });
      sync.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    const result = {
      oneWorker: one,
      twoWorkers: two,
      scaleOut: round(two.jobsPerSec / one.jobsPerSec),
      smallJobMs: percentiles(job),
      smallSyncMs: percentiles(sync),
    };
    log(`  1 worker:  ${one.jobsPerSec} jobs/s (${one.jobs} in ${one.seconds} s)`);
    log(`  2 workers: ${two.jobsPerSec} jobs/s (${two.jobs} in ${two.seconds} s); scale-out x${result.scaleOut}`);
    log(`  small job submit-to-result p50 ${result.smallJobMs.p50} ms, p99 ${result.smallJobMs.p99} ms; synchronous p50 ${result.smallSyncMs.p50} ms, p99 ${result.smallSyncMs.p99} ms`);
    return result;
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    await removeKeys(redisUrl, prefix).catch(() => undefined);
  }
}

async function removeKeys(url, prefix) {
  const Redis = require('ioredis');
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
}

module.exports = { benchJobs };

if (require.main === module) {
  benchJobs({ log: (line) => process.stdout.write(`${line}\n`), redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379' }).catch((err) => {
    process.stderr.write(`${err.stack}\n`);
    process.exit(1);
  });
}
