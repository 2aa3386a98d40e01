import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { POST_ROUTES } from '../helpers/post-routes';
import { ServiceProcess, freePort, startServiceProcess, waitUntilUp } from '../helpers/service-process';
import { TEST_MASTER_KEY } from '../helpers/test-app';
import { WireOutcome, mapConcurrently, sendHttp } from './support/wire-client';

/**
 * Hostile bodies against the real process: without a key nothing is read, inflated or parsed, so
 * memory stays flat and every `/health` probe sent meanwhile is answered; with a key,
 * maximum-size hostile bodies are bounded by the body limits, the shape limits and the in-flight
 * body budget, and every answer is an envelope. Memory is the child's resident set read from
 * /proc. How fast the probes are answered during the flood is measured by `npm run bench`
 * (bench/body-flood.js), not here.
 */
jest.setTimeout(240_000);

const MB = 1024 * 1024;
const KEY = randomBytes(24).toString('hex');
const CONCURRENCY = 20;

function rssMb(pid: number): number {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the /proc status of the service process the test started
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/** Samples the child's RSS until stopped; returns the peak. */
function sampleRss(pid: number): { stop(): number } {
  let peak = rssMb(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 10);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, rssMb(pid));
    },
  };
}

/**
 * GET /health in a loop from a process of its own (the flood's client must not share its event
 * loop with the probe) until stopped; returns what each probe got, in order: its status, or the
 * transport error instead.
 */
