'use strict';
/* eslint-disable security/detect-object-injection -- developer tool: tables keyed by the bench's own target, group and figure names, and the section function named in its own code */
/**
 * `npm run bench`: one run that measures a bare Express baseline, a bare NestJS one (the same
 * frameworks as the service without its security layer) and the service side by side and prints
 * ratios against them (never absolute pass/fail timings in tests).
 *
 * Env knobs: BENCH_DURATION_S (per load, default 5), BENCH_ROUNDS (interleaved throughput rounds,
 * default 3; medians are reported), BENCH_CONNECTIONS (default 32),
 * BENCH_SOAK_S (default 30, 0 = skip), BENCH_REDIS_URL (default redis://127.0.0.1:6379; '' = skip),
 * BENCH_SCAN_REPS (input scan repetitions, default 7), BENCH_ONLY (`crypto`: only guarded /nernst,
 * the baseline of the crypto ratios, and the crypto section; `tracing`: only guarded /nernst
 * without, with tracing off and with tracing on, bench/tracing.js).
 * The 256 x 1000 /simulate is also set against its C floor (field-floor.js; needs a C compiler).
 * /health latency under a flood of unauthenticated hostile bodies comes from body-flood.js.
 * Results also go to bench/results.json (git-ignored) for comparing runs.
 */
const { randomBytes } = require('node:crypto');
const { existsSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { ROOT, load, rssMb, round, startProcess } = require('./lib');
const { startTracingServices } = require('./tracing');

const DURATION = Number(process.env.BENCH_DURATION_S || 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 32);
const SOAK_S = Number(process.env.BENCH_SOAK_S ?? 30);
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ONLY = process.env.BENCH_ONLY || '';
if (ONLY !== '' && ONLY !== 'crypto' && ONLY !== 'tracing') throw new Error(`BENCH_ONLY must be crypto or tracing (or unset), not ${ONLY}`);
const FULL = ONLY === '';
const TRACING = FULL || ONLY === 'tracing';
const API_KEY = randomBytes(24).toString('hex');
const NERNST = { concentration_out_molar: 0.005, concentration_in_molar: 0.14 };
const MAIN = path.join(ROOT, 'dist', 'main.js');

/** Prod profile with auth, throttling (limits high enough not to 429 the load), audit and JSON logs. */
function guardedEnv(extra = {}) {
  return {
    MFN_ENV: 'prod',
    MFN_API_KEY: API_KEY,
    MFN_MASTER_KEY: randomBytes(32).toString('base64'),
    MFN_RATE_LIMIT_ENABLED: 'true',
    MFN_RATE_LIMIT_REQUESTS: '1000000',
    MFN_RATE_LIMIT_ROUTES: '/health=100000000,/nernst=100000000,/simulate=1000000,/validate=1000000,/federated/aggregate=1000000',
    MFN_LOG_FORMAT: 'json',
    MFN_LOG_LEVEL: 'INFO',
    ...extra,
  };
}

function log(line = '') {
  process.stdout.write(`${line}\n`);
}

/** The run with the median req/s (its latencies and error counts come with it); errors summed over runs. */
function medianRun(runs) {
  const sorted = [...runs].sort((a, b) => a.reqPerSec - b.reqPerSec);
  const mid = sorted[Math.floor(sorted.length / 2)];
  return {
    ...mid,
    errors: runs.reduce((n, r) => n + r.errors, 0),
    non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
    rounds: runs.map((r) => r.reqPerSec),
  };
}

function ratio(a, b) {
  return b ? round(a / b, 2) : undefined;
}

async function sampleRss(pid, during) {
  let peak = rssMb(pid) ?? 0;
  const timer = setInterval(() => {
    const v = rssMb(pid);
    if (v !== undefined && v > peak) peak = v;
  }, 200);
  try {
    const result = await during();
    return { result, peakRssMb: peak };
  } finally {
    clearInterval(timer);
  }
}

async function optionalSection(file, fnName, ctx) {
  const p = path.join(__dirname, file);
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- a section file of bench/ named in this file's code
  if (!existsSync(p)) return undefined;
  // eslint-disable-next-line security/detect-non-literal-require -- a section file of bench/ named in this file's code
  const mod = require(p);
  if (typeof mod[fnName] !== 'function') return undefined;
  return mod[fnName](ctx);
}

async function redisReachable(url) {
  if (!url) return false;
  try {
    const Redis = require('ioredis');
    const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000, retryStrategy: () => null });
    await r.connect();
    await r.ping();
    r.disconnect();
    return true;
  } catch {
    return false;
  }
}

