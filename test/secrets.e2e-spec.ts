import request from 'supertest';
import { loadConfig } from '../src/config';
import { SecretsService } from '../src/secrets/secrets.service';
import { AwsSecretsManagerStub } from './secrets/aws-secrets-manager.stub';
import { VaultKvStub } from './secrets/vault-kv.stub';
import { overrideProcessEnv } from './helpers/process-env';
import { closedPort } from './helpers/service-process';
import { TempDir } from './helpers/temp-dir';
import { createTestApp } from './helpers/test-app';

const KEY = 'backend-held-api-key-0123456789abcdef';
const LIST = ['list-key-one-0123456789abcdef012345', 'list-key-two-0123456789abcdef012345'];
/** prod also needs the crypto master key; each backend holds it like the API keys. */
const MASTER_KEY = Buffer.alloc(32, 9).toString('base64');

/**
 * The real app started with each backend serves the API key that backend holds: asserted through
 * SecretsService, the readiness probe and a protected route.
 */
describe('SecretsModule in the running app', () => {
  const aws = new AwsSecretsManagerStub();
  const vault = new VaultKvStub();
  let restoreEnv: () => void;
  let dir: TempDir;

  beforeAll(async () => {
    dir = await TempDir.create('mfn-secrets-e2e-');
    await aws.start();
    await vault.start();
    aws.setSecretString('mfn/e2e', JSON.stringify({ MFN_API_KEY: KEY, MFN_API_KEYS: LIST.join(','), MFN_MASTER_KEY: MASTER_KEY }));
    vault.put('secret', 'mfn/e2e', { MFN_API_KEY: KEY, MFN_API_KEYS: JSON.stringify(LIST), MFN_MASTER_KEY: MASTER_KEY });
    restoreEnv = overrideProcessEnv(aws.sdkEnvironment());
  });

  afterAll(async () => {
    restoreEnv();
    await aws.close();
    await vault.close();
    await dir.remove();
  });

  const file = (name: string, content: string | Buffer) => dir.write(name, content);

  const backends: [string, () => Promise<Record<string, string>>][] = [
    ['env', async () => ({ MFN_API_KEY: KEY, MFN_API_KEYS: LIST.join('\n'), MFN_MASTER_KEY: MASTER_KEY })],
    [
      'env with mounted _FILE secrets behind empty variables',
      async () => ({
        MFN_API_KEY: '',
        MFN_API_KEY_FILE: await file('api_key', `${KEY}\n`),
        MFN_API_KEYS_FILE: await file('api_keys', `${LIST.join('\n')}\n`),
        MFN_MASTER_KEY_FILE: await file('master_key', `${MASTER_KEY}\n`),
      }),
    ],
    [
      'file (JSON)',
      async () => ({
        MFN_SECRETS_BACKEND: 'file',
        MFN_SECRETS_FILE: await file(
          'secrets.json',
          JSON.stringify({ MFN_API_KEY: KEY, MFN_API_KEYS: LIST.join(','), MFN_MASTER_KEY: MASTER_KEY }),
        ),
      }),
    ],
    [
      'file (.env)',
      async () => ({
        MFN_SECRETS_BACKEND: 'file',
        MFN_SECRETS_FILE: await file('secrets.env', `MFN_API_KEY=${KEY}\nMFN_API_KEYS=${LIST.join(',')}\nMFN_MASTER_KEY=${MASTER_KEY}\n`),
      }),
    ],
    [
      'aws',
      async () => ({
        MFN_SECRETS_BACKEND: 'aws',
        MFN_SECRETS_AWS_NAME: 'mfn/e2e',
        AWS_REGION: aws.region,
        MFN_SECRETS_AWS_ENDPOINT: aws.url,
      }),
    ],
    [
      'vault',
      async () => ({
        MFN_SECRETS_BACKEND: 'vault',
        MFN_SECRETS_VAULT_URL: vault.url,
        MFN_SECRETS_VAULT_PATH: 'mfn/e2e',
        MFN_VAULT_TOKEN_FILE: await file('vault-token', vault.token),
      }),
    ],
  ];

  it.each(backends)('boots in prod with the %s backend and holds its API keys', async (_name, envFor) => {
    const t = await createTestApp({ MFN_ENV: 'prod', MFN_SECRETS_REFRESH_S: '0', ...(await envFor()) });
    try {
      const secrets = t.app.get(SecretsService);
      expect(secrets.loaded).toBe(true);
      expect(secrets.getSecret('MFN_API_KEY', { required: true })).toBe(KEY);
      expect(secrets.getList('MFN_API_KEYS')).toEqual(LIST);
      const ready = await request(t.server).get('/health/ready').expect(200);
      expect(ready.body.details.secrets).toMatchObject({ status: 'up', backend: secrets.backendName });
      expect(JSON.stringify(ready.body)).not.toContain(KEY);
      // The API keys that backend holds open the protected routes; nothing else does.
      const body = { concentration_out_molar: 0.005, concentration_in_molar: 0.14 };
      await request(t.server).post('/nernst').set('X-API-Key', KEY).send(body).expect(200);
      for (const listed of LIST) await request(t.server).post('/nernst').set('X-API-Key', listed).send(body).expect(200);
      expect((await request(t.server).post('/nernst').set('X-API-Key', `${KEY}x`).send(body)).body.error_code).toBe('INVALID_API_KEY');
      expect((await request(t.server).post('/nernst').send(body)).status).toBe(401);
      expect(t.logs.text()).not.toContain(KEY);
      expect(t.logs.records().find((r) => r.message === 'secrets loaded')).toMatchObject({ backend: secrets.backendName });
    } finally {
      await t.close();
    }
  });

  const failures: [string, () => Promise<Record<string, string>>, RegExp][] = [
    ['env: a _FILE that does not exist', async () => ({ MFN_API_KEY: '', MFN_API_KEY_FILE: dir.join('absent') }), /^Secrets backend 'env' failed: MFN_API_KEY_FILE names a file that does not exist$/],
    [
      'file: MFN_SECRETS_FILE unset',
      async () => ({ MFN_SECRETS_BACKEND: 'file', MFN_API_KEY_REQUIRED: 'false' }),
      /^Secrets backend 'file' failed: MFN_SECRETS_FILE must be set when using the file secrets backend$/,
    ],
    [
      'file: larger than 64 KiB',
      async () => ({ MFN_SECRETS_BACKEND: 'file', MFN_SECRETS_FILE: await file('huge.env', `MFN_API_KEY=${KEY}\n${'#'.repeat(70_000)}`) }),
      /larger than 65536 bytes$/,
    ],
    [
      'file: binary',
      async () => ({ MFN_SECRETS_BACKEND: 'file', MFN_SECRETS_FILE: await file('bin', Buffer.concat([Buffer.from(KEY), Buffer.from([0, 0xff])])) }),
      /names a binary file/,
    ],
    [
      'file: unparsable',
      async () => ({ MFN_SECRETS_BACKEND: 'file', MFN_SECRETS_FILE: await file('broken.env', `${KEY}\n`) }),
      /^Secrets backend 'file' failed: MFN_SECRETS_FILE names a file whose line 1 has no '='$/,
    ],
    ['file: empty', async () => ({ MFN_SECRETS_BACKEND: 'file', MFN_SECRETS_FILE: await file('empty.json', '{}') }), /the backend holds no secrets$/],
    [
      'aws: missing secret',
      async () => ({ MFN_SECRETS_BACKEND: 'aws', MFN_SECRETS_AWS_NAME: 'mfn/absent', MFN_SECRETS_AWS_REGION: aws.region, MFN_SECRETS_AWS_ENDPOINT: aws.url }),
      /^Secrets backend 'aws' failed: .*ResourceNotFoundException/,
    ],
    ['aws: no secret name', async () => ({ MFN_SECRETS_BACKEND: 'aws', AWS_REGION: aws.region }), /MFN_SECRETS_AWS_NAME must be set/],
    [
      'vault: wrong token',
      async () => ({ MFN_SECRETS_BACKEND: 'vault', MFN_SECRETS_VAULT_URL: vault.url, MFN_SECRETS_VAULT_PATH: 'mfn/e2e', MFN_VAULT_TOKEN: 'hvs.not-a-valid-token' }),
      /^Secrets backend 'vault' failed: Vault authentication failed \(HTTP 403\)$/,
    ],
    [
      'vault: unreachable',
      async () => ({
        MFN_SECRETS_BACKEND: 'vault',
        MFN_SECRETS_VAULT_URL: `http://127.0.0.1:${await closedPort()}`,
        MFN_SECRETS_VAULT_PATH: 'mfn/e2e',
        MFN_VAULT_TOKEN: vault.token,
        MFN_SECRETS_RETRIES: '1',
      }),
      /^Secrets backend 'vault' failed: Vault is unreachable \(ECONNREFUSED\)$/,
    ],
    [
      'vault: no token',
      async () => ({ MFN_SECRETS_BACKEND: 'vault', MFN_SECRETS_VAULT_URL: vault.url, MFN_SECRETS_VAULT_PATH: 'mfn/e2e' }),
      /Vault token not found in environment variable MFN_VAULT_TOKEN/,
    ],
  ];

  it.each(failures)('refuses to start in prod when %s, with one line and no secret', async (_name, envFor, expected) => {
    const err = await createTestApp({ MFN_ENV: 'prod', MFN_API_KEY: KEY, ...(await envFor()) }).then(
      async (t) => {
        await t.close();
        return undefined;
      },
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).toMatch(expected);
    expect(message.split('\n')).toHaveLength(1);
    expect(message).not.toContain(KEY);
    expect(message).not.toContain(vault.token);
    expect(message).not.toContain(dir.path);
  });

  it('starts in dev without secrets when Vault is unreachable and reports not ready', async () => {
    const t = await createTestApp({
      MFN_SECRETS_BACKEND: 'vault',
      MFN_SECRETS_VAULT_URL: `http://127.0.0.1:${await closedPort()}`,
      MFN_SECRETS_VAULT_PATH: 'mfn/e2e',
      MFN_VAULT_TOKEN: vault.token,
      MFN_SECRETS_RETRIES: '0',
    });
    try {
      expect(t.app.get(SecretsService).loaded).toBe(false);
      const res = await request(t.server).get('/health/ready').expect(503);
      expect(res.body).toMatchObject({ error_code: 'SERVICE_UNAVAILABLE', request_id: res.headers['x-request-id'] });
      expect(res.body.details).toEqual(expect.arrayContaining([{ field: 'secrets', message: 'not_loaded' }]));
      await request(t.server).get('/health').expect(200);
      const line = t.logs.records().find((r) => r.level === 'ERROR' && r.logger === 'mfn.secrets');
      expect(line).toMatchObject({ backend: 'vault', kind: 'unreachable' });
      expect(t.logs.text()).not.toContain(vault.token);
    } finally {
      await t.close();
    }
  });

  it('names an unsupported backend at configuration time', () => {
    expect(() => loadConfig({ MFN_SECRETS_BACKEND: 'consul' })).toThrow(/Unsupported secrets backend/);
  });
});
