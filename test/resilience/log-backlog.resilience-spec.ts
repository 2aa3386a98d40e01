/* eslint-disable security/detect-non-literal-fs-filename -- test code: writes and reads only the log file in the temporary directory the suite creates */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAIN_JS, freePort, waitUntilUp, type ServiceProcess } from '../helpers/service-process';
import { LoadRun } from './support/load';
import { sendHttp } from './support/wire-client';

/**
 * Sustained load on the real process with JSON logs (three lines per request: the access record
 * and two audit events), stdout going to a file, and a deliberately small heap. Log output must
 * keep pace with the requests: the process holds on a 48 MB heap, serves every request, and has
 * written one access record per answered request by the time it exits. (An asynchronous stdout
 * writer that sends one chunk per event-loop turn falls behind a busy server and queues the rest
 * in memory: at about 4,500 requests/s that grew the heap by some 5 MB/s until it ran out. The
 * writer is now synchronous, fed one batch per turn.)
 */
jest.setTimeout(180_000);

const API_KEY = randomBytes(24).toString('hex');
/**
 * Requests sent before the verdict: enough that a per-request leak of the old kind would exhaust
 * the heap. A count, not a duration, so a slow or busy machine only takes longer; the wait is
 * bounded by the test timeout alone.
 */
const REQUESTS = 6_000;
const LANES = 48;
const NERNST = JSON.stringify({ concentration_out_molar: 0.005, concentration_in_molar: 0.14 });

describe('log output under sustained load', () => {
  it('keeps pace with the requests on a 48 MB heap: no out-of-memory, no lost access record', async () => {
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
      const headers = { 'content-type': 'application/json', 'x-api-key': API_KEY };
      const load = new LoadRun(LANES, async () => ({
        kind: 'nernst',
        outcome: await sendHttp(port, { method: 'POST', path: '/nernst', headers, body: NERNST }, agent),
      }));
      await load.answered(REQUESTS, 150_000);
      const samples = await load.stop();
      agent.destroy();

      expect(stderr).not.toContain('heap out of memory');
      expect(child.exitCode).toBeNull();
      const failed = samples.filter((s) => s.outcome.error !== undefined || s.outcome.status !== 200);
      expect(failed.map((s) => s.outcome.error ?? s.outcome.status).slice(0, 5)).toEqual([]);
      expect(samples.length).toBeGreaterThanOrEqual(REQUESTS);

      child.kill('SIGTERM');
      const { code } = await exited;
      expect(code).toBe(0);
      // Every answered request left its access record on stdout (the health probes add a few).
      let accessRecords = 0;
      for (const line of readFileSync(logFile, 'utf8').split('\n')) if (line.includes('"action":"api_request"')) accessRecords++;
      expect(accessRecords).toBeGreaterThanOrEqual(samples.length);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
