import { spawn } from 'node:child_process';

export interface ShellResult {
  code: number | null;
  stdout: string;
}

/** Runs `script` with /bin/sh (as a container's `sh -c` or a reader's terminal would): exit code and stdout. */
export function runShell(script: string, options: { cwd?: string; env?: Record<string, string> } = {}): Promise<ShellResult> {
  const child = spawn('sh', ['-c', script], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.env },
    stdio: ['ignore', 'pipe', 'ignore'],
    timeout: 15_000,
  });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout })));
}

/** A compose string as the container receives it: `$$` is compose's escape for a literal `$`. */
export function composeUnescape(value: string): string {
  return value.replace(/\$\$/g, '$');
}

/**
 * The shell commands of an indented comment block (`#   command` lines) that ends with the line
 * holding `last` (not included): the set-up steps a file documents for its reader.
 */
export function documentedCommands(text: string, last: string): string[] {
  const lines = text.split('\n').filter((l) => l.startsWith('#   ')).map((l) => l.slice(4).trim());
  const end = lines.findIndex((l) => l.includes(last));
  if (end === -1) throw new Error(`no documented command holding "${last}"`);
  return lines.slice(0, end);
}
