import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import { createTestApp, TEST_MASTER_KEY, TestApp } from './helpers/test-app';
import { registryValue } from './helpers/metrics';
import { rawBytes } from './helpers/raw-http';
import { until } from './helpers/until';
import { StreamClient } from './helpers/ws-client';

jest.setTimeout(120_000);

const newKey = () => randomBytes(32).toString('base64url');
const COMPUTE_KEY = newKey();
const OTHER_KEY = newKey();
const CRYPTO_KEY = newKey();
const ORIGIN = 'https://app.example.test';

function audits(t: TestApp, action: string): Record<string, unknown>[] {
  return t.logs.records().filter((r) => r.audit_event === true && r.action === action);
}

describe('WebSocket streams (prod profile, keys required)', () => {
  let t: TestApp;
  let base: string;
  const clients: StreamClient[] = [];
  const open = async (path: string, headers: Record<string, string> = {}) => {
    const c = await StreamClient.open(`${base}${path}`, headers);
    clients.push(c);
    return c;
  };
  const refusal = async (path: string, headers: Record<string, string> = {}) => {
    try {
      clients.push(await StreamClient.open(`${base}${path}`, headers));
    } catch (err) {
      return err as { status: number; body: string; headers: Record<string, string> };
    }
    throw new Error('upgrade was accepted');
  };

  beforeAll(async () => {
    t = await createTestApp({
      MFN_ENV: 'prod',
      MFN_MASTER_KEY: TEST_MASTER_KEY,
      MFN_API_KEYS: [`streamer:${COMPUTE_KEY}:compute`, `other:${OTHER_KEY}:compute`, `signer:${CRYPTO_KEY}:crypto`].join(','),
      MFN_CORS_ORIGINS: ORIGIN,
      MFN_AUTH_LOCKOUT_ENABLED: 'false',
      MFN_RATE_LIMIT_REQUESTS: '100000',
      MFN_COMPUTE_WORKERS: '2',
      MFN_COMPUTE_MAX_PER_KEY: '64',
      MFN_WS_MAX_CONNECTIONS: '8',
      MFN_WS_MAX_CONNECTIONS_PER_KEY: '3',
      MFN_WS_MAX_MESSAGE_BYTES: '4096',
      MFN_WS_MESSAGES_PER_S: '200',
      MFN_WS_MAX_STREAMS: '40',
      MFN_WS_SEND_QUEUE_MAX: '128',
      MFN_WS_MAX_BUFFERED_BYTES: '16384',
      MFN_WS_HEARTBEAT_MS: '300',
      MFN_WS_IDLE_TIMEOUT_MS: '60000',
      MFN_WS_AUTH_TIMEOUT_MS: '60000',
    });
    base = (await t.listen()).replace('http', 'ws');
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await until('every connection released', async () => (await registryValue('mfn_ws_connections', { path: '/ws/stream_features' })) + (await registryValue('mfn_ws_connections', { path: '/ws/simulation_live' })) === 0);
  });
  afterAll(async () => t.close());

  describe('the upgrade', () => {
    it('accepts X-API-Key with role compute; init answers the protocol version; frames carry timestamp', async () => {
      const c = await open('/ws/simulation_live', { 'X-API-Key': COMPUTE_KEY });
      c.send('init', { protocol_version: '1.0', client_info: { name: 'test' } });
      const init = await c.next('init');
      expect(init.payload).toEqual({ protocol_version: '1.0' });
      expect(typeof init.timestamp).toBe('number');
      expect(Math.abs(init.timestamp - Date.now())).toBeLessThan(60_000);
      expect(audits(t, 'authentication_success').some((r) => r.user_id === 'streamer' && r.resource === '/ws/simulation_live')).toBe(true);
    });

    it('refuses a wrong key with 401 in the envelope, before any socket is accepted', async () => {
      const err = await refusal('/ws/stream_features', { 'X-API-Key': newKey() });
      expect(err.status).toBe(401);
      expect(JSON.parse(err.body)).toMatchObject({ error_code: 'INVALID_API_KEY' });
      expect(err.headers['www-authenticate']).toBe('API-Key header="X-API-Key"');
      expect(await registryValue('mfn_ws_upgrades_refused_total', { reason: 'invalid_api_key' })).toBeGreaterThan(0);
    });

    it('refuses an upgrade without Host with 400 in the envelope', async () => {
      const res = await rawBytes(
        t.server as Server,
        Buffer.from(
          'GET /ws/stream_features HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n' +
            `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nX-API-Key: ${COMPUTE_KEY}\r\n\r\n`,
        ),
      );
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error_code: 'INVALID_REQUEST', request_id: res.headers['x-request-id'] });
    });

    it('refuses a key without role compute with 403', async () => {
      const err = await refusal('/ws/stream_features', { 'X-API-Key': CRYPTO_KEY });
      expect(err.status).toBe(403);
      expect(JSON.parse(err.body)).toMatchObject({ error_code: 'FORBIDDEN' });
    });

    it('refuses a disallowed Origin with 403; the configured one and none are accepted', async () => {
      const err = await refusal('/ws/stream_features', { 'X-API-Key': COMPUTE_KEY, Origin: 'https://evil.example.test' });
      expect(err.status).toBe(403);
      expect(await registryValue('mfn_ws_upgrades_refused_total', { reason: 'origin' })).toBeGreaterThan(0);
      await open('/ws/stream_features', { 'X-API-Key': COMPUTE_KEY, Origin: ORIGIN });
    });

    it('caps connections per key (429) while another key still connects, and globally (503)', async () => {
      for (let i = 0; i < 3; i++) await open('/ws/stream_features', { 'X-API-Key': COMPUTE_KEY });
      const perKey = await refusal('/ws/stream_features', { 'X-API-Key': COMPUTE_KEY });
      expect(perKey.status).toBe(429);
      expect(JSON.parse(perKey.body)).toMatchObject({ error_code: 'RATE_LIMIT_EXCEEDED' });
      for (let i = 0; i < 3; i++) await open('/ws/simulation_live', { 'X-API-Key': OTHER_KEY });
      // Unauthenticated upgrades count per address; two fill the process's 8.
      for (let i = 0; i < 2; i++) await open('/ws/stream_features');
      const global = await refusal('/ws/stream_features');
      expect(global.status).toBe(503);
      expect(await registryValue('mfn_ws_upgrades_refused_total', { reason: 'global_cap' })).toBeGreaterThan(0);
      expect(await registryValue('mfn_ws_upgrades_refused_total', { reason: 'key_cap' })).toBeGreaterThan(0);
    });
  });

  describe('in-band auth (no X-API-Key at upgrade)', () => {
    it('allows only init/auth/pong/close before auth; auth_success then subscribe works', async () => {
      const c = await open('/ws/simulation_live');
      c.send('subscribe', { stream_type: 'simulation_live', stream_id: 'x', params: {} });
      expect((await c.next('subscribe_failed')).payload).toMatchObject({ error_code: 'NOT_AUTHENTICATED' });
      c.send('pong');
      c.send('auth', { api_key: COMPUTE_KEY, timestamp: Date.now(), nonce: 'n-1' });
      expect((await c.next('auth_success')).type).toBe('auth_success');
      c.send('subscribe', { stream_type: 'simulation_live', stream_id: 'x', params: { grid_size: 8, steps: 4 } });
      expect((await c.next('subscribe_success')).payload).toEqual({ stream_id: 'x' });
      await c.next('simulation_complete', 'x');
    });

    it('refuses a wrong key, a stale timestamp and a replayed auth message; seconds are accepted', async () => {
      const c = await open('/ws/simulation_live');
      c.send('auth', { api_key: newKey(), timestamp: Date.now() });
      expect((await c.next('auth_failed')).payload).toMatchObject({ error_code: 'AUTH_FAILED' });
      c.send('auth', { api_key: COMPUTE_KEY, timestamp: Date.now() - 10 * 60 * 1000 });
      expect((await c.next('auth_failed', undefined, 1)).payload.message).toMatch(/window/);
      const frame = { api_key: COMPUTE_KEY, timestamp: Math.floor(Date.now() / 1000), nonce: randomBytes(8).toString('hex') };
      c.send('auth', frame);
      await c.next('auth_success');
      // The same frame on another connection is a replay.
      const thief = await open('/ws/simulation_live');
      thief.send('auth', frame);
      expect((await thief.next('auth_failed')).payload.message).toMatch(/already used/);
      expect(audits(t, 'suspicious_activity').some((r) => (r.details as Record<string, unknown>)?.activity_type === 'auth_replay')).toBe(true);
    });

    it('counts an in-band key against its connection cap; another key cannot take over a connection', async () => {
      for (let i = 0; i < 3; i++) await open('/ws/stream_features', { 'X-API-Key': COMPUTE_KEY });
      const fourth = await open('/ws/stream_features');
      fourth.send('auth', { api_key: COMPUTE_KEY, timestamp: Date.now(), nonce: randomBytes(8).toString('hex') });
      expect((await fourth.next('auth_failed')).payload.message).toMatch(/connections per caller/);
      expect(await fourth.closed()).toBe(1008);
      const c = await open('/ws/stream_features', { 'X-API-Key': OTHER_KEY });
      c.send('auth', { api_key: COMPUTE_KEY, timestamp: Date.now(), nonce: randomBytes(8).toString('hex') });
      expect((await c.next('auth_failed')).payload.message).toMatch(/another key/);
    });

    it('closes a connection that does not authenticate in time', async () => {
      const quick = await createTestApp({ MFN_ENV: 'prod', MFN_MASTER_KEY: TEST_MASTER_KEY, MFN_API_KEYS: `streamer:${COMPUTE_KEY}:compute`, MFN_WS_AUTH_TIMEOUT_MS: '300', MFN_COMPUTE_WORKERS: '1' });
      try {
        const c = await StreamClient.open(`${(await quick.listen()).replace('http', 'ws')}/ws/stream_features`);
        expect(await c.closed()).toBe(1008);
        expect(c.closeReason).toBe('authentication timeout');
      } finally {
        await quick.close();
      }
    });
  });

  describe('streams', () => {
    it('simulation_complete.final_metrics equal POST /simulate for the same parameters, field by field', async () => {
      const params = { seed: 7, grid_size: 24, steps: 30, alpha: 0.2, spike_probability: 0.4, turing_enabled: true };
      const http = await request(t.server as Server).post('/simulate').set('X-API-Key', COMPUTE_KEY).send(params);
      expect(http.status).toBe(200);
      const c = await open('/ws/simulation_live', { 'X-API-Key': COMPUTE_KEY });
      c.send('subscribe', { stream_type: 'simulation_live', stream_id: 'eq', params: { ...params, update_interval_steps: 7, include_full_state: true } });
      const done = await c.next('simulation_complete', 'eq');
      const final = done.payload.final_metrics as Record<string, number>;
      for (const field of ['growth_events', 'pot_min_mV', 'pot_max_mV', 'pot_mean_mV', 'pot_std_mV', 'fractal_dimension']) {
        // eslint-disable-next-line security/detect-object-injection -- field names from the fixed list above
        expect([field, final[field]]).toEqual([field, http.body[field]]);
      }
      // States every 7 steps and on the last one, in order, before the completion.
      const states = c.of('simulation_state', 'eq');
      expect(states.map((s) => s.payload.step)).toEqual([7, 14, 21, 28, 30]);
      expect(states[0].payload).toMatchObject({ total_steps: 30, state: { field_shape: [24, 24] } });
      const last = states.at(-1)!.payload as { state: Record<string, number>; metrics: Record<string, number> };
      expect(last.state.pot_mean_mV).toBe(http.body.pot_mean_mV);
      expect(last.metrics.growth_events).toBe(http.body.growth_events);
    });

    it('rejects params outside /simulate bounds', async () => {
      const c = await open('/ws/simulation_live', { 'X-API-Key': COMPUTE_KEY });
      c.send('subscribe', { stream_type: 'simulation_live', stream_id: 'bad', params: { grid_size: 4096 } });
      expect((await c.next('subscribe_failed')).payload).toMatchObject({ stream_id: 'bad', error_code: 'INVALID_PARAMS' });
      c.send('subscribe', { stream_type: 'nope', stream_id: 'bad' });
      expect((await c.next('subscribe_failed', undefined, 1)).payload).toMatchObject({ error_code: 'SUBSCRIBE_FAILED' });
    });

    it('stream_features: sequences 1..n of one evolving field, filtered features', async () => {
      const c = await open('/ws/stream_features', { 'X-API-Key': COMPUTE_KEY });
      c.send('subscribe', { stream_type: 'stream_features', stream_id: 'f', params: { grid_size: 16, update_interval_ms: 10, max_updates: 6, steps_per_update: 2, features: ['pot_mean_mV', 'total_energy'] } });
      await c.next('unsubscribe', 'f');
      const updates = c.of('feature_update', 'f');
      expect(updates.map((u) => u.payload.sequence)).toEqual([1, 2, 3, 4, 5, 6]);
      for (const u of updates) expect(Object.keys(u.payload.features as object).sort()).toEqual(['pot_mean_mV', 'total_energy']);
      // The field evolves: not every update carries the same values.
      expect(new Set(updates.map((u) => JSON.stringify(u.payload.features))).size).toBeGreaterThan(1);
      // Update k is the field after 2k steps: the last equals /simulate with 12 steps.
      const http = await request(t.server as Server).post('/simulate').set('X-API-Key', COMPUTE_KEY).send({ grid_size: 16, steps: 12 });
      expect((updates[5].payload.features as Record<string, number>).pot_mean_mV).toBe(http.body.pot_mean_mV);
    });

    it('re-subscribing an id replaces its stream; unsubscribe stops it', async () => {
      const c = await open('/ws/stream_features', { 'X-API-Key': COMPUTE_KEY });
      c.send('subscribe', { stream_type: 'stream_features', stream_id: 'r', params: { grid_size: 8, update_interval_ms: 10000, max_updates: 50 } });
      await c.next('feature_update', 'r');
      c.send('subscribe', { stream_type: 'stream_features', stream_id: 'r', params: { grid_size: 8, update_interval_ms: 20, max_updates: 3, features: ['active_nodes'] } });
      await c.next('unsubscribe', 'r');
      const updates = c.of('feature_update', 'r');
      // One of the first stream (its next would come 10 s later), then the replacement's 1..3 only.
      expect(updates.map((u) => u.payload.sequence)).toEqual([1, 1, 2, 3]);
      c.send('subscribe', { stream_type: 'stream_features', stream_id: 'u', params: { grid_size: 8, update_interval_ms: 50, max_updates: 1000 } });
      await c.next('feature_update', 'u');
      c.send('unsubscribe', { stream_id: 'u' });
      await c.next('unsubscribe', 'u');
      // Nothing of the stream after its acknowledgement, even a heartbeat later.
      const ack = c.frames.findIndex((f) => f.type === 'unsubscribe' && f.payload.stream_id === 'u');
      const beats = c.frames.slice(ack).filter((f) => f.type === 'heartbeat').length;
      await until('a heartbeat after the unsubscribe', () => c.frames.slice(ack).filter((f) => f.type === 'heartbeat').length > beats);
      expect(c.frames.slice(ack).some((f) => f.type === 'feature_update' && f.payload.stream_id === 'u')).toBe(false);
    });
  });

  describe('limits', () => {
    it('closes with 1009 past MFN_WS_MAX_MESSAGE_BYTES and records suspicious activity', async () => {
      const c = await open('/ws/stream_features', { 'X-API-Key': COMPUTE_KEY });
      c.send('init', { pad: 'x'.repeat(5000) });
      expect(await c.closed()).toBe(1009);
      await until('the audit event', () => audits(t, 'suspicious_activity').some((r) => (r.details as Record<string, unknown>)?.activity_type === 'oversize_ws_frame'));
    });

    it('answers invalid frames with INVALID_MESSAGE and audits them', async () => {
      const c = await open('/ws/stream_features', { 'X-API-Key': COMPUTE_KEY });
      c.socket.send('not json');
      c.send('launch_missiles');
      expect((await c.next('error', undefined, 1)).payload).toMatchObject({ error_code: 'INVALID_MESSAGE' });
      expect(await registryValue('mfn_ws_messages_in_total', { type: 'invalid' })).toBeGreaterThanOrEqual(2);
    });

    it('rate-limits messages per connection: RATE_LIMITED, one rate_limit_exceeded event', async () => {
      const c = await open('/ws/stream_features', { 'X-API-Key': COMPUTE_KEY });
      for (let i = 0; i < 600; i++) c.send('pong');
      const limited = await c.next('error');
      expect(limited.payload).toMatchObject({ error_code: 'RATE_LIMITED' });
      expect(await registryValue('mfn_ws_messages_in_total', { type: 'rate_limited' })).toBeGreaterThan(0);
      await until('the audit event', () => audits(t, 'rate_limit_exceeded').some((r) => (r.details as Record<string, unknown>)?.reason === 'ws_message_rate'));
    });

    it('caps concurrent streams per connection', async () => {
      const c = await open('/ws/stream_features', { 'X-API-Key': COMPUTE_KEY });
      const params = { grid_size: 8, update_interval_ms: 10000, max_updates: 2 };
      for (let i = 0; i < 40; i++) c.send('subscribe', { stream_type: 'stream_features', stream_id: `c${i}`, params });
      await until('40 streams', () => c.of('subscribe_success').length === 40);
      c.send('subscribe', { stream_type: 'stream_features', stream_id: 'one-too-many', params });
      expect((await c.next('subscribe_failed')).payload).toMatchObject({ stream_id: 'one-too-many', error_code: 'TOO_MANY_STREAMS' });
      // Re-subscribing an existing id stays within the cap.
      c.send('subscribe', { stream_type: 'stream_features', stream_id: 'c0', params });
      await until('the replacement', () => c.of('subscribe_success', 'c0').length === 2);
    });

    it('sends heartbeats', async () => {
      const c = await open('/ws/stream_features', { 'X-API-Key': COMPUTE_KEY });
      await c.next('heartbeat', undefined, 1);
    });

    it('a slow reader: the server queue stays bounded and update frames are dropped, completions are not', async () => {
      const c = await open('/ws/simulation_live', { 'X-API-Key': COMPUTE_KEY });
      const droppedBefore = await registryValue('mfn_ws_dropped_total', { type: 'simulation_state' });
      c.socket.pause();
      const streams = 40;
      for (let i = 0; i < streams; i++) {
        c.send('subscribe', { stream_type: 'simulation_live', stream_id: `s${i}`, params: { grid_size: 8, steps: 1000, update_interval_steps: 1, include_full_state: true } });
      }
      await until('frames dropped for the slow reader', async () => (await registryValue('mfn_ws_dropped_total', { type: 'simulation_state' })) > droppedBefore, 90_000);
      expect(await registryValue('mfn_ws_send_queue_peak_frames')).toBeLessThanOrEqual(128 + 1);
      c.socket.resume();
      await until('every completion delivered', () => c.of('simulation_complete').length === streams, 90_000);
      expect(c.of('simulation_state').length).toBeLessThan(streams * 1000);
    });
  });
});

