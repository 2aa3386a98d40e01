import { VaultSecretsBackend, VaultSecretsBackendOptions } from '../src/secrets/backends/vault-secrets.backend';
import { SecretsBackendError } from '../src/secrets/secrets.errors';
import { SecretsService } from '../src/secrets/secrets.service';
import { VaultKvStub } from './secrets/vault-kv.stub';
import { closedPort } from './helpers/service-process';
import { TempDir } from './helpers/temp-dir';
import { createTestApp } from './helpers/test-app';
import { until } from './helpers/until';

const KEY = 'vault-held-api-key-0123456789abcdef01';
const ROTATED = 'vault-rotated-key-0123456789abcdef012';
const MOUNT = 'kv';
const PATH = 'mfn/test';

describe('Vault KV v2 backend against a local Vault HTTP API', () => {
  const vault = new VaultKvStub();
  let url: string;
  let dir: TempDir;

  function backend(overrides: Partial<VaultSecretsBackendOptions> = {}): VaultSecretsBackend {
    return new VaultSecretsBackend({
      url,
      path: PATH,
      mount: MOUNT,
      namespace: 'team-a',
      tokenEnv: 'MFN_VAULT_TOKEN',
      environment: { MFN_VAULT_TOKEN: vault.token },
      timeoutMs: 2_000,
      retries: 2,
      retryDelayMs: 10,
      ...overrides,
    });
  }

  async function loadError(b: VaultSecretsBackend): Promise<SecretsBackendError> {
    const err = await b.load().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretsBackendError);
    expect((err as Error).message).not.toContain(KEY);
    expect((err as Error).message).not.toContain(vault.token);
    return err as SecretsBackendError;
  }

  beforeAll(async () => {
    url = await vault.start();
    dir = await TempDir.create('mfn-vault-e2e-');
  });

  afterAll(async () => {
    await vault.close();
    await dir.remove();
  });

  beforeEach(() => {
    vault.reset();
    vault.namespace = 'team-a';
    vault.put(MOUNT, PATH, { MFN_API_KEY: KEY, MFN_API_KEYS: '["k2","k3"]' });
  });

  it('checks the token, then reads data.data of the latest version', async () => {
    const values = await backend().load();
    expect(Object.fromEntries(values)).toEqual({ MFN_API_KEY: KEY, MFN_API_KEYS: '["k2","k3"]' });
    expect(vault.requests).toEqual([
      { method: 'GET', path: '/v1/auth/token/lookup-self', token: vault.token, namespace: 'team-a' },
      { method: 'GET', path: `/v1/${MOUNT}/data/${PATH}`, token: vault.token, namespace: 'team-a' },
    ]);
  });

  it('fails with "Vault authentication failed" on a wrong token, without retrying', async () => {
    const err = await loadError(backend({ environment: { MFN_VAULT_TOKEN: 'hvs.wrong-token' } }));
    expect(err.kind).toBe('auth');
    expect(err.message).toBe("Secrets backend 'vault' failed: Vault authentication failed (HTTP 403)");
    expect(vault.requests).toHaveLength(1);
  });

  it('fails when the namespace is wrong', async () => {
    const err = await loadError(backend({ namespace: 'team-b' }));
    expect(err.kind).toBe('auth');
  });

  it('reports a missing path (404) as not_found, without retrying', async () => {
    const err = await loadError(backend({ path: 'mfn/absent' }));
    expect(err.kind).toBe('not_found');
    expect(err.message).toBe("Secrets backend 'vault' failed: no secret at kv/mfn/absent (HTTP 404)");
    expect(vault.requests).toHaveLength(2);
  });

  it('reports a soft-deleted latest version as not_found', async () => {
    vault.softDelete(MOUNT, PATH);
    expect((await loadError(backend())).kind).toBe('not_found');
  });

  it('retries while Vault is sealed (503) and then succeeds', async () => {
    vault.failNext = [503, 503];
    expect((await backend().load()).get('MFN_API_KEY')).toBe(KEY);
    expect(vault.requests).toHaveLength(4);
  });

  it('gives up on a server that is down after bounded retries', async () => {
    const err = await loadError(backend({ url: `http://127.0.0.1:${await closedPort()}` }));
    expect(err.kind).toBe('unreachable');
    expect(err.message).toBe("Secrets backend 'vault' failed: Vault is unreachable (ECONNREFUSED)");
  });

  it('times out a slow server on every attempt and stops after the retries', async () => {
    vault.delayMs = 1_500;
    const err = await loadError(backend({ timeoutMs: 200, retries: 1 }));
    expect(err.kind).toBe('timeout');
    expect(err.message).toBe("Secrets backend 'vault' failed: Vault did not answer within 200 ms");
    await until('both attempts to reach the stub', () => vault.requests.length === 2);
  });

  it('refuses redirects instead of sending the token to another host', async () => {
    const elsewhere = new VaultKvStub();
    const elsewhereUrl = await elsewhere.start();
    try {
      vault.redirectTo = elsewhereUrl;
      const err = await loadError(backend());
      expect(err.message).toContain('redirect (HTTP 307)');
      expect(elsewhere.requests).toHaveLength(0);
    } finally {
      await elsewhere.close();
    }
  });

  it('reads the token from MFN_VAULT_TOKEN_FILE and re-reads it on every load', async () => {
    const tokenFile = await dir.write('vault-token', `${vault.token}\n`);
    const b = backend({ environment: { MFN_VAULT_TOKEN: '', MFN_VAULT_TOKEN_FILE: tokenFile } });
    expect((await b.load()).get('MFN_API_KEY')).toBe(KEY);
    vault.tokens.add('hvs.renewed-by-agent');
    await dir.write('vault-token', 'hvs.renewed-by-agent');
    await b.load();
    expect(vault.requests.at(-1)?.token).toBe('hvs.renewed-by-agent');
    vault.tokens.delete('hvs.renewed-by-agent');
  });

  describe('through the service', () => {
    function appEnv(extra: Record<string, string> = {}): Record<string, string> {
      return {
        MFN_SECRETS_BACKEND: 'vault',
        MFN_SECRETS_VAULT_URL: url,
        MFN_SECRETS_VAULT_PATH: PATH,
        MFN_SECRETS_VAULT_MOUNT: MOUNT,
        MFN_SECRETS_VAULT_NAMESPACE: 'team-a',
        MFN_VAULT_TOKEN: vault.token,
        MFN_SECRETS_TIMEOUT_MS: '2000',
        ...extra,
      };
    }

    it('picks up a rotated secret on refresh and notifies listeners', async () => {
      const t = await createTestApp(appEnv({ MFN_SECRETS_REFRESH_S: '0' }));
      try {
        const secrets = t.app.get(SecretsService);
        expect(secrets.getSecret('MFN_API_KEY')).toBe(KEY);
        expect(secrets.getList('MFN_API_KEYS')).toEqual(['k2', 'k3']);
        const changed = jest.fn();
        secrets.onChange(changed);
        vault.put(MOUNT, PATH, { MFN_API_KEY: ROTATED, MFN_API_KEYS: '["k2","k3"]' });
        await expect(secrets.refresh()).resolves.toBe(true);
        expect(secrets.getSecret('MFN_API_KEY')).toBe(ROTATED);
        expect(changed).toHaveBeenCalledTimes(1);
        const audit = t.logs.records().find((r) => r.action === 'secrets_rotated');
        expect(audit).toMatchObject({ audit_event: true, category: 'configuration', details: { backend: 'vault', changed: ['MFN_API_KEY'] } });
        expect(t.logs.text()).not.toContain(ROTATED);
        expect(t.logs.text()).not.toContain(vault.token);
      } finally {
        await t.close();
      }
    });

    it('keeps the last good values when Vault goes away, and picks up rotation on the timer once it is back', async () => {
      const t = await createTestApp(appEnv({ MFN_SECRETS_REFRESH_S: '1', MFN_SECRETS_RETRIES: '0' }));
      try {
        const secrets = t.app.get(SecretsService);
        vault.failNext = [503, 503, 503];
        await until('a failed refresh', () => !secrets.lastRefreshOk);
        expect(secrets.getSecret('MFN_API_KEY')).toBe(KEY);
        vault.put(MOUNT, PATH, { MFN_API_KEY: ROTATED });
        await until('the rotated key', () => secrets.getSecret('MFN_API_KEY') === ROTATED);
      } finally {
        await t.close();
      }
    });
  });
});
