import { randomBytes } from 'node:crypto';
import { ServiceProcess, freePort, startServiceProcess, waitUntilUp } from './helpers/service-process';
import { StreamClient } from './helpers/ws-client';

/** The streams in the real built service process: a full session, then SIGTERM with a stream open. */
jest.setTimeout(120_000);

const KEY = randomBytes(32).toString('base64url');

describe('streams in a service process', () => {
  let svc: ServiceProcess;

  beforeAll(async () => {
    svc = startServiceProcess({ PORT: String(await freePort()), MFN_ENV: 'staging', MFN_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'), MFN_API_KEYS: `streamer:${KEY}:compute`, MFN_COMPUTE_WORKERS: '1' });
    await waitUntilUp(svc);
  });
  afterAll(async () => svc.stop('SIGKILL'));

  it('serves a session and closes it with 1001 on SIGTERM; the process exits 0', async () => {
    const c = await StreamClient.open(`${svc.baseUrl.replace('http', 'ws')}/ws/stream_features`, { 'X-API-Key': KEY });
    c.send('init', { protocol_version: '1.0' });
    await c.next('init');
    c.send('subscribe', { stream_type: 'stream_features', stream_id: 'live', params: { update_interval_ms: 50, max_updates: 1000 } });
    await c.next('feature_update', 'live', 2);
    svc.child.kill('SIGTERM');
    expect(await c.closed()).toBe(1001);
    expect(c.closeReason).toBe('server shutting down');
    expect(await svc.exited).toBe(0);
    expect(svc.stdout()).toContain('stream connection closed');
  });
});