function probeHealth(port: number): { stop(): Promise<string[]> } {
  const script = `
    const http = require('node:http');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const answers = [];
    let running = true;
    process.stdin.on('end', () => (running = false)).resume();
    (async () => {
      while (running) {
        answers.push(await new Promise((resolve) =>
          http.get({ host: '127.0.0.1', port: ${port}, path: '/health', agent }, (res) => {
            res.resume();
            res.on('end', () => resolve(String(res.statusCode)));
          }).on('error', (err) => resolve(err.code || err.message))));
        await new Promise((r) => setTimeout(r, 5));
      }
      process.stdout.write(JSON.stringify(answers));
      agent.destroy();
    })();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    async stop() {
      child.stdin.end();
      await exited;
      return JSON.parse(out) as string[];
    },
  };
}

interface Hostile {
  name: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** The bodies of the review: inflating and plain `[{},{},…]`, `<` runs, deep nesting. */
function hostileBodies(sizeBytes: number): Hostile[] {
  const objects = Buffer.from(`[${'{},'.repeat(Math.floor(sizeBytes / 3) - 1)}{}]`);
  const angles = Buffer.from(`{"plaintext":"${'<'.repeat(sizeBytes - 20)}","key_id":"x"}`);
  const deep = Buffer.from(`${'['.repeat(Math.floor(sizeBytes / 2))}${']'.repeat(Math.floor(sizeBytes / 2))}`);
  const json = { 'content-type': 'application/json' };
  return [
    { name: 'gzip objects', headers: { ...json, 'content-encoding': 'gzip' }, body: gzipSync(objects) },
    { name: 'gzip angles', headers: { ...json, 'content-encoding': 'gzip' }, body: gzipSync(angles) },
    { name: 'plain objects', headers: json, body: objects },
    { name: 'plain angles', headers: json, body: angles },
    { name: 'plain deep', headers: json, body: deep },
  ];
}

function isEnvelope(res: WireOutcome): boolean {
  try {
    const body = JSON.parse(res.text) as Record<string, unknown>;
    return typeof body.error_code === 'string' && body.request_id === res.headers['x-request-id'];
  } catch {
    return false;
  }
}

async function startService(extra: Record<string, string> = {}): Promise<ServiceProcess> {
  const port = await freePort();
  const svc = startServiceProcess({
    PORT: String(port),
    MFN_ENV: 'prod',
    MFN_API_KEY: KEY,
    MFN_MASTER_KEY: TEST_MASTER_KEY,
    MFN_COMPUTE_WORKERS: '1',
    MFN_LOG_LEVEL: 'WARNING',
    MFN_RATE_LIMIT_ROUTES: '/health=1000000',
    ...extra,
  });
  await waitUntilUp(svc);
  return svc;
}

/** Lets the child settle after start-up (JIT, first allocations) before its baseline is read. */
async function warmUp(port: number): Promise<void> {
  const headers = { 'content-type': 'application/json', 'x-api-key': KEY };
  for (let i = 0; i < 50; i++) {
    await sendHttp(port, { method: 'POST', path: '/nernst', headers, body: '{"concentration_out_molar":0.005,"concentration_in_molar":0.14}' });
    await sendHttp(port, { method: 'GET', path: '/health' });
  }
  await new Promise((r) => setTimeout(r, 500));
}

describe('hostile bodies without a key', () => {
  let svc: ServiceProcess;

  beforeAll(async () => {
    svc = await startService();
    await warmUp(svc.port);
  });

  afterAll(async () => {
    await svc?.stop();
  });

  it(`refuses ${CONCURRENCY} concurrent hostile bodies per kind on every POST route with RSS flat and every /health probe answered`, async () => {
    const pid = svc.child.pid!;
    const flood = (size: number) =>
      mapConcurrently(
        POST_ROUTES.flatMap((path) => hostileBodies(size).flatMap((h) => Array.from({ length: CONCURRENCY }, () => ({ path, ...h })))),
        CONCURRENCY,
        (w) => sendHttp(svc.port, { method: 'POST', path: w.path, headers: w.headers, body: w.body, timeoutMs: 60_000 }),
      );
    // The same requests with 256 KiB bodies first: the baseline includes what refusing them costs
    // (code paths compiled, heap grown to their pace), so the growth measured is what 32 times
    // larger bodies add — nothing, when refusing does not depend on the body.
    await flood(256 * 1024);
    await new Promise((r) => setTimeout(r, 500));
    const baseline = rssMb(pid);
    const rss = sampleRss(pid);
    const probes = probeHealth(svc.port);
    const outcomes = await flood(8 * MB);
    const probed = await probes.stop();
    const peak = rss.stop();

    const statuses = new Map<string, number>();
    for (const o of outcomes) statuses.set(String(o.status ?? o.error), (statuses.get(String(o.status ?? o.error)) ?? 0) + 1);
    expect([...statuses.keys()].filter((s) => !['401', '403', '429'].includes(s))).toEqual([]);
    expect(outcomes.every(isEnvelope)).toBe(true);
    // Flat: what is left is V8's young generation growing to its bound under the burst of
    // allocations (two semi-spaces of up to 32 MB each on Node 24; with
    // --max-semi-space-size=16 the growth stays under 30 MB), not the bodies: holding on to them
    // would add hundreds of megabytes (the flood sends gigabytes).
    expect(peak - baseline).toBeLessThan(80);
    // Probes kept going through the whole flood, and each of them got its 200.
    expect(probed.length).toBeGreaterThan(20);
    expect(probed.filter((answer) => answer !== '200')).toEqual([]);
  });
});

describe('maximum-size hostile bodies with a valid key', () => {
  let svc: ServiceProcess;

  beforeAll(async () => {
    svc = await startService({ MFN_RATE_LIMIT_ENABLED: 'false' });
    await warmUp(svc.port);
  });

  afterAll(async () => {
    await svc?.stop();
  });

  it('stays alive under 450 MB RSS and answers every one with an envelope', async () => {
    const pid = svc.child.pid!;
    const rss = sampleRss(pid);
    // Each route's own byte limit: the gradient upload takes 8 MiB, every other route 2 MiB.
    const work = POST_ROUTES.flatMap((path) => {
      const size = path === '/federated/aggregate' ? 8 * MB - 64 : 2 * MB - 64;
      const numbers = Buffer.from(`{"gradients":[[${Array.from({ length: Math.floor(size / 9) }, (_, i) => (i % 97) / 97 + 0.0001).map((v) => v.toFixed(6)).join(',')}]]}`.slice(0, size));
      return [...hostileBodies(size), { name: 'numbers', headers: { 'content-type': 'application/json' }, body: numbers }].flatMap((h) =>
        Array.from({ length: CONCURRENCY }, () => ({ path, ...h, headers: { ...h.headers, 'x-api-key': KEY } })),
      );
    });
    const outcomes = await mapConcurrently(work, CONCURRENCY, (w) =>
      sendHttp(svc.port, { method: 'POST', path: w.path, headers: w.headers, body: w.body, timeoutMs: 120_000 }),
    );
    const peak = rss.stop();

    const broken = outcomes.filter((o) => o.status === undefined || (o.status >= 300 && !isEnvelope(o)));
    expect(broken.map((o) => o.error ?? o.status)).toEqual([]);
    expect(outcomes.filter((o) => o.status !== undefined && o.status >= 500 && o.status !== 503)).toEqual([]);
    expect(peak).toBeLessThan(450);
    expect(svc.child.exitCode).toBeNull();
    const health = await sendHttp(svc.port, { method: 'GET', path: '/health' });
    expect(health.status).toBe(200);
  });
});
