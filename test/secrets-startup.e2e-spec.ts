import { closedPort, freePort, startServiceProcess, waitUntilUp } from './helpers/service-process';
import { TempDir } from './helpers/temp-dir';
import { VaultKvStub } from './secrets/vault-kv.stub';

const KEY = 'process-level-api-key-0123456789abcdef';
const MASTER_KEY = Buffer.alloc(32, 7).toString('base64');

/**
 * The built service as a process: a secrets failure at boot in prod exits 1 with one line on
 * stderr, naming every missing or invalid secret at once; a healthy backend lets it listen and
 * report ready.
 */
describe('service start-up with secrets backends (process level)', () => {
  const vault = new VaultKvStub();
  let dir: TempDir;

  beforeAll(async () => {
    dir = await TempDir.create('mfn-secrets-startup-');
    await vault.start();
    vault.put('secret', 'mfn/prod', { MFN_API_KEY: KEY, MFN_MASTER_KEY: MASTER_KEY });
  });

  afterAll(async () => {
    await vault.close();
    await dir.remove();
  });

  it('exits 1 with one clear line when Vault is unreachable in prod', async () => {
    const svc = startServiceProcess({
      MFN_ENV: 'prod',
      PORT: String(await freePort()),
      MFN_SECRETS_BACKEND: 'vault',
      MFN_SECRETS_VAULT_URL: `http://127.0.0.1:${await closedPort()}`,
      MFN_SECRETS_VAULT_PATH: 'mfn/prod',
      MFN_VAULT_TOKEN: vault.token,
      MFN_SECRETS_TIMEOUT_MS: '500',
      MFN_SECRETS_RETRIES: '1',
    });
    expect(await svc.exited).toBe(1);
    expect(svc.stderr()).toBe("Start-up failed: Secrets backend 'vault' failed: Vault is unreachable (ECONNREFUSED)\n");
    expect(svc.stdout() + svc.stderr()).not.toContain(vault.token);
  });

  it('exits 1 naming the variable when the secrets file is too large, without printing it', async () => {
    const path = await dir.write('secrets.env', `MFN_API_KEY=${KEY}\n${'#'.repeat(70_000)}\n`);
    const svc = startServiceProcess({ MFN_ENV: 'prod', PORT: String(await freePort()), MFN_SECRETS_BACKEND: 'file', MFN_SECRETS_FILE: path });
    expect(await svc.exited).toBe(1);
    expect(svc.stderr()).toBe("Start-up failed: Secrets backend 'file' failed: MFN_SECRETS_FILE names a file larger than 65536 bytes\n");
    expect(svc.stdout() + svc.stderr()).not.toContain(KEY);
    expect(svc.stdout() + svc.stderr()).not.toContain(dir.path);
  });

  describe('names every missing or invalid secret in one run', () => {
    const startupLines = (stderr: string) => stderr.trim().split('\n');

    it('env backend: neither API key nor master key, in one line', async () => {
      const svc = startServiceProcess({ MFN_ENV: 'prod', PORT: String(await freePort()) });
      expect(await svc.exited).toBe(1);
      const lines = startupLines(svc.stderr());
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^Invalid configuration: /);
      expect(lines[0]).toMatch(/MFN_API_KEY or MFN_API_KEYS .*must be set/);
      expect(lines[0]).toMatch(/MFN_MASTER_KEY \(or MFN_MASTER_KEY_FILE\) must be set/);
    });

    it('vault backend holding neither: one Start-up failed line naming both', async () => {
      vault.put('secret', 'mfn/bare', { MFN_METRICS_TOKEN: 'metrics-token-value-0123456789' });
      const svc = startServiceProcess({
        MFN_ENV: 'prod',
        PORT: String(await freePort()),
        MFN_SECRETS_BACKEND: 'vault',
        MFN_SECRETS_VAULT_URL: vault.url,
        MFN_SECRETS_VAULT_PATH: 'mfn/bare',
        MFN_VAULT_TOKEN: vault.token,
      });
      expect(await svc.exited).toBe(1);
      const lines = startupLines(svc.stderr());
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^Start-up failed: 2 problems: \(1\) API key authentication is required but no API keys were provided/);
      expect(lines[0]).toContain('(2) MFN_MASTER_KEY is required in prod');
      expect(svc.stdout() + svc.stderr()).not.toContain(vault.token);
    });

    it('file backend with weak keys and a malformed master key: every entry and the master key, never a value', async () => {
      const weak = `weak-${KEY.slice(0, 8)}`;
      const badMaster = Buffer.alloc(16, 3).toString('base64');
      const path = await dir.write(
        'weak.json',
        JSON.stringify({ MFN_API_KEYS: `ci:${weak},placeholder-api-key,ok:${KEY}`, MFN_MASTER_KEY: badMaster }),
      );
      const svc = startServiceProcess({ MFN_ENV: 'prod', PORT: String(await freePort()), MFN_SECRETS_BACKEND: 'file', MFN_SECRETS_FILE: path });
      expect(await svc.exited).toBe(1);
      const lines = startupLines(svc.stderr());
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^Start-up failed: 3 problems: /);
      expect(lines[0]).toContain('(1) MFN_API_KEYS entry 1 (id ci) is shorter than 32 characters');
      expect(lines[0]).toContain('(2) MFN_API_KEYS entry 2 is a known placeholder value');
      expect(lines[0]).toContain('(3) MFN_MASTER_KEY must be standard base64 of exactly 32 bytes');
      for (const secret of [weak, KEY, badMaster]) expect(svc.stdout() + svc.stderr()).not.toContain(secret);
    });
  });

  it('listens and reports secrets ready with the vault backend, then shuts down cleanly', async () => {
    const tokenFile = await dir.write('vault-token', `${vault.token}\n`);
    const svc = startServiceProcess({
      MFN_ENV: 'prod',
      PORT: String(await freePort()),
      MFN_SECRETS_BACKEND: 'vault',
      MFN_SECRETS_VAULT_URL: vault.url,
      MFN_SECRETS_VAULT_PATH: 'mfn/prod',
      MFN_VAULT_TOKEN_FILE: tokenFile,
    });
    try {
      await waitUntilUp(svc);
      const res = await fetch(`${svc.baseUrl}/health/ready`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { details: Record<string, unknown> };
      expect(body.details.secrets).toMatchObject({ status: 'up', backend: 'vault' });
    } finally {
      expect(await svc.stop('SIGTERM')).toBe(0);
    }
    expect(svc.stdout() + svc.stderr()).not.toContain(KEY);
    expect(svc.stdout() + svc.stderr()).not.toContain(vault.token);
  });
});
