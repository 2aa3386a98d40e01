import { randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import { ServiceProcess, freePort, startServiceProcess, waitUntilUp } from '../helpers/service-process';
import { bodyOf, until } from './support/load';
import { WireOutcome, sendHttp } from './support/wire-client';

/**
 * SIGTERM on the real process (`node dist/main.js`, prod profile) while 16 clients keep sending
 * requests, half over kept-alive connections and half on a fresh connection each, every request
 * with its own X-Request-ID. Nothing accepted is lost: every request the service logged as
 * answered reached its client with that status, none was cut off (no 499 / "request aborted by
 * client" record), everything sent before the signal was served, requests arriving while it
 * drains get a clean 503 or a refused connection, and the process exits 0.
 */
jest.setTimeout(120_000);

const LANES = 16;
const API_KEY = randomBytes(24).toString('hex');

interface Sent {
  id: string;
  kind: string;
  /** Sent before the test signalled the process. */
  sentBeforeSignal: boolean;
  /** Answered (or failed) after the test signalled the process. */
  answeredAfterSignal: boolean;
  outcome: WireOutcome;
}

function requestFor(seq: number): { kind: string; method: string; path: string; body?: string } {
  switch (seq % 4) {
    case 0:
      return { kind: 'nernst', method: 'POST', path: '/nernst', body: JSON.stringify({ concentration_out_molar: 0.005, concentration_in_molar: 0.14 }) };
    case 1:
      // Long enough that several are running or queued whenever the signal comes.
      return { kind: 'simulate', method: 'POST', path: '/simulate', body: JSON.stringify({ grid_size: 128, steps: 300, seed: seq }) };
    case 2:
      return { kind: 'encrypt', method: 'POST', path: '/api/encrypt', body: JSON.stringify({ plaintext: randomBytes(32).toString('base64') }) };
    default:
      return { kind: 'health', method: 'GET', path: '/health' };
  }
}

/** The access records (one per answered request) the process wrote to stdout. */
function accessRecords(stdout: string): Map<string, Record<string, unknown>[]> {
  const byId = new Map<string, Record<string, unknown>[]>();
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const record = JSON.parse(line) as Record<string, unknown>;
    if (record.action !== 'api_request' || typeof record.request_id !== 'string') continue;
    byId.set(record.request_id, [...(byId.get(record.request_id) ?? []), record]);
  }
  return byId;
}

describe('SIGTERM under load', () => {
  let service: ServiceProcess | undefined;

  afterEach(async () => {
    await service?.stop('SIGKILL');
  });

  it('loses no accepted request and exits 0', async () => {
    service = startServiceProcess({
      PORT: String(await freePort()),
      MFN_ENV: 'prod',
      MFN_API_KEY: API_KEY,
      MFN_MASTER_KEY: randomBytes(32).toString('base64'),
      MFN_RATE_LIMIT_REQUESTS: '1000000',
      MFN_RATE_LIMIT_ROUTES: '/health=1000000,/nernst=1000000,/simulate=1000000',
      MFN_COMPUTE_WORKERS: '1',
      // Requests keep being accepted for this long after the signal: far longer than reading one
      // takes, so everything sent before the signal is accepted.
      MFN_SHUTDOWN_DELAY_MS: '1000',
      MFN_SHUTDOWN_TIMEOUT_MS: '30000',
    });
    await waitUntilUp(service);
    const { port } = service;

    const sent: Sent[] = [];
    let signalled = false;
    const agent = new Agent({ keepAlive: true, maxSockets: LANES / 2 });
    const lanes = Array.from({ length: LANES }, async (_, lane) => {
      for (let seq = 0; ; seq++) {
        const { kind, method, path, body } = requestFor(seq + lane);
        const id = `sig-${lane}-${seq}`;
        const headers: Record<string, string> = { 'x-request-id': id, 'x-api-key': API_KEY };
        if (body !== undefined) headers['content-type'] = 'application/json';
        const sentBeforeSignal = !signalled;
        const outcome = await sendHttp(port, { method, path, headers, body }, lane % 2 === 0 ? agent : undefined);
        sent.push({ id, kind, sentBeforeSignal, answeredAfterSignal: signalled, outcome });
        // The listener is closed: the process is (nearly) gone.
        if (outcome.error === 'ECONNREFUSED') return;
        if (sent.length > 50_000) throw new Error('the service never stopped accepting connections');
      }
    });

    await until('load to build up', () => sent.length >= 200, 60_000);
    service.child.kill('SIGTERM');
    signalled = true;
    const exitCode = await service.exited;
    await Promise.all(lanes);
    agent.destroy();

    expect(exitCode).toBe(0);
    const stdout = service.stdout();
    expect(stdout).toContain('shutdown requested: readiness now 503');
    expect(stdout).toContain('shutdown complete');

    const records = accessRecords(stdout);
    const problems: string[] = [];
    for (const request of sent) {
      const logged = records.get(request.id) ?? [];
      const { status, error } = request.outcome;
      if (logged.length > 1) problems.push(`${request.id}: ${logged.length} access records`);
      if (status !== undefined) {
        // Answered: exactly as the service logged it.
        if (logged.length !== 1 || logged[0].status !== status) problems.push(`${request.id}: client got ${status}, log says ${JSON.stringify(logged.map((r) => r.status))}`);
        if (status !== 200 && status !== 503) problems.push(`${request.id}: ${request.kind} answered ${status}`);
        if (status === 503) {
          const envelope = bodyOf(request.outcome);
          if (envelope?.error_code !== 'SERVICE_UNAVAILABLE' || envelope.request_id !== request.id) problems.push(`${request.id}: 503 without the envelope`);
          if (request.outcome.headers.connection !== 'close') problems.push(`${request.id}: drain 503 without Connection: close`);
        }
      } else if (logged.length > 0) {
        // Not answered: then the service must never have taken it in.
        problems.push(`${request.id}: ${request.kind} logged as ${String(logged[0].status)} (${String(logged[0].message)}) but the client got ${error}`);
      } else if (!['ECONNREFUSED', 'ECONNRESET', 'socket hang up'].includes(String(error))) {
        problems.push(`${request.id}: unexpected client error ${error}`);
      }
      if (request.sentBeforeSignal && status !== 200) problems.push(`${request.id}: sent before SIGTERM, got ${status ?? error}`);
    }
    for (const [id, logged] of records) {
      if (!id.startsWith('sig-')) continue;
      for (const record of logged) {
        if (record.status === 499 || record.message === 'request aborted by client') problems.push(`${id}: cut off (${String(record.status)})`);
      }
    }
    expect(problems.slice(0, 20)).toEqual([]);

    // The signal came while requests were in flight, and they were served.
    const inFlightAtSignal = sent.filter((s) => s.sentBeforeSignal && s.answeredAfterSignal);
    expect(inFlightAtSignal.length).toBeGreaterThan(0);
    expect(inFlightAtSignal.filter((s) => s.kind === 'simulate').length).toBeGreaterThan(0);
  });
});
