import { closedPort, freePort, startServiceProcess, waitUntilUp } from './helpers/service-process';
import { TempDir } from './helpers/temp-dir';
import { VaultKvStub } from './secrets/vault-kv.stub';

const KEY = 'process-level-api-key-0123456789abcdef';
const MASTER_KEY = Buffer.alloc(32, 7).toString('base64');

/**
 * The built service as a process: a secrets failure at boot in prod exits 1 with one line on
 * stderr; a healthy backend lets it listen and report ready.
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
