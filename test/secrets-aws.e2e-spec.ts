import { AwsSecretsBackend, AwsSecretsBackendOptions } from '../src/secrets/backends/aws-secrets.backend';
import { SecretsBackendError } from '../src/secrets/secrets.errors';
import { SecretsService } from '../src/secrets/secrets.service';
import { AwsSecretsManagerStub } from './secrets/aws-secrets-manager.stub';
import { overrideProcessEnv } from './helpers/process-env';
import { closedPort } from './helpers/service-process';
import { createTestApp } from './helpers/test-app';
import { until } from './helpers/until';

const KEY = 'aws-held-api-key-0123456789abcdef0123';
const ROTATED = 'aws-rotated-key-abcdef0123456789abcd';
const NAME = 'mfn/test/secrets';

describe('AWS Secrets Manager backend against a local JSON 1.1 server', () => {
  const stub = new AwsSecretsManagerStub();
  let url: string;

  function backend(overrides: Partial<AwsSecretsBackendOptions> = {}): AwsSecretsBackend {
    return new AwsSecretsBackend({
      name: NAME,
      region: stub.region,
      endpoint: url,
      timeoutMs: 2_000,
      retries: 2,
      retryDelayMs: 10,
      client: { credentials: stub.credentials },
      ...overrides,
    });
  }

  async function loadError(b: AwsSecretsBackend): Promise<SecretsBackendError> {
    const err = await b.load().catch((e: unknown) => e);
    b.close();
    expect(err).toBeInstanceOf(SecretsBackendError);
    expect((err as Error).message).not.toContain(KEY);
    expect((err as Error).message).not.toContain(stub.credentials.secretAccessKey);
    return err as SecretsBackendError;
  }

  beforeAll(async () => {
    url = await stub.start();
  });

  afterAll(async () => {
    await stub.close();
  });

  beforeEach(() => {
    stub.reset();
    stub.setSecretString(NAME, JSON.stringify({ MFN_API_KEY: KEY, MFN_API_KEYS: 'k2,k3' }));
  });

  it('reads the JSON map with a correctly signed GetSecretValue call', async () => {
    const b = backend();
    const values = await b.load();
    b.close();
    expect(Object.fromEntries(values)).toEqual({ MFN_API_KEY: KEY, MFN_API_KEYS: 'k2,k3' });
    expect(stub.requests).toHaveLength(1);
    expect(stub.requests[0]).toEqual({
      target: 'secretsmanager.GetSecretValue',
      contentType: 'application/x-amz-json-1.1',
      body: { SecretId: NAME },
      signatureValid: true,
      region: 'eu-west-1',
      service: 'secretsmanager',
    });
  });

  it('accepts the secret ARN and plain-text secrets', async () => {
    stub.setSecretString('MFN_API_KEY', `${KEY}\n`);
    const byName = backend({ name: 'MFN_API_KEY' });
    expect(Object.fromEntries(await byName.load())).toEqual({ MFN_API_KEY: KEY });
    byName.close();
    const byArn = backend({ name: stub.arnOf(NAME) });
    expect((await byArn.load()).get('MFN_API_KEY')).toBe(KEY);
    byArn.close();
  });

  it('reports wrong credentials as an auth failure without retrying', async () => {
    const badSecret = await loadError(backend({ client: { credentials: { ...stub.credentials, secretAccessKey: 'wrong-secret-access-key' } } }));
    expect(badSecret.kind).toBe('auth');
    expect(badSecret.message).toBe("Secrets backend 'aws' failed: AWS refused access to the secret (InvalidSignatureException)");
    const unknownKey = await loadError(backend({ client: { credentials: { accessKeyId: 'AKIDUNKNOWN000000000', secretAccessKey: 'x' } } }));
    expect(unknownKey.message).toContain('UnrecognizedClientException');
    expect(stub.requests).toHaveLength(2);
  });

  it('reports a missing secret with the AWS error shape as not_found, without retrying', async () => {
    stub.deleteSecret(NAME);
    const err = await loadError(backend());
    expect(err.kind).toBe('not_found');
    expect(err.message).toBe(
      "Secrets backend 'aws' failed: the secret named by MFN_SECRETS_AWS_NAME does not exist (ResourceNotFoundException)",
    );
    expect(stub.requests).toHaveLength(1);
  });

  it('refuses a binary-only secret', async () => {
    stub.setSecretBinary(NAME, Buffer.from(KEY));
    const err = await loadError(backend());
    expect(err.kind).toBe('invalid');
    expect(err.message).toContain('binary secrets are not supported');
  });

  it('retries a 500 and succeeds', async () => {
    stub.failNext = [500];
    const b = backend();
    expect((await b.load()).get('MFN_API_KEY')).toBe(KEY);
    b.close();
    expect(stub.requests).toHaveLength(2);
  });

  it('gives up on a server that is down after bounded retries', async () => {
    const err = await loadError(backend({ endpoint: `http://127.0.0.1:${await closedPort()}` }));
    expect(err.kind).toBe('unreachable');
    expect(err.transient).toBe(true);
    expect(err.message).toContain('AWS Secrets Manager is unreachable');
  });

  it('times out a slow server on every attempt and stops after the retries', async () => {
    stub.delayMs = 1_500;
    const err = await loadError(backend({ timeoutMs: 200, retries: 1 }));
    expect(err.kind).toBe('timeout');
    expect(err.message).toBe("Secrets backend 'aws' failed: AWS Secrets Manager did not answer within 200 ms");
    await until('both attempts to reach the stub', () => stub.requests.length === 2);
  });

  describe('through the service', () => {
    let restoreEnv: () => void;
    beforeAll(() => {
      restoreEnv = overrideProcessEnv(stub.sdkEnvironment());
    });
    afterAll(() => restoreEnv());

    function appEnv(extra: Record<string, string> = {}): Record<string, string> {
      return {
        MFN_SECRETS_BACKEND: 'aws',
        MFN_SECRETS_AWS_NAME: NAME,
        MFN_SECRETS_AWS_REGION: stub.region,
        MFN_SECRETS_AWS_ENDPOINT: url,
        MFN_SECRETS_TIMEOUT_MS: '2000',
        ...extra,
      };
    }

    it('picks up a rotated secret on refresh and notifies listeners', async () => {
      const t = await createTestApp(appEnv({ MFN_SECRETS_REFRESH_S: '0' }));
      try {
        const secrets = t.app.get(SecretsService);
        expect(secrets.getSecret('MFN_API_KEY')).toBe(KEY);
        const changed = jest.fn();
        secrets.onChange(changed);
        stub.setSecretString(NAME, JSON.stringify({ MFN_API_KEY: ROTATED }));
        await expect(secrets.refresh()).resolves.toBe(true);
        expect(secrets.getSecret('MFN_API_KEY')).toBe(ROTATED);
        expect(secrets.getList('MFN_API_KEYS')).toEqual([]);
        expect(changed).toHaveBeenCalledTimes(1);
        expect(t.logs.text()).not.toContain(ROTATED);
        expect(t.logs.text()).not.toContain(KEY);
      } finally {
        await t.close();
      }
    });

    it('picks up rotation on the MFN_SECRETS_REFRESH_S timer and survives a failed refresh', async () => {
      const t = await createTestApp(appEnv({ MFN_SECRETS_REFRESH_S: '1', MFN_SECRETS_RETRIES: '0' }));
      try {
        const secrets = t.app.get(SecretsService);
        stub.failNext = [500, 500, 500];
        await until('a failed refresh', () => !secrets.lastRefreshOk);
        expect(secrets.getSecret('MFN_API_KEY')).toBe(KEY);
        stub.setSecretString(NAME, JSON.stringify({ MFN_API_KEY: ROTATED }));
        await until('the rotated key', () => secrets.getSecret('MFN_API_KEY') === ROTATED);
        expect(secrets.lastRefreshOk).toBe(true);
        const warning = t.logs.records().find((r) => r.message === 'secrets refresh failed: keeping the last good values');
        expect(warning).toMatchObject({ level: 'WARNING', backend: 'aws', kind: 'unreachable' });
      } finally {
        await t.close();
      }
    });
  });
});
