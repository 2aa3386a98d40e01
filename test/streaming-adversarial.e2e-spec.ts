import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import { ComputeAdmissionService } from '../src/simulation/compute-admission.service';
import { ComputePoolService } from '../src/simulation/compute-pool.service';
import { StreamRunner } from '../src/streaming/stream-runner';
import { StreamingContext } from '../src/streaming/streaming-context.service';
import { registryValue } from './helpers/metrics';
import { listenOnce, rawRequest } from './helpers/raw-http';
import { RawWsClient } from './helpers/raw-ws';
import { createTestApp, TEST_MASTER_KEY, TestApp } from './helpers/test-app';
import { sleep, until } from './helpers/until';
import { Frame, StreamClient } from './helpers/ws-client';

/** The streams as a hostile or strict protocol client sees them (docs/streaming.md). */
jest.setTimeout(120_000);

const newKey = () => randomBytes(32).toString('base64url');
const KEY = newKey();
const SIGNER_KEY = newKey();
const WRONG_KEYS: string[] = [];
const nonce = () => randomBytes(8).toString('hex');

function suspicious(t: TestApp, activity: string): Record<string, unknown>[] {
  return t.logs.records().filter((r) => r.action === 'suspicious_activity' && (r.details as Record<string, unknown> | undefined)?.activity_type === activity);
}

/** Every server frame: a known shape, `timestamp` an integer of epoch ms. */
function expectWellFormed(frames: Frame[]): void {
  for (const f of frames) {
    expect(Object.keys(f).sort()).toEqual(['payload', 'timestamp', 'type']);
    expect(typeof f.type).toBe('string');
    expect(typeof f.payload).toBe('object');
    expect(Number.isInteger(f.timestamp)).toBe(true);
    expect(f.timestamp).toBeGreaterThan(1e12);
  }
}