describe('idle connections and shutdown (dev profile, keys off)', () => {
  it('closes a connection silent for MFN_WS_IDLE_TIMEOUT_MS; pong keeps one alive; close() ends the rest with 1001', async () => {
    const t = await createTestApp({ MFN_WS_IDLE_TIMEOUT_MS: '600', MFN_WS_HEARTBEAT_MS: '100', MFN_COMPUTE_WORKERS: '1' });
    const base = (await t.listen()).replace('http', 'ws');
    let alive: StreamClient | undefined;
    try {
      alive = await StreamClient.open(`${base}/ws/simulation_live`);
      alive.socket.on('message', () => alive!.send('pong'));
      const c = await StreamClient.open(`${base}/ws/stream_features`);
      expect(await c.closed()).toBe(1001);
      expect(c.closeReason).toBe('idle timeout');
      expect(c.of('heartbeat').length).toBeGreaterThan(0);
      expect(alive.closeCode).toBeUndefined();
    } finally {
      await t.close();
    }
    expect(await alive.closed()).toBe(1001);
    expect(alive.closeReason).toBe('server shutting down');
  });
});

describe('lockout, address lists and compute refusals at the stream', () => {
  it('locks an address out after failed upgrades (429), even for the right key', async () => {
    const t = await createTestApp({ MFN_ENV: 'prod', MFN_MASTER_KEY: TEST_MASTER_KEY, MFN_API_KEYS: `streamer:${COMPUTE_KEY}:compute`, MFN_AUTH_LOCKOUT_FAILURES: '2', MFN_COMPUTE_WORKERS: '1' });
    try {
      const base = (await t.listen()).replace('http', 'ws');
      for (let i = 0; i < 2; i++) await expect(StreamClient.open(`${base}/ws/stream_features`, { 'X-API-Key': newKey() })).rejects.toMatchObject({ status: 401 });
      await expect(StreamClient.open(`${base}/ws/stream_features`, { 'X-API-Key': COMPUTE_KEY })).rejects.toMatchObject({ status: 429 });
      expect(await registryValue('mfn_ws_upgrades_refused_total', { reason: 'locked_out' })).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });

  it('refuses a denylisted address with 403 at upgrade', async () => {
    const t = await createTestApp({ MFN_IP_DENYLIST: '127.0.0.1', MFN_COMPUTE_WORKERS: '1' });
    try {
      const base = (await t.listen()).replace('http', 'ws');
      await expect(StreamClient.open(`${base}/ws/stream_features`)).rejects.toMatchObject({ status: 403 });
      expect(await registryValue('mfn_ws_upgrades_refused_total', { reason: 'address' })).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });

  it('a stream over the caller\'s work budget ends in STREAM_ERROR with the HTTP route\'s message', async () => {
    const t = await createTestApp({ MFN_ENV: 'prod', MFN_MASTER_KEY: TEST_MASTER_KEY, MFN_API_KEYS: `streamer:${COMPUTE_KEY}:compute`, MFN_COMPUTE_WORK_LIMIT: '10', MFN_COMPUTE_WORKERS: '1' });
    try {
      const c = await StreamClient.open(`${(await t.listen()).replace('http', 'ws')}/ws/simulation_live`, { 'X-API-Key': COMPUTE_KEY });
      c.send('subscribe', { stream_type: 'simulation_live', stream_id: 'big', params: { grid_size: 256, steps: 1000 } });
      await c.next('subscribe_success');
      const error = await c.next('error', 'big');
      expect(error.payload).toMatchObject({ error_code: 'STREAM_ERROR', stream_id: 'big' });
      expect(error.payload.message).toMatch(/work units/);
      c.close();
    } finally {
      await t.close();
    }
  });
});
