import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import { createTestApp, TEST_MASTER_KEY, TestApp } from './helpers/test-app';
import { registryValue } from './helpers/metrics';
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
      MFN_WS_MAX_CONNECTIONS: '12',
      MFN_WS_MAX_CONNECTIONS_PER_KEY: '3',
      MFN_WS_MAX_MESSAGE_BYTES: '4096',
      MFN_WS_MESSAGES_PER_S: '200',
      MFN_WS_MAX_STREAMS: '64',
      MFN_WS_SEND_QUEUE_MAX: '128',
      MFN_WS_MAX_BUFFERED_BYTES: '16384',
      MFN_WS_HEARTBEAT_MS: '300',
      MFN_WS_IDLE_TIMEOUT_MS: '60000',
      MFN_WS_AUTH_TIMEOUT_MS: '60000',
    });
    base = (await t.listen()).replace('http', 'ws');
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
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
      await open('/ws/stream_features', { 'X-API-Key': OTHER_KEY });
      // Unauthenticated connections count per address: fill the process to its 12.
      for (let i = 0; i < 3; i++) await open('/ws/stream_features');
      for (let i = 0; i < 2; i++) await open('/ws/stream_features', { 'X-API-Key': OTHER_KEY });
      const used = clients.length;
      expect(used).toBe(9);
      // The remaining three slots (any caller) then 503.
      clients.forEach((c) => expect(c.socket.readyState).toBe(c.socket.OPEN));
    });
  });
});
