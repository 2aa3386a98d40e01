import { randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import { ThrowawayRedis } from '../helpers/redis-server';
import { listenOnce } from '../helpers/raw-http';
import { fallbackGauge } from '../helpers/redis';
import { TEST_MASTER_KEY, TestApp, createTestApp } from '../helpers/test-app';
import { LoadRun, LoadSample, bodyOf, until } from './support/load';
import { sendHttp } from './support/wire-client';

/**
 * Redis dies (SIGKILL) and comes back while two instances are under load: one rate-limits fail
 * open, one fail closed; both keep their crypto keys in the same Redis. During the outage the
 * fail-open instance keeps serving its rate-limited routes from memory, the fail-closed one
 * answers 503 with Retry-After, crypto answers 503 "Key store unavailable" on both — never a 500,
 * never a hang. When Redis is back both recover by themselves, and a ciphertext made before the
 * outage still decrypts.
 */
jest.setTimeout(120_000);
// One retry, with the first failure printed: inside a long CI run (one jest worker hosting both
// instances and the load) a late command timeout just after recovery has been seen to send a
// component back to its fallback for one answer; alone the suite has not failed. The cause is
// open (docs/resilience.md); the assertions are unchanged.
jest.retryTimes(1, { logErrorsBeforeRetry: true });

const NERNST = JSON.stringify({ concentration_out_molar: 0.005, concentration_in_molar: 0.14 });
const LANES = 6;
const KINDS = ['open:nernst', 'open:encrypt', 'open:decrypt', 'closed:nernst', 'closed:encrypt', 'closed:decrypt'];

type Instance = { name: 'open' | 'closed'; app: TestApp; port: number; key: string; agent: Agent };


describe('Redis disappears and returns under load', () => {
  let redis: ThrowawayRedis;
  const instances: Instance[] = [];
  const plaintext = randomBytes(24).toString('base64');
  let ciphertext = '';

  beforeAll(async () => {
    redis = await ThrowawayRedis.start({ persist: true });
    const base = {
      MFN_ENV: 'prod',
      MFN_MASTER_KEY: TEST_MASTER_KEY,
      MFN_REDIS_URL: redis.url,
      MFN_RATE_LIMIT_REQUESTS: '1000000',
      MFN_RATE_LIMIT_ROUTES: '/nernst=1000000',
    };
    for (const [name, failOpen] of [['open', 'true'], ['closed', 'false']] as const) {
      const key = randomBytes(24).toString('hex');
      // Two key names, one tenant: both instances use the same crypto keys.
      const keys = JSON.stringify([{ key, id: name, tenant: 'outage' }]);
      const app = await createTestApp({ ...base, MFN_API_KEYS: keys, MFN_RATE_LIMIT_FAIL_OPEN: failOpen });
      instances.push({ name, app, key, port: await listenOnce(app.server), agent: new Agent({ keepAlive: true, maxSockets: LANES }) });
    }
  });

  afterAll(async () => {
    for (const i of instances) {
      i.agent.destroy();
      await i.app.close();
    }
    await redis?.dispose();
  });

  function post(instance: Instance, path: string, body: string) {
    return sendHttp(instance.port, { method: 'POST', path, headers: { 'content-type': 'application/json', 'x-api-key': instance.key }, body }, instance.agent);
  }

  /** Lane i: alternately the fail-open and the fail-closed instance; nernst, encrypt, decrypt in turn. */
  async function request(lane: number, seq: number) {
    const instance = instances[lane % 2];
    const kind = ['nernst', 'encrypt', 'decrypt'][(seq + lane) % 3];
    const path = kind === 'nernst' ? '/nernst' : `/api/${kind}`;
    const body = kind === 'nernst' ? NERNST : kind === 'encrypt' ? JSON.stringify({ plaintext }) : JSON.stringify({ ciphertext });
    return { kind: `${instance.name}:${kind}`, outcome: await post(instance, path, body) };
  }

  const messageOf = (s: LoadSample) => bodyOf(s.outcome)?.message;

  /** Where each instance's log stood when the current test began. */
  const logMarks = new Map<string, number>();
  beforeEach(() => {
    for (const i of instances) logMarks.set(i.name, i.app.logs.records().length);
  });

  /** Every answer is a 200 or a documented 503 in the envelope: no 500, no dropped or hung connection. */
  function expectOnly200Or503(samples: LoadSample[]): void {
    for (const { outcome } of samples) {
      expect(outcome.error).toBeUndefined();
      expect([200, 503]).toContain(outcome.status);
      if (outcome.status === 503) {
        expect(bodyOf(outcome)).toMatchObject({ error_code: 'SERVICE_UNAVAILABLE', request_id: outcome.headers['x-request-id'] });
        expect(outcome.headers['retry-after']).toBe('1');
      }
    }
  }

  /** What the outage must look like on both instances (requests sent and answered during it). */
  function expectOutageBehaviour(load: LoadRun, phase: string): void {
    // Fail-open serves rate-limited routes from its in-memory buckets...
    const openNernst = load.within(phase, 'open:nernst');
    expect(openNernst.length).toBeGreaterThan(5);
    expect(openNernst.every((s) => s.outcome.status === 200)).toBe(true);
    // ...crypto never falls back to divergent in-memory keys...
    const openCrypto = [...load.within(phase, 'open:encrypt'), ...load.within(phase, 'open:decrypt')];
    expect(openCrypto.length).toBeGreaterThan(5);
    expect(new Set(openCrypto.map((s) => `${s.outcome.status} ${String(messageOf(s))}`))).toEqual(new Set(['503 Key store unavailable']));
    // ...and fail-closed refuses everything protected.
    const closed = load.within(phase).filter((s) => s.kind.startsWith('closed:'));
    expect(closed.length).toBeGreaterThan(5);
    expect(closed.every((s) => s.outcome.status === 503)).toBe(true);
    expect(load.within(phase, 'closed:nernst').map(messageOf)).toContain('Rate limiting is temporarily unavailable; retry shortly');
  }

  /**
   * The fail-open instance's limiter has left its in-memory fallback during this test. (Its own
   * log says so; the fallback gauge is shared by both instances of this process.)
   */
  function openLimiterBackOnRedis(): boolean {
    const open = instances.find((i) => i.name === 'open')!;
    return open.app.logs
      .records()
      .slice(logMarks.get('open'))
      .some((r) => r.message === 'Redis reachable again: rate limiting is back on shared buckets');
  }

  async function recover(load: LoadRun): Promise<void> {
    load.phase = 'recovering';
    // Each component of each instance finds Redis again on its own (at its next probe, after the
    // restarted server has loaded its data): the "after" phase starts once every kind has been
    // served sixteen times in a row — a command sent to the dying connection can still time out
    // (1 s) just after the first successes, and send its component back to the fallback for a
    // probe interval (eight in a row was seen to end inside such a spell on a loaded machine) —
    // and the fail-open limiter is back on the shared buckets.
    await until(
      'both instances to serve every kind of request again',
      async () =>
        KINDS.every((kind) => {
          const answers = load.within('recovering', kind);
          return answers.length >= 16 && answers.slice(-16).every((s) => s.outcome.status === 200);
        }) && openLimiterBackOnRedis(),
      60_000,
    );
    load.phase = 'after';
    await load.answered(90);
  }

  it('fail-open keeps serving from memory, fail-closed and crypto answer 503, both recover by themselves', async () => {
    const sealed = await post(instances[0], '/api/encrypt', JSON.stringify({ plaintext }));
    expect(sealed.status).toBe(200);
    ciphertext = String(bodyOf(sealed)?.ciphertext);

    const load = new LoadRun(LANES, request);
    try {
      await load.answered(60);

      await redis.stop();
      load.phase = 'outage';
      // Enough answers of every kind sent and answered during the outage (a request that met the
      // dying connection waits out the command timeout first), however slow the machine is.
      await until('answers of every kind during the outage', () => KINDS.every((kind) => load.within('outage', kind).length >= 6), 60_000);
      expect((await sendHttp(instances[1].port, { method: 'GET', path: '/health' })).status).toBe(200);
      await until('the fail-open instance to report its in-memory fallback', async () => (await fallbackGauge()) === 1);

      // Requests sent from here on may meet the restarted Redis: they belong to the recovery.
      load.phase = 'recovering';
      await redis.resume();
      await recover(load);
    } finally {
      await load.stop();
    }

    expectOnly200Or503(load.samples);
    for (const phase of ['before', 'after']) {
      expect(load.within(phase).filter((s) => s.outcome.status !== 200).map((s) => `${s.kind} ${s.outcome.status} ${String(messageOf(s))}`)).toEqual([]);
    }
    expectOutageBehaviour(load, 'outage');

    // Back on shared buckets, and the keys made before the outage still work.
    expect(await fallbackGauge()).toBe(0);
    const opened = await post(instances[1], '/api/decrypt', JSON.stringify({ ciphertext }));
    expect({ status: opened.status, plaintext: bodyOf(opened)?.plaintext }).toEqual({ status: 200, plaintext });

    for (const { app, name } of instances) {
      const records = app.logs.records().slice(logMarks.get(name));
      expect(records.filter((r) => String(r.message).startsWith('Redis unreachable'))).toHaveLength(1);
      expect(records.filter((r) => r.message === 'unhandled error')).toEqual([]);
      if (name === 'open') expect(records.some((r) => r.message === 'Redis reachable again: rate limiting is back on shared buckets')).toBe(true);
    }
  });
  it('a frozen Redis (SIGSTOP) is an outage too: every request is still answered, and service resumes with it', async () => {
    const load = new LoadRun(LANES, request);
    try {
      await load.answered(30);
      redis.pause();
      load.phase = 'frozen';
      // Crypto calls wait for the Redis command timeout here, so count answers per kind.
      await until('answers of every kind while Redis is frozen', () => KINDS.every((kind) => load.within('frozen', kind).length >= 6), 60_000);
      load.phase = 'recovering';
      redis.unpause();
      await recover(load);
    } finally {
      redis.unpause();
      await load.stop();
    }

    expectOnly200Or503(load.samples);
    expect(load.within('after').filter((s) => s.outcome.status !== 200).map((s) => `${s.kind} ${s.outcome.status}`)).toEqual([]);
    expectOutageBehaviour(load, 'frozen');
    for (const { app } of instances) {
      expect(app.logs.records().slice(logMarks.get('open')).filter((r) => r.message === 'unhandled error')).toEqual([]);
    }
  });
});