async function main() {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- this repository's dist/main.js
  if (!existsSync(MAIN)) throw new Error('dist/main.js missing: run `npm run build` (npm run bench does it)');
  const results = { date: new Date().toISOString(), node: process.version, durationS: DURATION, rounds: ROUNDS, connections: CONNECTIONS };
  log(`MFN Secure Service benchmark — ${ROUNDS} interleaved rounds of ${DURATION}s per load, ${CONNECTIONS} connections, node ${process.version}`);

  // Throughput: the baseline and the service run side by side (idle while not loaded) and are
  // loaded in interleaved rounds, so a slow spell of the machine hits both; medians are reported.
  const headers = { 'x-api-key': API_KEY };
  const bare = FULL ? await startProcess('bare-express', path.join(__dirname, 'bare-express.js')) : undefined;
  // The frameworks alone (NestJS, its ValidationPipe, the service's DTO): splits the ratio into
  // what the frameworks cost against bare Express and what the security layer costs on them.
  const bareNest = FULL ? await startProcess('bare-nestjs', path.join(__dirname, 'bare-nest.js')) : undefined;
  const svc = await startProcess('service (prod, guarded)', MAIN, guardedEnv());
  // The same service with a served request's two audit events folded into its access record.
  const foldedSvc = FULL ? await startProcess('service (prod, guarded, folded audit)', MAIN, guardedEnv({ MFN_AUDIT_GRANTED_EVENTS: 'folded' })) : undefined;
  const redisSvc = FULL && (await redisReachable(REDIS_URL))
    ? await startProcess('service (prod, guarded, redis)', MAIN, guardedEnv({ MFN_REDIS_URL: REDIS_URL }))
    : undefined;
  // The same service with tracing off (configured, disabled) and on (exporting to a local sink).
  const tracing = TRACING ? await startTracingServices({ main: MAIN, env: guardedEnv }) : undefined;
  await new Promise((r) => setTimeout(r, 1000));
  results.idleRssMb = rssMb(svc.pid);

  const targets = {
    ...(bare ? { 'bare.health': { url: `${bare.baseUrl}/health` }, 'bare.nernst': { url: `${bare.baseUrl}/nernst`, method: 'POST', body: NERNST } } : {}),
    ...(bareNest ? { 'bareNest.health': { url: `${bareNest.baseUrl}/health` }, 'bareNest.nernst': { url: `${bareNest.baseUrl}/nernst`, method: 'POST', body: NERNST } } : {}),
    ...(FULL ? { 'service.health': { url: `${svc.baseUrl}/health` } } : {}),
    'service.nernst': { url: `${svc.baseUrl}/nernst`, method: 'POST', body: NERNST, headers },
    ...(foldedSvc ? { 'serviceFolded.nernst': { url: `${foldedSvc.baseUrl}/nernst`, method: 'POST', body: NERNST, headers } } : {}),
    ...(redisSvc ? { 'serviceRedis.nernst': { url: `${redisSvc.baseUrl}/nernst`, method: 'POST', body: NERNST, headers } } : {}),
    ...(tracing
      ? {
          'serviceTracingOff.nernst': { url: `${tracing.off.baseUrl}/nernst`, method: 'POST', body: NERNST, headers },
          'serviceTracingOn.nernst': { url: `${tracing.on.baseUrl}/nernst`, method: 'POST', body: NERNST, headers },
        }
      : {}),
  };
  const samples = Object.fromEntries(Object.keys(targets).map((k) => [k, []]));
  const measured = await sampleRss(svc.pid, async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      log(`throughput: round ${round} of ${ROUNDS}`);
      for (const [name, t] of Object.entries(targets)) {
        samples[name].push(await load({ ...t, duration: DURATION, connections: CONNECTIONS }));
      }
    }
  });
  results.loadedRssMb = measured.peakRssMb;
  for (const [name, runs] of Object.entries(samples)) {
    const [group, route] = name.split('.');
    results[group] = results[group] ?? {};
    results[group][route] = medianRun(runs);
  }
  if (bare) await bare.stop();
  if (bareNest) await bareNest.stop();
  if (redisSvc) await redisSvc.stop();
  if (foldedSvc) await foldedSvc.stop();
  // After the services' shutdown flush: every span they exported.
  if (tracing) results.tracingSink = await tracing.stop();

  const ctx = { baseUrl: svc.baseUrl, headers, log };
  if (FULL) results.compute = await optionalSection('compute.js', 'benchCompute', ctx);
  if (ONLY !== 'tracing') results.crypto = await optionalSection('crypto.js', 'benchCrypto', ctx);

  if (FULL && SOAK_S > 0) {
    log(`soak: ${SOAK_S}s of guarded POST /nernst at 64 connections`);
    results.soak = await load({ url: `${svc.baseUrl}/nernst`, method: 'POST', body: NERNST, headers, duration: SOAK_S, connections: 64 });
  }
  results.loadedRssMb = Math.max(results.loadedRssMb, rssMb(svc.pid) ?? 0);
  await svc.stop();
  // In this process, with the service stopped: a CPU-bound measurement of the scan functions.
  if (FULL) results.inputScan = await optionalSection('scan.js', 'benchScan', { log });
  // Likewise: the C floor of the 256 x 1000 /simulate measured above, and the core beside it.
  if (FULL) results.fieldFloor = await optionalSection('field-floor.js', 'benchFieldFloor', { log });
  // API and worker processes of their own on Redis (skipped without it).
  if (FULL && (await redisReachable(REDIS_URL))) results.jobs = await optionalSection('jobs.js', 'benchJobs', { log, redisUrl: REDIS_URL });
  // A service of its own (unauthenticated floods would lock the address out of the one above).
  if (FULL) results.bodyFlood = await optionalSection('body-flood.js', 'benchBodyFlood', { log });

  report(results);
  const file = FULL ? 'results.json' : `results-${ONLY}.json`;
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- bench/results.json or bench/results-crypto.json
  writeFileSync(path.join(__dirname, file), `${JSON.stringify(results, null, 2)}\n`);
  log(`\nwritten: bench/${file}`);
}

