'use strict';
/**
 * Where the CPU of a guarded `POST /nernst` goes: the service runs in the prod profile under
 * `--cpu-prof`, is loaded for a while, and the profile's self time is summed by component (log
 * output, validation, guards, metrics, headers, Express, Node's HTTP and socket code, ...); time
 * spent inside Node's own code counts for the component that called it.
 *
 *   npm run build && node bench/profile.js            # the default configuration
 *   PROFILE_ENV='{"MFN_AUDIT_GRANTED_EVENTS":"folded"}' node bench/profile.js
 *   PROFILE_BARE=1 node bench/profile.js              # the bare Express baseline, same breakdown
 *   PROFILE_BARE=nest node bench/profile.js           # the bare NestJS baseline (bench/bare-nest.js)
 *
 * PROFILE_ROUTE picks the request: `nernst` (default), `health` (GET /health, no guards) or
 * `encrypt` (POST /api/encrypt of 1 KiB, as the bench's crypto section; not for the baselines).
 * BENCH_DURATION_S (default 10) and BENCH_CONNECTIONS (default 32) set the load. The shares are
 * of the server process's sampled CPU; compare them within one run.
 */
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { mkdtempSync, readdirSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { ROOT, freePort, load } = require('./lib');

const DURATION = Number(process.env.BENCH_DURATION_S || 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 32);
const EXTRA_ENV = JSON.parse(process.env.PROFILE_ENV || '{}');
const BARE = process.env.PROFILE_BARE === '1' || process.env.PROFILE_BARE === 'nest';
const BARE_SCRIPT = process.env.PROFILE_BARE === 'nest' ? 'bare-nest.js' : 'bare-express.js';
const NERNST = { concentration_out_molar: 0.005, concentration_in_molar: 0.14 };
const ROUTES = {
  nernst: { path: '/nernst', method: 'POST', body: NERNST },
  health: { path: '/health', method: 'GET' },
  encrypt: { path: '/api/encrypt', method: 'POST', body: { plaintext: randomBytes(1024).toString('base64') } },
};
const ROUTE_NAME = process.env.PROFILE_ROUTE || 'nernst';
if (!Object.hasOwn(ROUTES, ROUTE_NAME)) throw new Error(`PROFILE_ROUTE must be one of ${Object.keys(ROUTES).join(', ')}`);
// eslint-disable-next-line security/detect-object-injection -- checked against the table's own keys just above
const ROUTE = ROUTES[ROUTE_NAME];

/** Components, first match wins: [name, test on the frame's script URL and function name]. */
const COMPONENTS = [
  ['log output (pino, serialisation, stdout)', (u) => /node_modules\/(pino|pino-std-serializers|sonic-boom|fast-redact|@pinojs|thread-stream|quick-format-unescaped|fast-safe-stringify)\/|\/common\/logging\/|\/common\/middleware\/access-log/.test(u)],
  ['audit events', (u) => /\/audit\//.test(u)],
  ['validation (class-validator, class-transformer, pipe)', (u) => /node_modules\/(class-validator|class-transformer|validator|libphonenumber-js)\/|\/common\/pipes\/|\/dto\//.test(u)],
  ['rate limit (@nestjs/throttler, token buckets)', (u) => /node_modules\/@nestjs\/throttler\/|\/throttling\//.test(u)],
  ['API key, roles, lockout, address lists', (u) => /\/auth\//.test(u)],
  ['body guard and input scan', (u) => /\/common\/body\/|\/common\/security\//.test(u)],
  ['metrics (prom-client, HTTP metrics)', (u) => /node_modules\/prom-client\/|\/metrics\//.test(u)],
  ['security headers (helmet)', (u) => /node_modules\/helmet\/|security-headers/.test(u)],
  ['Nest (router, guards, pipes, filters)', (u) => /node_modules\/@nestjs\/(core|common|platform-express)\/|node_modules\/(rxjs|reflect-metadata)\//.test(u)],
  ['Express (router, res.json, send)', (u) => /node_modules\/(express|router|send|finalhandler|body-parser|content-type|type-is|mime-types|mime-db|etag|fresh|qs|path-to-regexp|on-finished|statuses|cookie|vary|accepts|negotiator|parseurl|encodeurl|escape-html|http-errors|depd|debug|range-parser|merge-descriptors|media-typer|raw-body|iconv-lite|bytes|content-disposition|proxy-addr|forwarded|ipaddr\.js)\//.test(u)],
  ['the service (other code)', (u) => /\/dist\//.test(u)],
  ['Node HTTP, streams and sockets', (u) => /^node:|^internal\//.test(u) || u === ''],
  ['other packages', () => true],
];

function startService(dir, port) {
  const env = {
    PATH: process.env.PATH,
    HOST: '127.0.0.1',
    PORT: String(port),
    MFN_ENV: 'prod',
    MFN_API_KEY: API_KEY,
    MFN_MASTER_KEY: randomBytes(32).toString('base64'),
    MFN_RATE_LIMIT_ENABLED: 'true',
    MFN_RATE_LIMIT_REQUESTS: '1000000',
    MFN_RATE_LIMIT_ROUTES: '/health=100000000,/nernst=100000000',
    MFN_LOG_FORMAT: 'json',
    MFN_LOG_LEVEL: 'INFO',
    ...EXTRA_ENV,
  };
  const script = BARE ? path.join(__dirname, BARE_SCRIPT) : path.join(ROOT, 'dist', 'main.js');
  return spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, script], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

const API_KEY = randomBytes(24).toString('hex');

async function waitUp(baseUrl) {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${baseUrl}/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the service did not start');
}

/** A frame that moves bytes on a socket (the writes of a reply, the reads of a request). */
const isSocketIo = ({ url, functionName }) =>
  url === '' && /^(writev|writeUtf8String|writeBuffer|writeLatin1String|onStreamRead|readStart|readStop)$/.test(functionName);

/** Module loading and compilation at start-up: not part of serving requests. */
const isStartup = (url) => /internal\/modules\//.test(url);

const isNodeInternal = (url) => /^node:|^internal\//.test(url) || url === '';

/**
 * CPU time per component, from a V8 .cpuprofile (samples x time deltas). Time in Node's own code
 * (a socket write, a stdout write, a timer) counts for the nearest caller outside it: the log
 * line's write is log output, the reply's socket write is Express's.
 */
function shares(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  const inStartup = (id) => {
    for (let at = id; at !== undefined; at = parentOf.get(at)) if (isStartup(byId.get(at).callFrame.url)) return true;
    return false;
  };
  const owner = (id) => {
    for (let at = id; at !== undefined; at = parentOf.get(at)) {
      const url = byId.get(at).callFrame.url.replace(/^file:\/\//, '');
      if (!isNodeInternal(url)) return url;
    }
    return '';
  };
  const selfUs = new Map();
  // eslint-disable-next-line security/detect-object-injection -- integer index: one time delta per sample
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const totals = new Map(COMPONENTS.map(([name]) => [name, 0]));
  let idle = 0;
  let all = 0;
  for (const [id, us] of selfUs) {
    const { callFrame } = byId.get(id);
    if (callFrame.functionName === '(idle)' || callFrame.functionName === '(program)' || inStartup(id)) {
      idle += us;
      continue;
    }
    all += us;
    const url = owner(id);
    const name =
      callFrame.functionName === '(garbage collector)'
        ? 'garbage collection'
        : isSocketIo(callFrame)
          ? 'socket reads and writes (bare Express pays them too)'
          : COMPONENTS.find(([, test]) => test(url, callFrame.functionName))[0];
    totals.set(name, (totals.get(name) ?? 0) + us);
  }
  return { totals, all, idle };
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'mfn-profile-'));
  let served = 0;
  const port = await freePort();
  const child = startService(dir, port);
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitUp(baseUrl);
    const request = { url: `${baseUrl}${ROUTE.path}`, method: ROUTE.method, body: ROUTE.body, headers: { 'x-api-key': API_KEY }, connections: CONNECTIONS };
    const warm = await load({ ...request, duration: 3 });
    const run = await load({ ...request, duration: DURATION });
    if (run.non2xx > 0 || run.errors > 0) throw new Error(`${ROUTE.method} ${ROUTE.path}: ${run.non2xx} non-2xx answers, ${run.errors} errors`);
    served = warm.requests + run.requests;
    console.log(`${BARE ? `bare ${BARE_SCRIPT === 'bare-nest.js' ? 'NestJS' : 'Express'}` : 'guarded'} ${ROUTE.method} ${ROUTE.path}: ${run.reqPerSec} req/s over ${DURATION}s, ${CONNECTIONS} connections, env ${JSON.stringify(EXTRA_ENV)}`);
  } finally {
    child.kill(BARE ? 'SIGTERM' : 'SIGINT');
    await new Promise((r) => child.once('exit', r));
  }
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the temporary directory this script created for the profile
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the profile node wrote into this script's temporary directory
  const { totals, all } = shares(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
  if (process.env.PROFILE_KEEP) console.log('profile kept in', path.join(dir, file));
  else rmSync(dir, { recursive: true, force: true });
  console.log(`CPU per request ${(all / served).toFixed(0)} µs; by component (share, µs per request):`);
  for (const [name, us] of [...totals].sort((a, b) => b[1] - a[1])) {
    if (us > 0) console.log(`  ${((100 * us) / all).toFixed(1).padStart(5)}%  ${(us / served).toFixed(1).padStart(6)} µs  ${name}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
