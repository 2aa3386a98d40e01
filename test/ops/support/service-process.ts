import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { send, waitFor } from './http-wire';

export const REPO_ROOT = join(__dirname, '..', '..', '..');
const MAIN = join(REPO_ROOT, 'dist', 'main.js');

/** `npm test` builds before jest; a targeted run builds once if dist/ is missing. */
export function ensureBuilt(): void {
  if (existsSync(MAIN)) return;
  execFileSync(process.execPath, [require.resolve('@nestjs/cli/bin/nest.js'), 'build'], { cwd: REPO_ROOT, stdio: 'ignore' });
}

export interface ServiceProcess {
  child: ChildProcess;
  port: number;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs the built service (`node dist/main.js`) as its own process, as a container would, with
 * only the given variables (nothing inherited from the test runner's MFN_* environment).
 */
export async function startService(port: number, env: Record<string, string>): Promise<ServiceProcess> {
  ensureBuilt();
  const child = spawn(process.execPath, [MAIN], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const service = { child, port, output: () => output, exited };
  await Promise.race([
    waitFor(async () => ((await send(port, 'GET', '/health')).status === 200 ? true : undefined), 'service start-up', 30_000),
    exited.then(() => {
      throw new Error(`service exited during start-up: ${output.slice(0, 2000)}`);
    }),
  ]);
  return service;
}

/** Ends a service a test left running (by its own pid only). */
export function stopService(service: ServiceProcess | undefined): void {
  if (service && service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGKILL');
}
