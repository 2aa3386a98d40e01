import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { closedPort, eventually } from './secrets/net';
import { VaultKvStub } from './secrets/vault-kv.stub';

jest.setTimeout(60_000);

const MAIN = resolve(__dirname, '..', 'dist', 'main.js');
const KEY = 'process-level-api-key-0123456789abcdef';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the built service as its own process with exactly this environment. */
function startService(env: Record<string, string>) {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', MFN_LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<Run>((done) => child.on('exit', (code) => done({ code, stdout, stderr })));
  return { child, exited, output: () => stdout + stderr };
}

/**
 * The built service as a process: a secrets failure at boot in prod exits 1 with one line on
 * stderr; a healthy backend lets it listen and report ready.
 */
describe('service start-up with secrets backends (process level)', () => {
  const vault = new VaultKvStub();
  let dir: string;

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error('dist/main.js is missing: run `npm run build` first (npm test and npm run test:e2e do)');
    dir = await mkdtemp(join(tmpdir(), 'mfn-secrets-startup-'));
    await vault.start();
    vault.put('secret', 'mfn/prod', { MFN_API_KEY: KEY });
  });

  afterAll(async () => {
    await vault.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 1 with one clear line when Vault is unreachable in prod', async () => {
    const run = await startService({
      MFN_ENV: 'prod',
      PORT: String(await closedPort()),
      MFN_SECRETS_BACKEND: 'vault',
      MFN_SECRETS_VAULT_URL: `http://127.0.0.1:${await closedPort()}`,
      MFN_SECRETS_VAULT_PATH: 'mfn/prod',
      MFN_VAULT_TOKEN: vault.token,
      MFN_SECRETS_TIMEOUT_MS: '500',
      MFN_SECRETS_RETRIES: '1',
    }).exited;
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("Start-up failed: Secrets backend 'vault' failed: Vault is unreachable (ECONNREFUSED)\n");
    expect(run.stdout + run.stderr).not.toContain(vault.token);
  });

  it('exits 1 naming the variable when the secrets file is too large, without printing it', async () => {
    const path = join(dir, 'secrets.env');
    await writeFile(path, `MFN_API_KEY=${KEY}\n${'#'.repeat(70_000)}\n`);
    const run = await startService({ MFN_ENV: 'prod', PORT: String(await closedPort()), MFN_SECRETS_BACKEND: 'file', MFN_SECRETS_FILE: path }).exited;
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("Start-up failed: Secrets backend 'file' failed: MFN_SECRETS_FILE names a file larger than 65536 bytes\n");
    expect(run.stdout + run.stderr).not.toContain(KEY);
    expect(run.stdout + run.stderr).not.toContain(dir);
  });

  it('listens and reports secrets ready with the vault backend, then shuts down cleanly', async () => {
    const port = await closedPort();
    const tokenFile = join(dir, 'vault-token');
    await writeFile(tokenFile, `${vault.token}\n`);
    const service = startService({
      MFN_ENV: 'prod',
      PORT: String(port),
      MFN_SECRETS_BACKEND: 'vault',
      MFN_SECRETS_VAULT_URL: vault.url,
      MFN_SECRETS_VAULT_PATH: 'mfn/prod',
      MFN_VAULT_TOKEN_FILE: tokenFile,
    });
    try {
      let ready: { status: number; body: { details?: Record<string, { status?: string; backend?: string }> } } | undefined;
      await eventually(async () => {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
          ready = { status: res.status, body: (await res.json()) as NonNullable<typeof ready>['body'] };
          return true;
        } catch {
          return false;
        }
      }, 30_000);
      expect(ready?.status).toBe(200);
      expect(ready?.body.details?.secrets).toMatchObject({ status: 'up', backend: 'vault' });
    } finally {
      service.child.kill('SIGTERM');
    }
    const run = await service.exited;
    expect(run.code).toBe(0);
    expect(run.stdout + run.stderr).not.toContain(KEY);
    expect(run.stdout + run.stderr).not.toContain(vault.token);
  });
});
