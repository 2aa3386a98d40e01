import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { listenOnce } from './helpers/raw-http';
import { SentinelSet, ThrowawayCluster, ask } from './helpers/redis-topology';
import { createTestApp, TEST_MASTER_KEY, TestApp } from './helpers/test-app';
import { until } from './helpers/until';

jest.setTimeout(180_000);

/**
 * The service on a Redis Sentinel set and on a Redis Cluster, each spawned for the suite: two
 * instances share rate limits, lockouts and crypto keys through it, readiness is green, a
 * Sentinel failover is survived, and on the Cluster every record keeps its keys in one slot.
 */

const NERNST = { concentration_out_molar: 0.005, concentration_in_molar: 0.14 };
const FAILURES = 4;
const newKey = () => randomBytes(32).toString('base64url');
const RL_KEY = newKey();
const OPS_KEY = newKey();
const RL_PREFIX = 'mfn-test:topo';
const CRYPTO_PREFIX = 'mfn-test:topo:crypto:';

function envFor(redisUrl: string): Record<string, string> {
  return {
    MFN_ENV: 'prod',
    MFN_MASTER_KEY: TEST_MASTER_KEY,
    MFN_API_KEYS: `limited:${RL_KEY},ops:${OPS_KEY}`,
    MFN_REDIS_URL: redisUrl,
    MFN_RATE_LIMIT_KEY_PREFIX: RL_PREFIX,
    MFN_RATE_LIMIT_ROUTES: '/nernst=10',
    MFN_RATE_LIMIT_REQUESTS: '100000',
    MFN_RATE_LIMIT_WINDOW: '3600',
    MFN_CRYPTO_REDIS_PREFIX: CRYPTO_PREFIX,
    MFN_TRUST_PROXY_HEADERS: 'true',
    MFN_AUTH_LOCKOUT_FAILURES: String(FAILURES),
    MFN_AUTH_LOCKOUT_WINDOW_S: '600',
    MFN_AUTH_LOCKOUT_S: '300',
  };
}

const api = (t: TestApp, path: string, body: unknown, key = OPS_KEY) =>
  request(t.server).post(path).set('X-API-Key', key).set('Content-Type', 'application/json').send(JSON.stringify(body));

const b64 = (text: string) => Buffer.from(text).toString('base64');

async function startPair(url: string): Promise<[TestApp, TestApp]> {
  const a = await createTestApp(envFor(url));
  const b = await createTestApp(envFor(url));
  await Promise.all([listenOnce(a.server), listenOnce(b.server)]);
  return [a, b];
}

/** The behaviours every topology must show, on a pair of instances sharing one Redis. */
function sharedBehaviour(pair: () => [TestApp, TestApp]): void {
  it('reports ready on both instances', async () => {
    const [a, b] = pair();
    await until('both ready', async () => (await request(a.server).get('/health/ready')).status === 200 && (await request(b.server).get('/health/ready')).status === 200, 30_000, 100);
  });

  it('shares one rate limit: exactly 10 of 30 requests spread over both instances succeed', async () => {
    const [a, b] = pair();
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => api(i % 2 === 0 ? a : b, '/nernst', NERNST, RL_KEY)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(10);
    expect(results.filter((r) => r.status === 429)).toHaveLength(20);
  });

  it('shares lockouts: failures on one instance lock the address on the other', async () => {
    const [a, b] = pair();
    const attempt = (t: TestApp, address: string, key: string) => api(t, '/nernst', NERNST, key).set('X-Forwarded-For', address);
    for (let i = 0; i < FAILURES; i++) expect((await attempt(i % 2 === 0 ? a : b, '203.0.113.9', newKey())).status).toBe(401);
    expect((await attempt(b, '203.0.113.9', OPS_KEY)).status).toBe(429);
    expect((await attempt(a, '203.0.113.10', OPS_KEY)).status).toBe(200);
  });

  it('shares crypto keys: created on one instance, rotated on the other, usable on both', async () => {
    const [a, b] = pair();
    await api(a, '/api/keys', { type: 'AES-256-GCM', key_id: 'shared' }).expect(201);
    const v1 = await api(b, '/api/encrypt', { plaintext: b64('one'), key_id: 'shared' }).expect(200);
    await api(b, '/api/keys/shared/rotate', {}).expect(200);
    const v2 = await api(a, '/api/encrypt', { plaintext: b64('two'), key_id: 'shared' }).expect(200);
    expect(v2.body.key_version).not.toBe(v1.body.key_version);
    const d1 = await api(a, '/api/decrypt', { ciphertext: v1.body.ciphertext, key_id: 'shared' }).expect(200);
    const d2 = await api(b, '/api/decrypt', { ciphertext: v2.body.ciphertext, key_id: 'shared' }).expect(200);
    expect(Buffer.from(d1.body.plaintext, 'base64').toString()).toBe('one');
    expect(Buffer.from(d2.body.plaintext, 'base64').toString()).toBe('two');
  });
}