describe('streams under attack (prod profile, keys required)', () => {
  let t: TestApp;
  let base: string;
  let port: number;
  const clients: StreamClient[] = [];
  const open = async (path: string, headers: Record<string, string> = {}) => {
    const c = await StreamClient.open(`${base}${path}`, headers);
    clients.push(c);
    return c;
  };
  const keyed = (path = '/ws/simulation_live') => open(path, { 'X-API-Key': KEY });

  beforeAll(async () => {
    t = await createTestApp({
      MFN_ENV: 'prod',
      MFN_MASTER_KEY: TEST_MASTER_KEY,
      MFN_API_KEYS: `streamer:${KEY}:compute,signer:${SIGNER_KEY}:crypto`,
      MFN_AUTH_LOCKOUT_ENABLED: 'false',
      MFN_RATE_LIMIT_REQUESTS: '100000',
      MFN_COMPUTE_WORKERS: '1',
      MFN_COMPUTE_MAX_PER_KEY: '64',
      MFN_WS_MAX_CONNECTIONS: '12',
      MFN_WS_MAX_CONNECTIONS_PER_KEY: '12',
      MFN_WS_MESSAGES_PER_S: '500',
      MFN_WS_MAX_STREAMS: '8',
      MFN_WS_HEARTBEAT_MS: '200',
      MFN_WS_IDLE_TIMEOUT_MS: '60000',
    });
    base = (await t.listen()).replace('http', 'ws');
    port = await listenOnce(t.server as Server);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await until('every connection released', () => t.app.get(ComputeAdmissionService).admitted === 0);
  });
  afterAll(async () => t.close());

  describe('frames before and after auth', () => {
    it('a frame nested thousands deep is refused before parsing; the process keeps serving', async () => {
      const c = await keyed();
      const deep = (n: number) => `{"type":"subscribe","payload":{"stream_type":"simulation_live","stream_id":"d","params":{"x":${'['.repeat(n)}${']'.repeat(n)}}}}`;
      c.socket.send(deep(20_000));
      expect((await c.next('error')).payload).toMatchObject({ error_code: 'INVALID_MESSAGE', message: expect.stringMatching(/nesting/) });
      c.socket.send(`{"type":"init","payload":{"client_info":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}}`);
      await c.next('error', undefined, 1);
      expect(suspicious(t, 'invalid_ws_frame').length).toBeGreaterThan(0);
      // Still serving: a stream on the same connection, and HTTP.
      c.send('subscribe', { stream_type: 'simulation_live', stream_id: 'ok', params: { grid_size: 8, steps: 3 } });
      await c.next('simulation_complete', 'ok');
      expect((await request(t.server as Server).get('/health')).status).toBe(200);
    });

    it('__proto__ and constructor keys pollute nothing and run nothing unexpected', async () => {
      const c = await keyed();
      c.socket.send('{"__proto__":{"type":"init"}}');
      expect((await c.next('error')).payload.message).toMatch(/unknown message type/);
      c.socket.send('{"type":"subscribe","payload":{"stream_type":"simulation_live","stream_id":"p","params":{"__proto__":{"steps":1000,"polluted":1},"constructor":{"prototype":{"polluted":1}},"grid_size":8,"steps":2}}}');
      const done = await c.next('simulation_complete', 'p');
      expect(c.of('simulation_state', 'p').map((s) => s.payload.total_steps)).toEqual([2]);
      expect(done.payload.final_metrics).toBeDefined();
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
    });

    it('wrong types for every field are refused with the exact codes, naming the type problem', async () => {
      const c = await keyed('/ws/stream_features');
      const sub = (stream_id: unknown, params: unknown, stream_type: unknown = 'stream_features') => c.send('subscribe', { stream_type, stream_id, params });
      sub({ a: 1 }, {});
      sub('', {});
      sub('x'.repeat(129), {});
      sub('t', {}, ['stream_features']);
      sub('params', 'not an object');
      for (const v of ['100', null, 1e308, -5, 10.5, true, [], {}]) sub('v', { update_interval_ms: v });
      sub('f', { features: ['nope'] });
      sub('f', { features: 'pot_mean_mV' });
      sub('s', { seed: '1' }, 'simulation_live');
      sub('s', { include_full_state: 'true', update_interval_steps: 0 }, 'simulation_live');
      sub('s', { unknown_param: 1 }, 'simulation_live');
      await until('every answer', () => c.of('subscribe_failed').length === 18);
      const failed = c.of('subscribe_failed').map((f) => f.payload);
      expect(failed.slice(0, 4).map((p) => p.error_code)).toEqual(['SUBSCRIBE_FAILED', 'SUBSCRIBE_FAILED', 'SUBSCRIBE_FAILED', 'SUBSCRIBE_FAILED']);
      expect(failed[0]).not.toHaveProperty('stream_id');
      expect(failed.slice(4).every((p) => p.error_code === 'INVALID_PARAMS')).toBe(true);
      // A string where an integer goes is a type problem, whatever its value.
      expect(failed[5].message).toMatch(/update_interval_ms must be an integer/);
      expect(failed[7].message).toMatch(/update_interval_ms must not be greater than 10000/);
      expect(failed[8].message).toMatch(/must not be less than 10/);
      expect(failed[16].message).toMatch(/include_full_state must be a boolean/);
      expect(failed[17].message).toMatch(/unknown_param should not exist/);
      expect(c.of('subscribe_success')).toHaveLength(0);
      expect(t.app.get(ComputeAdmissionService).admitted).toBe(0);
    });

    it('a 10 KB stream_id, a huge features list and a missing payload are bounded refusals', async () => {
      const c = await keyed('/ws/stream_features');
      c.send('subscribe', { stream_type: 'stream_features', stream_id: 'x'.repeat(10_000), params: {} });
      c.send('subscribe', { stream_type: 'stream_features', stream_id: 'big', params: { features: Array.from({ length: 3000 }, () => 'pot_mean_mV') } });
      c.socket.send('{"type":"unsubscribe"}');
      await until('three answers', () => c.of('error').length === 3);
      const [longId, bigList, noPayload] = c.of('error').map((f) => f.payload);
      expect(longId).toMatchObject({ error_code: 'INVALID_MESSAGE', message: expect.stringMatching(/bytes in one string/) });
      expect(bigList).toMatchObject({ error_code: 'INVALID_MESSAGE', message: expect.stringMatching(/too many values/) });
      expect(noPayload).toMatchObject({ error_code: 'INVALID_MESSAGE', message: expect.stringMatching(/stream_id/) });
      expect(c.of('subscribe_success')).toHaveLength(0);
    });

    it('without a key: nothing but init/auth/pong/close runs; binary and junk are counted and end the connection', async () => {
      const c = await open('/ws/stream_features');
      const invalidBefore = await registryValue('mfn_ws_messages_in_total', { type: 'invalid' });
      c.send('subscribe', { stream_type: 'simulation_live', stream_id: 'x', params: { grid_size: 256, steps: 1000 } });
      c.send('unsubscribe', { stream_id: 'x' });
      c.send('pong');
      c.send('init', { protocol_version: '1.0' });
      expect((await c.next('subscribe_failed')).payload).toMatchObject({ error_code: 'NOT_AUTHENTICATED' });
      expect((await c.next('error')).payload).toMatchObject({ error_code: 'NOT_AUTHENTICATED' });
      await c.next('init');
      c.socket.send(Buffer.from([1, 2, 3]));
      for (const junk of ['not json', '[]', 'null', '{}', '{"type":"init","payload":[]}', '{"type":"constructor"}', '{"type":"toString"}', '{"type":"init","payload":"x"}', '{"type":1}']) c.socket.send(junk);
      expect(await c.closed()).toBe(1008);
      expect(c.closeReason).toBe('too many invalid messages');
      expect(await registryValue('mfn_ws_messages_in_total', { type: 'invalid' })).toBeGreaterThanOrEqual(invalidBefore + 10);
      expect(t.app.get(ComputePoolService).inFlight).toBe(0);
    });

    it('a compressed frame (RSV1) is refused: permessage-deflate is never negotiated', async () => {
      // The ws client offers permessage-deflate by default; the server takes none.
      const offered = await open('/ws/stream_features', { 'X-API-Key': KEY });
      expect(offered.socket.extensions).toBe('');
      const raw = await RawWsClient.open(port, '/ws/stream_features', { 'X-API-Key': KEY, 'Sec-WebSocket-Extensions': 'permessage-deflate' });
      raw.sendText('{"type":"init"}', true);
      await until('the close', () => raw.isClosed);
      expect(raw.closeCode).toBe(1002);
      await until('the audit event', () => suspicious(t, 'invalid_ws_frame').some((r) => (r.details as Record<string, unknown>).reason === 'WS_ERR_UNEXPECTED_RSV_1'));
    });
  });

  describe('auth', () => {
    it('seconds and ms; the far future is stale; the same key twice is fine, another key or role is not', async () => {
      const c = await open('/ws/simulation_live');
      c.send('auth', { api_key: KEY, timestamp: Date.now() + 10 * 60 * 1000, nonce: nonce() });
      expect((await c.next('auth_failed')).payload).toEqual({ error_code: 'AUTH_FAILED', message: expect.stringMatching(/window/) });
      c.send('auth', { api_key: KEY, timestamp: Math.floor(Date.now() / 1000), nonce: nonce() });
      await c.next('auth_success');
      c.send('auth', { api_key: KEY, timestamp: Date.now(), nonce: nonce() });
      await c.next('auth_success', undefined, 1);
      c.send('auth', { api_key: SIGNER_KEY, timestamp: Date.now(), nonce: nonce() });
      expect((await c.next('auth_failed', undefined, 1)).payload.message).toMatch(/role/);
      const wrong = newKey();
      WRONG_KEYS.push(wrong);
      c.send('auth', { api_key: wrong, timestamp: Date.now(), nonce: nonce() });
      c.send('auth', { api_key: [KEY], timestamp: Date.now() });
      c.send('auth', { api_key: KEY, timestamp: 'now' });
      await until('three more refusals', () => c.of('auth_failed').length === 5);
      expect(c.of('auth_failed').every((f) => f.payload.error_code === 'AUTH_FAILED')).toBe(true);
      // Still authenticated as before.
      c.send('subscribe', { stream_type: 'simulation_live', stream_id: 's', params: { grid_size: 8, steps: 2 } });
      await c.next('simulation_complete', 's');
    });

    it('a frame stamped in seconds replayed in ms (same instant, same nonce) is still a replay', async () => {
      const seconds = Math.floor(Date.now() / 1000);
      const n = nonce();
      const first = await open('/ws/stream_features');
      first.send('auth', { api_key: KEY, timestamp: seconds, nonce: n });
      await first.next('auth_success');
      const second = await open('/ws/stream_features');
      second.send('auth', { api_key: KEY, timestamp: seconds * 1000, nonce: n });
      expect((await second.next('auth_failed')).payload.message).toMatch(/already used/);
    });

    it('a key without role compute is refused at the upgrade with 403', async () => {
      await expect(StreamClient.open(`${base}/ws/simulation_live`, { 'X-API-Key': SIGNER_KEY })).rejects.toMatchObject({ status: 403 });
    });
  });

  describe('streams and the compute pool', () => {
    it('re-subscribing one id quickly: exactly one stream runs to the end, the pool keeps nothing', async () => {
      const c = await keyed();
      const cancelledBefore = await registryValue('mfn_compute_rejections_total', { reason: 'cancelled' });
      for (let i = 0; i < 10; i++) c.send('subscribe', { stream_type: 'simulation_live', stream_id: 'r', params: { seed: i, grid_size: 64, steps: 300, update_interval_steps: 100 } });
      await c.next('simulation_complete', 'r');
      await until('the pool drained', () => t.app.get(ComputePoolService).inFlight === 0 && t.app.get(ComputeAdmissionService).admitted === 0);
      expect(c.of('subscribe_success', 'r')).toHaveLength(10);
      expect(c.of('simulation_complete', 'r')).toHaveLength(1);
      // Only the last stream's states: one per 100 steps of one run.
      expect(c.of('simulation_state', 'r').map((s) => s.payload.step)).toEqual([100, 200, 300]);
      expect(await registryValue('mfn_compute_rejections_total', { reason: 'cancelled' })).toBeGreaterThan(cancelledBefore);
      c.send('unsubscribe', { stream_id: 'never-subscribed' });
      expect((await c.next('unsubscribe', 'never-subscribed')).payload).toEqual({ stream_id: 'never-subscribed' });
    });

    it('closing mid-stream cancels its compute; the close message closes with 1000', async () => {
      const c = await keyed();
      c.send('subscribe', { stream_type: 'simulation_live', stream_id: 'long', params: { grid_size: 256, steps: 1000, update_interval_steps: 1 } });
      await c.next('simulation_state', 'long');
      c.send('close');
      expect(await c.closed()).toBe(1000);
      await until('the compute cancelled', () => t.app.get(ComputePoolService).inFlight === 0);
      expect(c.of('simulation_complete')).toHaveLength(0);
    });

    it('a stream id is the connection\'s own: another connection of the same key cannot touch it', async () => {
      const a = await keyed('/ws/stream_features');
      const b = await keyed('/ws/stream_features');
      a.send('subscribe', { stream_type: 'stream_features', stream_id: 'mine', params: { grid_size: 8, update_interval_ms: 20, max_updates: 5 } });
      await a.next('feature_update', 'mine');
      b.send('unsubscribe', { stream_id: 'mine' });
      b.send('subscribe', { stream_type: 'stream_features', stream_id: 'mine', params: { grid_size: 8, update_interval_ms: 20, max_updates: 2 } });
      await b.next('unsubscribe', 'mine', 1);
      await a.next('unsubscribe', 'mine');
      expect(a.of('feature_update', 'mine').map((u) => u.payload.sequence)).toEqual([1, 2, 3, 4, 5]);
    });

    it('every frame of a full session is well formed; values evolve; the last step is always reported', async () => {
      const c = await keyed();
      c.send('init', { protocol_version: '1.0' });
      c.send('subscribe', { stream_type: 'simulation_live', stream_id: 'odd', params: { grid_size: 16, steps: 23, update_interval_steps: 10, include_full_state: true } });
      c.send('subscribe', { stream_type: 'stream_features', stream_id: 'f', params: { grid_size: 16, update_interval_ms: 10, max_updates: 4 } });
      c.send('subscribe', { stream_type: 'nope', stream_id: 'x' });
      c.send('pong');
      c.socket.send('junk');
      await c.next('simulation_complete', 'odd');
      await c.next('unsubscribe', 'f');
      await c.next('heartbeat');
      expect(c.of('simulation_state', 'odd').map((s) => s.payload.step)).toEqual([10, 20, 23]);
      const features = c.of('feature_update', 'f').map((u) => u.payload.features as Record<string, number>);
      expect(Object.keys(features[0]).sort()).toEqual(['active_nodes', 'activity_ratio', 'fractal_dimension', 'pot_max_mV', 'pot_mean_mV', 'pot_min_mV', 'pot_std_mV', 'spatial_variance', 'total_energy']);
      expect(new Set(features.map((f) => f.pot_std_mV)).size).toBeGreaterThan(1);
      expect(c.of('error').map((e) => e.payload.error_code)).toEqual(['INVALID_MESSAGE']);
      expectWellFormed(c.frames);
    });

    it('a message whose handling throws answers INTERNAL_ERROR; the connection and the process go on', async () => {
      const spy = jest.spyOn(t.app.get(StreamingContext), 'inBandAuth').mockImplementationOnce(() => {
        throw new Error(`boom at ${__filename}`);
      });
      try {
        const c = await open('/ws/simulation_live');
        c.send('auth', { api_key: KEY, timestamp: Date.now(), nonce: nonce() });
        expect((await c.next('error')).payload).toEqual({ error_code: 'INTERNAL_ERROR', message: 'The message could not be processed' });
        const line = t.logs.records().find((r) => r.message === 'stream message failed');
        expect(line).toMatchObject({ message_type: 'auth', error: 'Error' });
        expect(JSON.stringify(line)).not.toContain(__filename);
        c.send('auth', { api_key: KEY, timestamp: Date.now(), nonce: nonce() });
        await c.next('auth_success');
      } finally {
        spy.mockRestore();
      }
    });

    it('a stream whose start throws ends alone in STREAM_ERROR and frees its slot', async () => {
      const spy = jest.spyOn(t.app.get(StreamRunner), 'simulationLive').mockImplementationOnce(() => {
        throw new Error(`boom at ${__filename}`);
      });
      try {
        const c = await keyed();
        c.send('subscribe', { stream_type: 'simulation_live', stream_id: 'b', params: { grid_size: 8, steps: 2 } });
        expect((await c.next('error', 'b')).payload).toEqual({ error_code: 'STREAM_ERROR', message: 'The stream failed', stream_id: 'b' });
        // Its slot is free again: the connection's full share of streams still opens.
        for (let i = 0; i < 8; i++) c.send('subscribe', { stream_type: 'simulation_live', stream_id: `n${i}`, params: { grid_size: 8, steps: 2 } });
        await until('eight completions', () => c.of('simulation_complete').length === 8);
        expect(c.of('subscribe_failed')).toHaveLength(0);
      } finally {
        spy.mockRestore();
      }
    });
  });

  describe('HTTP on the stream paths and other upgrades', () => {
    it('GET or POST on a stream path without an upgrade: 426 with Upgrade: websocket in the envelope, key or not', async () => {
      for (const headers of [{}, { 'X-API-Key': KEY }] as Record<string, string>[]) {
        const res = await rawRequest(t.server as Server, 'GET', '/ws/stream_features', headers);
        expect(res.status).toBe(426);
        expect(res.headers.upgrade).toBe('websocket');
        expect(res.body).toMatchObject({ error_code: 'INVALID_REQUEST', request_id: res.headers['x-request-id'] });
      }
      expect((await rawRequest(t.server as Server, 'POST', '/ws/simulation_live', { 'Content-Type': 'application/json' }, '{}')).status).toBe(426);
    });

    it('a request with Upgrade: h2c is served as the plain request it is', async () => {
      const res = await rawRequest(t.server as Server, 'GET', '/health', { connection: 'Upgrade, HTTP2-Settings', upgrade: 'h2c', 'HTTP2-Settings': 'AAMAAABkAAQAoAAAAAIAAAAA' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'healthy' });
    });

    it('a WebSocket upgrade to another path gets the HTTP answer of that path (401, 404), not a dropped socket', async () => {
      await expect(StreamClient.open(`${base}/ws/other`)).rejects.toMatchObject({ status: 401 });
      const notFound = StreamClient.open(`${base}/ws/other`, { 'X-API-Key': KEY });
      await expect(notFound).rejects.toMatchObject({ status: 404 });
      const body = JSON.parse(((await notFound.catch((e: unknown) => e)) as { body: string }).body) as Record<string, unknown>;
      expect(body).toMatchObject({ error_code: 'NOT_FOUND' });
    });
  });

  describe('logs', () => {
    it('no key value appears in any line the service wrote during these attacks', () => {
      const text = t.logs.text();
      expect(text.length).toBeGreaterThan(0);
      for (const secret of [KEY, SIGNER_KEY, ...WRONG_KEYS]) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/(\\n|\n)\s+at \S+ \(/);
    });
  });
});

