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

  it('survives a frame nested thousands deep (once a crash of the whole process) and keeps serving', async () => {
    const c = await StreamClient.open(`${svc.baseUrl.replace('http', 'ws')}/ws/simulation_live`, { 'X-API-Key': KEY });
    c.socket.send(`{"type":"subscribe","payload":{"stream_type":"simulation_live","stream_id":"d","params":{"x":${'['.repeat(20_000)}${']'.repeat(20_000)}}}}`);
    expect((await c.next('error')).payload).toMatchObject({ error_code: 'INVALID_MESSAGE' });
    c.send('subscribe', { stream_type: 'simulation_live', stream_id: 'ok', params: { grid_size: 8, steps: 2 } });
    await c.next('simulation_complete', 'ok');
    c.close();
    expect(svc.child.exitCode).toBeNull();
    expect((await fetch(`${svc.baseUrl}/health`)).status).toBe(200);
    expect(svc.stderr()).not.toContain('RangeError');
  });

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