describe('on Redis Sentinel (1 master, 1 replica, 2 sentinels)', () => {
  let set: SentinelSet;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    set = await SentinelSet.start(2);
    [a, b] = await startPair(set.url(0));
  });

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await set?.dispose();
  });

  sharedBehaviour(() => [a, b]);

  it('survives a failover: once the replica is promoted, both instances serve from it again', async () => {
    const encrypted = await api(a, '/api/encrypt', { plaintext: b64('before'), key_id: 'shared' }).expect(200);
    const promoted = await set.failover();
    expect(promoted).toBe(set.replica.port);
    // Until the clients have found the new master, requests may be answered from the fallbacks or fail; wait for success.
    for (const t of [a, b]) {
      await until(
        'decrypt after failover',
        async () => {
          const res = await api(t, '/api/decrypt', { ciphertext: encrypted.body.ciphertext, key_id: 'shared' });
          return res.status === 200 && Buffer.from(res.body.plaintext, 'base64').toString() === 'before';
        },
        60_000,
        200,
      );
      await until('ready after failover', async () => (await request(t.server).get('/health/ready')).status === 200, 60_000, 200);
    }
    // Writes land on the new master: a key created now is there, and the other instance uses it.
    await until('create after failover', async () => (await api(b, '/api/keys', { type: 'AES-256-GCM', key_id: 'after-failover' })).status === 201, 60_000, 200);
    await api(a, '/api/encrypt', { plaintext: b64('x'), key_id: 'after-failover' }).expect(200);
    const records = (await ask(promoted, 'KEYS', `${CRYPTO_PREFIX}key:*/after-failover`)) as string[];
    expect(records).toHaveLength(1);
  });
});

describe('on Redis Cluster (3 masters)', () => {
  let cluster: ThrowawayCluster;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    cluster = await ThrowawayCluster.start(3);
    [a, b] = await startPair(cluster.url);
  });

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await cluster?.dispose();
  });

  sharedBehaviour(() => [a, b]);

  it('keeps every key-store name in one slot, under the key-store hash tag', async () => {
    const keys = await cluster.keys(`${CRYPTO_PREFIX}*`);
    const record = keys.find((k) => k.endsWith('/shared'));
    expect(record).toMatch(/^mfn-test:topo:crypto:\{keystore\}:key:[^/]+\/shared$/);
    const tenant = record!.slice(`${CRYPTO_PREFIX}{keystore}:key:`.length, -'/shared'.length);
    expect(keys).toEqual(expect.arrayContaining([`${CRYPTO_PREFIX}{keystore}:index:${tenant}`, `${CRYPTO_PREFIX}{keystore}:usage:${tenant}`]));
    for (const key of keys) expect(key.startsWith(`${CRYPTO_PREFIX}{keystore}:`)).toBe(true);
    const slots = new Set(await Promise.all(keys.map((k) => cluster.keyslot(k))));
    expect(slots.size).toBe(1);
  });

  it('keeps one hash tag per bucket and per locked address', async () => {
    const buckets = await cluster.keys(`${RL_PREFIX}:{*`);
    expect(buckets).toContain(`${RL_PREFIX}:{key:limited|/nernst}`);
    const lockout = await cluster.keys(`${RL_PREFIX}:lockout:*`);
    expect(lockout).toContain(`${RL_PREFIX}:lockout:{203.0.113.9}:lock`);
    // The failure count and the lock of one address share a slot, whatever the address.
    expect(await cluster.keyslot(`${RL_PREFIX}:lockout:{203.0.113.9}:failures`)).toBe(await cluster.keyslot(`${RL_PREFIX}:lockout:{203.0.113.9}:lock`));
    for (const key of [...buckets, ...lockout]) expect(key).toMatch(/\{[^}]+\}/);
  });

  // Last: it takes one shard away for good.
  it('reports not ready once one master of the Cluster is gone, on both instances', async () => {
    await cluster.nodes[2]!.stop();
    for (const t of [a, b]) {
      await until('not ready without a shard', async () => (await request(t.server).get('/health/ready')).status === 503, 60_000, 200);
      const res = await request(t.server).get('/health/ready');
      expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'redis' })]));
    }
  });
});
