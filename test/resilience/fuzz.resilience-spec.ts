import { randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import { listenOnce } from '../helpers/raw-http';
import { TEST_MASTER_KEY, TestApp, createTestApp } from '../helpers/test-app';
import { FUZZ_KEY_IDS, FuzzKeys, FuzzRequest, KnownSamples, fuzzCorpus, materialise } from './support/fuzz-corpus';
import { MB, heapUsedAfterGc } from './support/heap';
import { AccessLogIndex, responseProblems } from './support/response-checks';
import { WireOutcome, mapConcurrently, sendHttp, sendRaw } from './support/wire-client';

/**
 * Seeded fuzzing of the real, listening service: thousands of generated requests across every
 * route (see support/fuzz-corpus.ts) in the dev profile and in the prod profile with
 * authentication and rate limiting on. Every answer must be a correct answer of the service:
 * below 500 except the documented 5xx, the error envelope with the request id of X-Request-ID,
 * no key, path or stack trace, one access record with the same status. Afterwards the service
 * still answers its probes and its heap has not grown beyond a generous bound.
 */
jest.setTimeout(240_000);

/** MFN_FUZZ_SEED explores other corpora; the suite's own runs always use the default. */
const SEED = Number(process.env.MFN_FUZZ_SEED ?? 20260308);
const CONCURRENCY = 8;
const CHUNK = 500;
/** How long the access records of a chunk's answers are waited for, at most (they come within moments). */
const RECORD_WAIT_MS = 30_000;
/** Retained heap allowed to grow over the run (the in-memory buckets and key store are bounded far below). */
const HEAP_GROWTH_LIMIT = 64 * MB;

/**
 * A small pool with a short deadline. The per-caller compute limits (share and work budget) are
 * raised out of the way, the share above the capacity so a full pool still answers 503: the fuzz
 * client is one caller, and their 429s would mix with those of the request-count limits this
 * suite checks (test/compute-fairness.e2e-spec.ts covers them).
 */
const COMPUTE_ENV = {
  MFN_COMPUTE_WORKERS: '2',
  MFN_COMPUTE_TIMEOUT_MS: '3000',
  MFN_COMPUTE_QUEUE_MAX: '4',
  MFN_COMPUTE_MAX_PER_KEY: '7',
  MFN_COMPUTE_WORK_LIMIT: '1000000000',
};

const newKey = () => randomBytes(24).toString('hex');

function prodEnv(keys: FuzzKeys, limits: Record<string, string>): Record<string, string> {
  return {
    MFN_ENV: 'prod',
    MFN_MASTER_KEY: TEST_MASTER_KEY,
    MFN_API_KEYS: `admin:${keys.admin},compute:${keys.compute}:compute,crypto:${keys.crypto}:crypto,keys:${keys.keys}:keys`,
    ...COMPUTE_ENV,
    ...limits,
  };
}

interface FuzzRun {
  problems: string[];
  statuses: Map<number, number>;
  /** 2xx answers per route template. */
  served: Map<string, number>;
  heapGrowthBytes: number;
  /** The 429 answers (headers only). */
  limited: WireOutcome[];
}

function send(port: number, request: FuzzRequest, agent: Agent): Promise<WireOutcome> {
  if (request.kind === 'raw') return sendRaw(port, request.raw as Buffer);
  return sendHttp(port, { method: request.method, path: request.path, headers: request.headers, body: materialise(request.body) }, agent);
}

/**
 * Creates the keys the key routes address (so rotate/config/describe can succeed too) and a
 * ciphertext and a signature made with them (so decrypt and verify can).
 */
async function prepare(t: TestApp, apiKey: string | undefined): Promise<KnownSamples> {
  const port = await listenOnce(t.server);
  const headers = { 'content-type': 'application/json', ...(apiKey ? { 'x-api-key': apiKey } : {}) };
  const post = async (path: string, body: unknown, status: number) => {
    const res = await sendHttp(port, { method: 'POST', path, headers, body: JSON.stringify(body) });
    expect({ path, status: res.status }).toEqual({ path, status });
    return JSON.parse(res.text) as Record<string, string>;
  };
  const types = ['AES-256-GCM', 'Ed25519', 'X25519'];
  // eslint-disable-next-line security/detect-object-injection -- integer index into the parallel list of key types
  for (const [i, keyId] of FUZZ_KEY_IDS.entries()) await post('/api/keys', { type: types[i], key_id: keyId }, 201);
  const message = Buffer.from('resilience').toString('base64');
  const { ciphertext } = await post('/api/encrypt', { plaintext: message, key_id: 'fuzz-aes' }, 200);
  const { signature } = await post('/api/sign', { message, key_id: 'fuzz-ed' }, 200);
  return { ciphertext, signature, message };
}

function corpusFor(t: TestApp, seed: number, count: number, known: KnownSamples, keys?: FuzzKeys): FuzzRequest[] {
  return fuzzCorpus({ seed, count, known, keys, maxBodyBytes: t.config.http.maxBodyBytes, aggregateMaxBytes: t.config.http.aggregateMaxBytes });
}

async function fuzz(t: TestApp, corpus: FuzzRequest[], secrets: string[]): Promise<FuzzRun> {
  const port = await listenOnce(t.server);
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const index = new AccessLogIndex(secrets);
  const run: FuzzRun = { problems: [], statuses: new Map(), served: new Map(), heapGrowthBytes: 0, limited: [] };
  let baseline = 0;
  try {
    for (let start = 0; start < corpus.length; start += CHUNK) {
      const chunk = corpus.slice(start, start + CHUNK);
      const answers = await mapConcurrently(chunk, CONCURRENCY, (request) => send(port, request, agent));
      // An access record is written when the connection lets go of the response: for a refused
      // upload, a moment after the answer (the connection is held briefly, then closed). Waiting
      // for them is no bound on how soon: a record still missing after RECORD_WAIT_MS is
      // reported by the check below.
      const ids = answers.map((a) => a.headers['x-request-id']).filter((id): id is string => typeof id === 'string');
      const deadline = Date.now() + RECORD_WAIT_MS;
      for (;;) {
        await new Promise((resolve) => setImmediate(resolve));
        index.drain(t.logs);
        if (Date.now() > deadline || ids.every((id) => index.records.has(id))) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // Checked chunk by chunk, so the run keeps no response bodies and the heap reflects the service.
      // eslint-disable-next-line security/detect-object-injection -- integer index: one answer per request, in order
      chunk.forEach((request, i) => check(request, answers[i], index, secrets, run));
      // The first chunk warms every code path (lazy modules, caches, worker threads).
      if (start === 0) baseline = heapUsedAfterGc();
      // The collections block the event loop (seconds on a loaded machine). Let what came due
      // meanwhile run first (the server closing keep-alive connections idle past its timeout) and
      // the agent see those closes, or the next chunk would be written to sockets being closed.
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    agent.destroy();
  }
  run.heapGrowthBytes = heapUsedAfterGc() - baseline;
  run.problems.push(...index.forbiddenLines.map((line) => `log line that must not be written: ${line}`));
  return run;
}

function check(request: FuzzRequest, outcome: WireOutcome, index: AccessLogIndex, secrets: string[], run: FuzzRun): void {
  const requestId = typeof outcome.headers['x-request-id'] === 'string' ? outcome.headers['x-request-id'] : undefined;
  const records = requestId ? (index.records.get(requestId) ?? []) : [];
  const route = records[0]?.route;
  // A request Node's parser refused never had its headers read: its id is always a fresh one.
  const keptRequestId = records[0]?.message === 'malformed request rejected' ? undefined : request.keptRequestId;
  const found = responseProblems(outcome, { method: request.method, keptRequestId, route, secrets });
  if (outcome.status !== undefined) {
    run.statuses.set(outcome.status, (run.statuses.get(outcome.status) ?? 0) + 1);
    if (records.length !== 1) found.push(`${records.length} access records for request id ${String(requestId)}`);
    else if (records[0].status !== outcome.status) found.push(`access record says ${records[0].status}, the client got ${outcome.status}`);
    if (outcome.status < 300 && route) run.served.set(route, (run.served.get(route) ?? 0) + 1);
    if (outcome.status === 429) run.limited.push({ ...outcome, text: '' });
  }
  for (const problem of found) run.problems.push(`#${request.index} ${request.label}: ${problem}`);
}

async function expectStillServing(t: TestApp): Promise<void> {
  const port = await listenOnce(t.server);
  const live = await sendHttp(port, { method: 'GET', path: '/health' });
  expect({ status: live.status, body: live.text }).toEqual({ status: 200, body: JSON.stringify({ status: 'healthy', version: '4.1.0' }) });
  expect((await sendHttp(port, { method: 'GET', path: '/health/ready' })).status).toBe(200);
}

/**
 * Problems grouped by kind (request details stripped), with a count and the first example, so a
 * systematic fault reads as one line and does not hide the others.
 */
function summary(problems: string[]): string[] {
  const groups = new Map<string, { count: number; example: string }>();
  for (const problem of problems) {
    const kind = problem
      .replace(/^#\d+ [^:]*: /, '')
      .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<id>')
      .replace(/"(request_id|timestamp)":"[^"]*"/g, '"$1":…')
      .slice(0, 160);
    const group = groups.get(kind);
    if (group) group.count++;
    else groups.set(kind, { count: 1, example: problem.slice(0, 400) });
  }
  return [...groups.values()].slice(0, 60).map((g) => `${g.count} x ${g.example}`);
}

describe('fuzz: dev profile (no auth, no rate limits, docs on)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ MFN_ENV: 'dev', ...COMPUTE_ENV });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('answers 2,500 generated requests correctly, keeps serving, and keeps its heap bounded', async () => {
    const corpus = corpusFor(t, SEED, 2_500, await prepare(t, undefined));
    const run = await fuzz(t, corpus, []);

    expect(summary(run.problems)).toEqual([]);
    expect(run.heapGrowthBytes).toBeLessThan(HEAP_GROWTH_LIMIT);
    await expectStillServing(t);
    // The corpus reaches past validation on every route, not only the error paths.
    for (const route of ['/nernst', '/simulate', '/validate', '/federated/aggregate', '/api/encrypt', '/api/decrypt', '/api/sign', '/api/verify', '/api/keypair', '/api/keys', '/api/keys/:key_id', '/api/keys/:key_id/rotate', '/api/keys/:key_id/config', '/health', '/health/ready', '/metrics', '/docs', '/openapi.json']) {
      expect({ route, served: (run.served.get(route) ?? 0) > 0 }).toEqual({ route, served: true });
    }
    for (const status of [400, 404, 405, 413, 415, 422]) expect({ status, seen: run.statuses.has(status) }).toEqual({ status, seen: true });
  });
});

describe('fuzz: prod profile (API keys with roles, rate limiting, no docs)', () => {
  const keys: FuzzKeys = { admin: newKey(), compute: newKey(), crypto: newKey(), keys: newKey() };
  const secrets = Object.values(keys);

  it('answers 2,500 generated requests correctly with limits raised out of the way', async () => {
    const high = '1000000';
    const t = await createTestApp(
      prodEnv(keys, {
        MFN_RATE_LIMIT_REQUESTS: high,
        MFN_RATE_LIMIT_ROUTES: `/health=${high},/nernst=${high},/simulate=${high},/validate=${high},/federated/aggregate=${high},/jobs/simulate=${high},/jobs/validate=${high},/jobs/aggregate=${high}`,
        // The corpus fails authentication hundreds of times from one address: no lockout either.
        MFN_AUTH_LOCKOUT_ENABLED: 'false',
      }),
    );
    try {
      const corpus = corpusFor(t, SEED + 1, 2_500, await prepare(t, keys.admin), keys);
      const run = await fuzz(t, corpus, secrets);

      expect(summary(run.problems)).toEqual([]);
      expect(run.heapGrowthBytes).toBeLessThan(HEAP_GROWTH_LIMIT);
      await expectStillServing(t);
      expect(run.statuses.get(429) ?? 0).toBe(0);
      for (const status of [200, 401, 403, 404, 405, 413, 415, 422]) expect({ status, seen: run.statuses.has(status) }).toEqual({ status, seen: true });
      for (const route of ['/nernst', '/simulate', '/api/encrypt', '/api/sign', '/api/keys/:key_id']) {
        expect({ route, served: (run.served.get(route) ?? 0) > 0 }).toEqual({ route, served: true });
      }
    } finally {
      await t.close();
    }
  });

  it('answers 1,000 generated requests correctly under real limits: every 429 carries Retry-After', async () => {
    const t = await createTestApp(prodEnv(keys, { MFN_RATE_LIMIT_REQUESTS: '20', MFN_RATE_LIMIT_ROUTES: '/nernst=40', MFN_RATE_LIMIT_WINDOW: '60' }));
    try {
      const corpus = corpusFor(t, SEED + 2, 1_000, await prepare(t, keys.admin), keys);
      const run = await fuzz(t, corpus, secrets);

      expect(summary(run.problems)).toEqual([]);
      await expectStillServing(t);
      expect(run.limited.length).toBeGreaterThan(100);
      for (const outcome of run.limited) {
        expect(outcome.headers['x-ratelimit-remaining']).toBe('0');
        expect(Number(outcome.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      }
    } finally {
      await t.close();
    }
  });
});
