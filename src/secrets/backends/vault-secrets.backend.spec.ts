import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { SecretsBackendError } from '../secrets.errors';
import { VaultSecretsBackend, VaultSecretsBackendOptions, parseVaultKvResponse } from './vault-secrets.backend';

const fail = (kind: SecretsBackendError['kind'], reason: string) => new SecretsBackendError('vault', kind, reason);

function backend(overrides: Partial<VaultSecretsBackendOptions>): VaultSecretsBackend {
  return new VaultSecretsBackend({
    url: 'http://127.0.0.1:1',
    path: 'mfn/prod',
    mount: 'secret',
    tokenEnv: 'MFN_VAULT_TOKEN',
    environment: {},
    timeoutMs: 200,
    retries: 0,
    ...overrides,
  });
}

/** A port that was free a moment ago: nothing listens there. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function loadError(b: VaultSecretsBackend): Promise<SecretsBackendError> {
  const err = await b.load().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(SecretsBackendError);
  return err as SecretsBackendError;
}

describe('VaultSecretsBackend', () => {
  describe('parseVaultKvResponse', () => {
    it('returns data.data as a map', () => {
      const body = { data: { data: { MFN_API_KEY: 'k', MFN_API_KEYS: 'a,b' }, metadata: { version: 3, destroyed: false } } };
      expect(Object.fromEntries(parseVaultKvResponse(body, fail))).toEqual({ MFN_API_KEY: 'k', MFN_API_KEYS: 'a,b' });
    });

    it('refuses a body that is not KV v2, a deleted version and non-string values', () => {
      expect(() => parseVaultKvResponse({ data: 'x' }, fail)).toThrow('no data object');
      expect(() => parseVaultKvResponse({ errors: [] }, fail)).toThrow('no data object');
      expect(() => parseVaultKvResponse({ data: { data: null, metadata: { deletion_time: '2025-01-01T00:00:00Z' } } }, fail)).toThrow(
        'deleted or destroyed',
      );
      expect(() => parseVaultKvResponse({ data: { data: { MFN_API_KEY: { nested: 'sk-1' } } } }, fail)).toThrow(
        'Vault secret data.data entry #1 is not a string',
      );
      expect(() => parseVaultKvResponse({ data: { data: ['sk-1'] } }, fail)).toThrow('Vault secret data.data is not a JSON object');
    });
  });

  describe('settings', () => {
    it('names each missing setting', async () => {
      expect((await loadError(backend({ url: undefined }))).message).toContain('MFN_SECRETS_VAULT_URL must be set');
      expect((await loadError(backend({ path: undefined }))).message).toContain('MFN_SECRETS_VAULT_PATH must be set');
      const noToken = await loadError(backend({}));
      expect(noToken.kind).toBe('config');
      expect(noToken.message).toContain('Vault token not found in environment variable MFN_VAULT_TOKEN');
    });

    it('honours a custom token variable name', async () => {
      const err = await loadError(backend({ tokenEnv: 'VAULT_TOKEN', environment: { MFN_VAULT_TOKEN: 'ignored' } }));
      expect(err.message).toContain('Vault token not found in environment variable VAULT_TOKEN');
    });

    it('reads a token variable named like an Object member as unset, not as that member', async () => {
      for (const tokenEnv of ['constructor', '__proto__', 'toString']) {
        const err = await loadError(backend({ tokenEnv, environment: {} }));
        expect({ kind: err.kind, message: err.message }).toEqual({
          kind: 'config',
          message: expect.stringContaining(`Vault token not found in environment variable ${tokenEnv}`),
        });
      }
    });

    it('refuses a token that cannot travel in a header without quoting it', async () => {
      const err = await loadError(backend({ environment: { MFN_VAULT_TOKEN: 'hvs.abc def' } }));
      expect(err.message).toContain('contains characters not allowed in an HTTP header');
      expect(err.message).not.toContain('hvs.');
    });

    it('reads the token from MFN_VAULT_TOKEN_FILE when the variable is empty', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'mfn-vault-token-'));
      try {
        const file = join(dir, 'token');
        // eslint-disable-next-line security/detect-non-literal-fs-filename -- test code: a file in the temporary directory the suite creates
        await writeFile(file, 'hvs.from-file\n');
        // A closed port refuses the connection: getting that far proves the token was found.
        const url = `http://127.0.0.1:${await closedPort()}`;
        const err = await loadError(backend({ url, environment: { MFN_VAULT_TOKEN: '', MFN_VAULT_TOKEN_FILE: file } }));
        expect(err.kind).toBe('unreachable');
        expect(err.message).toBe("Secrets backend 'vault' failed: Vault is unreachable (ECONNREFUSED)");
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});