function report(r) {
  const row = (name, m, base) =>
    log(
      `${name.padEnd(34)} ${String(m.reqPerSec).padStart(8)} req/s  p50 ${String(m.p50Ms).padStart(4)} ms  p99 ${String(m.p99Ms).padStart(5)} ms  errors ${m.errors}  non2xx ${m.non2xx}` +
        (base ? `  ratio ${ratio(m.reqPerSec, base.reqPerSec)}` : '') +
        (m.rounds ? `  rounds ${m.rounds.join('/')}` : ''),
    );
  if (!r.bare) {
    log('\n== HTTP throughput, median of the rounds (BENCH_ONLY: the baseline of the crypto ratios)');
    row('service POST /nernst (guarded)', r.service.nernst);
    reportTracing(r, row);
    reportCrypto(r, row);
    return;
  }
  log('\n== HTTP throughput, median of the rounds (ratio = service / bare Express)');
  row('bare Express GET /health', r.bare.health);
  row('bare Express POST /nernst', r.bare.nernst);
  if (r.bareNest) {
    row('bare NestJS GET /health', r.bareNest.health, r.bare.health);
    row('bare NestJS POST /nernst', r.bareNest.nernst, r.bare.nernst);
  }
  row('service GET /health (prod)', r.service.health, r.bare.health);
  row('service POST /nernst (guarded)', r.service.nernst, r.bare.nernst);
  if (r.serviceFolded) row('service POST /nernst (guarded, folded)', r.serviceFolded.nernst, r.bare.nernst);
  if (r.serviceRedis) row('service POST /nernst (guarded, redis)', r.serviceRedis.nernst, r.bare.nernst);
  const nernstRatio = ratio(r.service.nernst.reqPerSec, r.bare.nernst.reqPerSec);
  log(`target: guarded /nernst >= 0.55 of bare Express → ${nernstRatio} ${nernstRatio >= 0.55 ? 'MET' : 'MISSED'}`);
  if (r.bareNest) {
    const layer = ratio(r.service.nernst.reqPerSec, r.bareNest.nernst.reqPerSec);
    const frameworks = ratio(r.bareNest.nernst.reqPerSec, r.bare.nernst.reqPerSec);
    log(`  = frameworks (bare NestJS / bare Express) ${frameworks} x security layer (service / bare NestJS) ${layer}`);
  }
  if (r.serviceFolded) {
    const folded = ratio(r.serviceFolded.nernst.reqPerSec, r.bare.nernst.reqPerSec);
    log(`  with MFN_AUDIT_GRANTED_EVENTS=folded (one log line per request instead of three) → ${folded} ${folded >= 0.55 ? 'MET' : 'MISSED'}`);
  }
  reportTracing(r, row);
  log('\n== Memory');
  log(`idle RSS ${r.idleRssMb} MB (target <= 150 MB) ${r.idleRssMb <= 150 ? 'MET' : 'MISSED'}; peak RSS under load ${r.loadedRssMb} MB`);
  if (r.soak) {
    log('\n== Soak');
    row(`guarded /nernst, 64 connections`, r.soak);
    log(`target: zero errors → ${r.soak.errors === 0 && r.soak.non2xx === 0 ? 'MET' : 'MISSED'}`);
  }
  if (r.compute) {
    log('\n== Compute (median ms unless named p99; target and Python reference in brackets)');
    for (const [name, f] of Object.entries(r.compute)) {
      const extra = [];
      if (f.cellStepsPerSec) extra.push(`${(f.cellStepsPerSec / 1e6).toFixed(1)} M cell-steps/s`);
      if (f.targetMs !== undefined) extra.push(`target <= ${f.targetMs} ms [reference ${f.pythonReferenceMs} ms] ${f.met ? 'MET' : 'MISSED'}`);
      log(`${name.padEnd(34)} ${String(f.ms).padStart(8)} ms  ${extra.join('  ')}`);
    }
  }
  if (r.fieldFloor) {
    const f = r.fieldFloor;
    const http = r.compute && r.compute.simulate_256x1000_ms;
    log(`\n== /simulate 256 x 1000 against the C floor (bench/field-kernel.c, ${f.compiler} ${f.cflags}; same field bit for bit)`);
    log(`${'C floor (simulation only)'.padEnd(34)} ${String(f.cFloorMs).padStart(8)} ms`);
    log(`${'core in-process (simulateField)'.padEnd(34)} ${String(f.coreMs).padStart(8)} ms  x${f.coreOverC} the floor`);
    if (http) log(`${'POST /simulate (guarded, median)'.padEnd(34)} ${String(http.ms).padStart(8)} ms  x${ratio(http.ms, f.cFloorMs)} the floor`);
  }
  if (r.inputScan) {
    const s = r.inputScan;
    const scanRow = (name, f) =>
      log(
        `${name.padEnd(34)} benign ${String(f.benignMs).padStart(7)} ms  adversarial ${String(f.adversarialMs).padStart(7)} ms  ` +
          `ratio ${String(f.ratio).padStart(6)}  x4 size → x${f.growth4xSize}  worst ${f.worstInput}`,
      );
    log(`\n== Input scan (${s.sizeBytes / 1048576} MiB, median of ${s.reps}; ratio = adversarial / benign; linear growth ≈ x4)`);
    for (const [name, f] of Object.entries(s.rules)) scanRow(name, f);
    scanRow('detector (every rule)', s.detector);
    log(`target: detector ratio <= ${s.targetRatio} → ${s.detector.ratio} ${s.detector.met ? 'MET' : 'MISSED'}`);
  }
  if (r.bodyFlood) {
    const f = r.bodyFlood;
    const outcomes = Object.entries(f.outcomes).map(([k, n]) => `${k} x${n}`).join(', ');
    log('\n== /health while unauthenticated clients send hostile 8 MiB bodies (bench/body-flood.js)');
    log(`idle    p50 ${f.idle.p50} ms  p99 ${f.idle.p99} ms  (${f.idle.n} probes)`);
    log(`flooded p50 ${f.flood.p50} ms  p99 ${f.flood.p99} ms  (${f.flood.n} probes, ${f.failedProbes} failed)  flood answers: ${outcomes}  RSS +${f.rssGrowthMb} MB`);
    log(`target: p99 under the flood <= ${f.targetP99Ms} ms, no failed probe → ${f.met ? 'MET' : 'MISSED'}`);
  }
  reportCrypto(r, row);
}

