import { ServiceProcess, freePort, startServiceProcess, waitUntilUp } from '../helpers/service-process';
import { SlowRequest, send, waitFor } from './support/http-wire';

interface InFlightCase {
  path: string;
  body: Record<string, unknown>;
  check(response: Record<string, unknown>): void;
}

const NERNST: InFlightCase = {
  path: '/nernst',
  body: { concentration_out_molar: 0.005, concentration_in_molar: 0.14, temperature_k: 310 },
  check: (r) => expect(r.potential_mV).toBeCloseTo(-89.01066911987907, 9),
};

// The largest simulation the API accepts: it runs in a worker thread for a while after the body arrives.
const SIMULATE: InFlightCase = {
  path: '/simulate',
  body: { seed: 7, grid_size: 256, steps: 1000 },
  check: (r) => {
    expect(Number.isInteger(r.growth_events)).toBe(true);
    expect(Number.isFinite(r.fractal_dimension)).toBe(true);
  },
};

const CASES: [string, InFlightCase][] = [
  ['POST /nernst', NERNST],
  ['POST /simulate', SIMULATE],
];

/** The built service (`npm run build` first) on a free port, up and answering /health. */
async function startService(env: Record<string, string>): Promise<ServiceProcess> {
  const service = startServiceProcess({ PORT: String(await freePort()), MFN_ENV: 'dev', MFN_COMPUTE_WORKERS: '1', ...env });
  await waitUntilUp(service);
  return service;
}

/**
 * SIGTERM on the real process (`node dist/main.js`): readiness turns 503 at once, the request
 * already in flight (a Nernst request, and the largest /simulate) still completes with 200, new
 * work is turned away while draining, then the listener closes and the process exits 0.
 */
describe('graceful shutdown on SIGTERM', () => {
  let service: ServiceProcess | undefined;

  afterEach(async () => {
    await service?.stop('SIGKILL');
  });

  it.each(CASES)('%s in flight: it completes with 200, readiness is 503 while draining, then connections are refused and the exit code is 0', async (_name, inFlightCase) => {
    service = await startService({
      // Long enough to observe the window in which readiness is 503 but the listener still takes work.
      MFN_SHUTDOWN_DELAY_MS: '1500',
      MFN_SHUTDOWN_TIMEOUT_MS: '20000',
    });
    const { port } = service;

    expect((await send(port, 'GET', '/health/ready')).status).toBe(200);

    // The in-flight request: headers and half of the JSON body now, the rest later.
    const body = JSON.stringify(inFlightCase.body);
    const inFlight = new SlowRequest(port, 'POST', inFlightCase.path, body, Math.floor(body.length / 2));
    await inFlight.accepted;
    inFlight.sendFirstPart();

    service.child.kill('SIGTERM');

    // Readiness fails at once (the pod leaves the Service endpoints); liveness stays healthy.
    const notReady = await waitFor(async () => {
      const r = await send(port, 'GET', '/health/ready');
      return r.status === 503 ? r : undefined;
    }, 'readiness 503');
    const envelope = JSON.parse(notReady.body) as Record<string, unknown>;
    expect(envelope.error_code).toBe('SERVICE_UNAVAILABLE');
    expect(envelope.request_id).toBe(notReady.headers['x-request-id']);
    expect(envelope.details).toEqual(expect.arrayContaining([{ field: 'lifecycle', message: 'shutting_down' }]));
    expect((await send(port, 'GET', '/health')).status).toBe(200);

    // Once the delay is over the service drains: new work gets 503 with Connection: close …
    const refused = await waitFor(async () => {
      const r = await send(port, 'POST', inFlightCase.path, { headers: { 'Content-Type': 'application/json' }, body });
      return r.status === 503 ? r : undefined;
    }, 'drain 503');
    expect(refused.headers.connection).toBe('close');
    expect((JSON.parse(refused.body) as Record<string, unknown>).error_code).toBe('SERVICE_UNAVAILABLE');
    // … while the probes still answer.
    expect((await send(port, 'GET', '/health/ready')).status).toBe(503);

    // The request accepted before SIGTERM completes normally.
    inFlight.finish();
    const done = await inFlight.response;
    expect({ status: done.status, body: done.status === 200 ? '' : done.body }).toEqual({ status: 200, body: '' });
    inFlightCase.check(JSON.parse(done.body) as Record<string, unknown>);

    // Then the listener closes and connections are refused. Until then a new request is either
    // turned away (503) or cut while the last connections close (ECONNRESET), never served.
    const outcomes: string[] = [];
    await waitFor(async () => {
      try {
        const r = await send(port, 'POST', inFlightCase.path, { headers: { 'Content-Type': 'application/json' }, body });
        outcomes.push(String(r.status));
        return undefined;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? 'unknown';
        if (code === 'ECONNREFUSED') return code;
        outcomes.push(code);
        return undefined;
      }
    }, 'connection refused');
    expect(outcomes.filter((o) => o !== '503' && o !== 'ECONNRESET')).toEqual([]);

    expect(await service.exited).toBe(0);
    const log = service.stdout();
    expect(log).toContain('shutdown requested: readiness now 503');
    expect(log).toContain('shutdown complete');
  });
});
