import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

export const MAIN_JS = join(__dirname, '..', '..', 'dist', 'main.js');

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** A port nothing listens on: connecting to it is refused (the "server down" case). */
export const closedPort = freePort;

export interface ServiceProcess {
  child: ChildProcess;
  port: number;
  baseUrl: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface ServiceProcessOptions {
  /**
   * The working directory, where a dev-profile service looks for `.env`. By default the build
   * directory, which holds none: a developer's own `.env` at the repository root never reaches a test.
   */
  cwd?: string;
}

/** Runs the built service (dist/main.js) as a real process; `npm run build` must have run. */
export function startServiceProcess(env: Record<string, string>, options: ServiceProcessOptions = {}): ServiceProcess {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the built dist/main.js of this repository
  if (!existsSync(MAIN_JS)) throw new Error('dist/main.js is missing: run `npm run build` first');
  const port = Number(env.PORT ?? 0);
  const child = spawn(process.execPath, [MAIN_JS], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', MFN_LOG_FORMAT: 'json', ...env },
    cwd: options.cwd ?? dirname(MAIN_JS),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    stdout: () => out,
    stderr: () => err,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Polls GET /health until it answers 200 or the process exits. */
export async function waitUntilUp(svc: ServiceProcess, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void svc.exited.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    try {
      const res = await fetch(`${svc.baseUrl}/health`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`service did not come up: ${svc.stderr().slice(0, 500)}`);
}