describe('connection caps against callers without a key', () => {
  it('connections waiting for in-band auth hold at most half the process cap; keyed ones still connect', async () => {
    const t = await createTestApp({ MFN_ENV: 'prod', MFN_MASTER_KEY: TEST_MASTER_KEY, MFN_API_KEYS: `streamer:${KEY}:compute`, MFN_WS_MAX_CONNECTIONS: '4', MFN_WS_MAX_CONNECTIONS_PER_KEY: '10', MFN_COMPUTE_WORKERS: '1' });
    const opened: StreamClient[] = [];
    try {
      const base = (await t.listen()).replace('http', 'ws');
      for (let i = 0; i < 2; i++) opened.push(await StreamClient.open(`${base}/ws/stream_features`));
      await expect(StreamClient.open(`${base}/ws/stream_features`)).rejects.toMatchObject({ status: 503 });
      expect(await registryValue('mfn_ws_upgrades_refused_total', { reason: 'pending_auth_cap' })).toBeGreaterThan(0);
      opened.push(await StreamClient.open(`${base}/ws/stream_features`, { 'X-API-Key': KEY }));
      // One authenticates in-band: its slot no longer counts as waiting, so another may wait.
      opened[0].send('auth', { api_key: KEY, timestamp: Date.now(), nonce: nonce() });
      await opened[0].next('auth_success');
      opened.push(await StreamClient.open(`${base}/ws/stream_features`));
      // The process cap (4) is full now for everyone.
      await expect(StreamClient.open(`${base}/ws/stream_features`, { 'X-API-Key': KEY })).rejects.toMatchObject({ status: 503 });
    } finally {
      for (const c of opened) c.close();
      await t.close();
    }
  });

  it('WebSocket ping frames count as activity: a client that only pings is not idle', async () => {
    const t = await createTestApp({ MFN_WS_IDLE_TIMEOUT_MS: '600', MFN_WS_HEARTBEAT_MS: '100000', MFN_COMPUTE_WORKERS: '1' });
    try {
      const base = (await t.listen()).replace('http', 'ws');
      const pinger = await StreamClient.open(`${base}/ws/stream_features`);
      const timer = setInterval(() => pinger.socket.ping(), 100);
      try {
        const silent = await StreamClient.open(`${base}/ws/stream_features`);
        expect(await silent.closed()).toBe(1001);
        // The silent one, opened after it, is gone; the pinging one is still open.
        expect(pinger.closeCode).toBeUndefined();
      } finally {
        clearInterval(timer);
        pinger.close();
      }
    } finally {
      await t.close();
    }
  });

  it('a client that never answers the close handshake is closed once (one close counted)', async () => {
    const t = await createTestApp({ MFN_WS_IDLE_TIMEOUT_MS: '200', MFN_WS_HEARTBEAT_MS: '100000', MFN_COMPUTE_WORKERS: '1' });
    try {
      await t.listen();
      const before = await registryValue('mfn_ws_closed_total', { reason: 'idle' });
      const raw = await RawWsClient.open(await listenOnce(t.server as Server), '/ws/stream_features');
      await until('the idle close frame', () => raw.closeCode !== undefined);
      expect(raw.closeCode).toBe(1001);
      // The server waits for the client's close frame; the idle check keeps running meanwhile.
      await sleep(600);
      expect(await registryValue('mfn_ws_closed_total', { reason: 'idle' })).toBe(before + 1);
      raw.destroy();
    } finally {
      await t.close();
    }
  });
});