function reportTracing(r, row) {
  if (!r.serviceTracingOff) return;
  log('\n== Tracing, guarded POST /nernst (ratio = service with tracing off / on, to the service without OTEL_* variables)');
  row('tracing off (endpoint set, SDK off)', r.serviceTracingOff.nernst, r.service.nernst);
  row('tracing on (every request, local sink)', r.serviceTracingOn.nernst, r.service.nernst);
  const off = ratio(r.serviceTracingOff.nernst.reqPerSec, r.service.nernst.reqPerSec);
  log(`tracing off / no OTEL_* variables: ${off} (1.00 = no cost; compare the spread of the rounds, which is the machine's noise)`);
  if (r.tracingSink) log(`sink received ${r.tracingSink.spans} spans in ${r.tracingSink.exports} exports (${Math.round(r.tracingSink.bytes / 1024)} KiB)`);
}

function reportCrypto(r, row) {
  if (!r.crypto || !r.crypto.encrypt1KiB) return;
  const c = r.crypto;
  log('\n== Crypto (ratio = op / guarded /nernst)');
  for (const k of ['encrypt1KiB', 'sign1KiB']) {
    row(k, c[k], r.service.nernst);
    const x = ratio(c[k].reqPerSec, r.service.nernst.reqPerSec);
    log(`target: ${k} >= 0.70 of guarded /nernst → ${x} ${x >= 0.7 ? 'MET' : 'MISSED'}`);
  }
  if (c.encryptBatch100x1KiB) {
    row('encryptBatch100x1KiB', c.encryptBatch100x1KiB);
    log(
      `batch encrypt ${c.encryptBatch100x1KiB.itemsPerSec} items/s vs single /api/encrypt ${c.encrypt1KiB.itemsPerSec} items/s → ` +
        `x${c.batchSpeedup} (target >= 10) ${c.batchSpeedup >= 10 ? 'MET' : 'MISSED'}`,
    );
  }
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err.stack || err}\n`);
  process.exit(1);
});
