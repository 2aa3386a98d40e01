/* eslint-disable security/detect-non-literal-fs-filename -- test code: writes and reads only the log file in the temporary directory the suite creates */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAIN_JS, freePort, waitUntilUp, type ServiceProcess } from '../helpers/service-process';
import { mapConcurrently, sendHttp } from './support/wire-client';

/**
 * Sustained load on the real process with JSON logs (three lines per request: the access record
 * and two audit events), stdout going to a file, and a deliberately small heap. Two properties,
 * neither of them a rate:
 * - bounded memory: the lines waiting in the process for their write stay bounded: while the
 *   requests are answered, the log file never lags more than two access records per client
 *   behind them; and the process serves a fixed, large number of requests on a 48 MB heap and is
 *   still running afterwards. (An asynchronous stdout writer that sent one chunk per event-loop
 *   turn fell behind a busy server and queued the rest in memory, at about 5 MB of heap per
 *   4,500 requests, until the heap ran out. The writer is now synchronous, fed one batch per
 *   turn: at most one turn's lines wait.)
 * - completeness: every request it answered has its access record, with the status its client
 *   got, in the log file once the process has exited.
 * Throughput under this load is measured by `npm run bench`.
 */
jest.setTimeout(180_000);

const API_KEY = randomBytes(24).toString('hex');
/**
 * Requests sent before the verdict: enough that a per-request leak of the old kind would exhaust
 * the heap. A count, not a duration: a slow or busy machine only takes longer.
 */
const REQUESTS = 6_000;
const LANES = 48;
const NERNST = JSON.stringify({ concentration_out_molar: 0.005, concentration_in_molar: 0.14 });
/** Answers between two looks at how far the log file lags behind them. */
const CHECK_EVERY = 250;
/** Access records a request may still be waiting for when its client already has the answer. */
const MAX_LAG = 2 * LANES;
const ID_PREFIX = 'backlog-';

/** Access records of this test's requests in the log file so far (a line being written may be cut). */
function accessRecordsSoFar(logFile: string): number {
  let count = 0;
  for (const line of readFileSync(logFile, 'utf8').split('\n')) if (line.includes('"action":"api_request"') && line.includes(`"request_id":"${ID_PREFIX}`)) count++;
  return count;
}

/** The statuses of the access records in a JSON log, by request id. */
function accessStatuses(log: string): Map<string, unknown[]> {
  const byId = new Map<string, unknown[]>();
  for (const line of log.split('\n')) {
    if (!line.includes('"action":"api_request"')) continue;
    const record = JSON.parse(line) as { request_id?: unknown; status?: unknown };
    if (typeof record.request_id !== 'string') continue;
    byId.set(record.request_id, [...(byId.get(record.request_id) ?? []), record.status]);
  }
  return byId;
}

describe('log output under sustained load', () => {
  it('keeps its memory bounded on a 48 MB heap and writes the access record of every answered request', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'mfn-logs-'));
    const logFile = join(dir, 'stdout.log');
    const out = openSync(logFile, 'w');
    const child = spawn(process.execPath, [MAIN_JS], {
      env: {
        PATH: process.env.PATH ?? '',
        HOST: '127.0.0.1',
        PORT: String(port),
        NODE_OPTIONS: '--max-old-space-size=48',
        MFN_ENV: 'prod',
        MFN_API_KEY: API_KEY,
        MFN_MASTER_KEY: randomBytes(32).toString('base64'),
        MFN_RATE_LIMIT_ROUTES: '/nernst=100000000',
        MFN_LOG_FORMAT: 'json',
        MFN_LOG_LEVEL: 'INFO',
      },
      // stdout to a file: it never pushes back, so whatever the process does not write out in
      // time can only pile up in its own memory.
      stdio: ['ignore', out, 'pipe'],
    });
    closeSync(out);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const svc = { baseUrl: `http://127.0.0.1:${port}`, exited: exited.then((e) => e.code), stderr: () => stderr } as unknown as ServiceProcess;

    try {
      await waitUntilUp(svc);
      const agent = new Agent({ keepAlive: true, maxSockets: LANES });
      const ids = Array.from({ length: REQUESTS }, (_, i) => `${ID_PREFIX}${i}`);
      let answered = 0;
      const lags: number[] = [];
      // Closed loop: LANES clients, each sending its next request as soon as the last is answered.
      const outcomes = await mapConcurrently(ids, LANES, async (id) => {
        const headers = { 'content-type': 'application/json', 'x-api-key': API_KEY, 'x-request-id': id };
        const outcome = await sendHttp(port, { method: 'POST', path: '/nernst', headers, body: NERNST }, agent);
        if (++answered % CHECK_EVERY === 0) lags.push(answered - accessRecordsSoFar(logFile));
        return outcome;
      });
      agent.destroy();

      // Bounded memory: the log kept up with the answers, every request was served, and the
      // process is still up on its small heap.
      expect(lags).toHaveLength(REQUESTS / CHECK_EVERY);
      expect(lags.filter((lag) => lag > MAX_LAG)).toEqual([]);
      expect(stderr).not.toContain('heap out of memory');
      expect(child.exitCode).toBeNull();
      const failed = outcomes.filter((o) => o.error !== undefined || o.status !== 200);
      expect(failed.map((o) => o.error ?? o.status).slice(0, 5)).toEqual([]);

      child.kill('SIGTERM');
      const { code } = await exited;
      expect(code).toBe(0);
      // Completeness: each answered request has exactly one access record, with its status.
      const logged = accessStatuses(readFileSync(logFile, 'utf8'));
      const missing = ids.filter((id, i) => JSON.stringify(logged.get(id)) !== JSON.stringify([outcomes.at(i)?.status]));
      expect({ missing: missing.length, first: missing.slice(0, 5).map((id) => `${id}: ${JSON.stringify(logged.get(id) ?? [])}`) }).toEqual({ missing: 0, first: [] });
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
