import { Test } from '@nestjs/testing';
import { Writable } from 'node:stream';
import pino from 'pino';
import { register } from 'prom-client';
import { ROOT_LOGGER } from '../common/logging/logging.constants';
import { AppConfig, loadConfig } from '../config';
import { ReadinessRegistry } from '../health/readiness.registry';
import { MetricsService } from '../metrics/metrics.service';
import { SECRETS_BACKEND } from './backends/secrets-backend';
import type { SecretsBackend } from './backends/secrets-backend';
import type { SecretMap } from './secret-files';
import { SecretFormatError, SecretNotFoundError, SecretsBackendError } from './secrets.errors';
import { SecretsModule } from './secrets.module';
import { SecretsService } from './secrets.service';
import { createMetricsService } from '../../test/helpers/metrics';

/** Metrics are process-wide; one facade serves every case of this file. */
let metricsService: MetricsService;
beforeAll(async () => {
  metricsService = await createMetricsService();
});

const ROTATED = 'rotated-key-0123456789abcdef0123456789';
const ORIGINAL = 'original-key-0123456789abcdef012345678';

/** A backend whose next answers the test scripts: a map, or an error to throw. */
class ScriptedBackend implements SecretsBackend {
  readonly answers: (SecretMap | Error)[] = [];
  loads = 0;
  closed = false;

  constructor(
    readonly name: 'env' | 'file' | 'aws' | 'vault',
    readonly mayBeEmpty = name === 'env',
  ) {}

  /** Queues the next answer. (Not `then`: Nest awaits a provider value that looks like a promise.) */
  answer(answer: Record<string, string> | Error): this {
    this.answers.push(answer instanceof Error ? answer : new Map(Object.entries(answer)));
    return this;
  }

  async load(): Promise<SecretMap> {
    this.loads++;
    const next = this.answers.length > 1 ? this.answers.shift()! : this.answers[0];
    if (next instanceof Error) throw next;
    return next;
  }

  close(): void {
    this.closed = true;
  }
}

/** The service as SecretsModule provides it, its backend replaced by `backend`. */
async function setup(backend: ScriptedBackend, env: Record<string, string> = {}) {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      cb();
    },
  });
  const logger = pino({ level: 'debug' }, sink);
  const config = loadConfig({ MFN_SECRETS_BACKEND: backend.name, ...env });
  const metrics = metricsService;
  const readiness = new ReadinessRegistry();
  // What the app's global modules give SecretsModule: configuration, logger, metrics.
  const appProviders = [
    { provide: AppConfig, useValue: config },
    { provide: ROOT_LOGGER, useValue: logger },
    { provide: MetricsService, useValue: metrics },
  ];
  const moduleRef = await Test.createTestingModule({
    imports: [SecretsModule, { module: class AppContext {}, global: true, providers: appProviders, exports: appProviders.map((p) => p.provide) }],
  })
    .overrideProvider(SECRETS_BACKEND)
    .useValue(backend)
    .overrideProvider(ReadinessRegistry)
    .useValue(readiness)
    .compile();
  const service = moduleRef.get(SecretsService);
  const logs = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { service, metrics, readiness, logs, text: () => lines.join('\n') };
}

async function refreshFailures(backend: string): Promise<number> {
  const metric = await register.getSingleMetric('mfn_secrets_refresh_failures_total')?.get();
  return metric?.values.find((v) => v.labels.backend === backend)?.value ?? 0;
}

const unreachable = () => new SecretsBackendError('vault', 'unreachable', 'Vault is unreachable (ECONNREFUSED)');

describe('SecretsService', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('serves loaded values, list values and required lookups', async () => {
    const { service } = await setup(new ScriptedBackend('vault').answer({ MFN_API_KEY: ORIGINAL, MFN_API_KEYS: 'a, b\nc' }));
    await service.onModuleInit();
    expect(service.loaded).toBe(true);
    expect(service.lastRefreshOk).toBe(true);
    expect(service.backendName).toBe('vault');
    expect(service.getSecret('MFN_API_KEY')).toBe(ORIGINAL);
    expect(service.getSecret('MFN_MASTER_KEY')).toBeUndefined();
    expect(service.getList('MFN_API_KEYS')).toEqual(['a', 'b', 'c']);
    expect(service.getList('MFN_MASTER_KEY')).toEqual([]);
    expect(() => service.getSecret('MFN_MASTER_KEY', { required: true })).toThrow(SecretNotFoundError);
    expect(() => service.getSecret('MFN_MASTER_KEY', { required: true })).toThrow(
      "Secret 'MFN_MASTER_KEY' is required but was not found (secrets backend: vault)",
    );
    service.onModuleDestroy();
  });

  it('raises a format error for a broken JSON list', async () => {
    const { service } = await setup(new ScriptedBackend('file').answer({ MFN_API_KEYS: '["a",' + ']]' }));
    await service.onModuleInit();
    expect(() => service.getList('MFN_API_KEYS')).toThrow(SecretFormatError);
    service.onModuleDestroy();
  });

  it.each(['prod', 'staging'])('stops start-up in %s when the backend is unreachable, with one line and no value', async (profile) => {
    const { service } = await setup(new ScriptedBackend('vault').answer(unreachable()), { MFN_ENV: profile, MFN_API_KEY_REQUIRED: 'false' });
    const err = await service.onModuleInit().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretsBackendError);
    expect((err as Error).message).toBe("Secrets backend 'vault' failed: Vault is unreachable (ECONNREFUSED)");
    service.onModuleDestroy();
  });

  it('starts without secrets in dev when the backend is unreachable, reports not ready and recovers on refresh', async () => {
    const backend = new ScriptedBackend('vault').answer(unreachable()).answer({ MFN_API_KEY: ORIGINAL });
    const { service, readiness, logs } = await setup(backend, { MFN_SECRETS_REFRESH_S: '0' });
    const before = await refreshFailures('vault');
    await service.onModuleInit();
    expect(service.loaded).toBe(false);
    expect(service.getSecret('MFN_API_KEY')).toBeUndefined();
    expect(await refreshFailures('vault')).toBe(before + 1);
    expect(logs().some((l) => l.level === 50 && String(l.msg).includes('starting without secrets'))).toBe(true);
    const [check] = readiness.all();
    expect(await check()).toEqual({ secrets: { status: 'down', backend: 'vault', state: 'not_loaded' } });

    const changed = jest.fn();
    service.onChange(changed);
    await expect(service.refresh()).resolves.toBe(true);
    expect(service.getSecret('MFN_API_KEY')).toBe(ORIGINAL);
    expect(changed).toHaveBeenCalledTimes(1);
    expect(await check()).toEqual({ secrets: { status: 'up', backend: 'vault', last_refresh_ok: true } });
    service.onModuleDestroy();
  });

  it.each([
    ['auth', new SecretsBackendError('vault', 'auth', 'Vault authentication failed (HTTP 403)')],
    ['config', new SecretsBackendError('vault', 'config', 'MFN_SECRETS_VAULT_URL must be set when using the vault secrets backend')],
    ['not_found', new SecretsBackendError('vault', 'not_found', 'no secret at secret/mfn/prod (HTTP 404)')],
  ])('stops start-up even in dev when the failure is %s', async (_kind, failure) => {
    const { service } = await setup(new ScriptedBackend('vault').answer(failure));
    await expect(service.onModuleInit()).rejects.toBe(failure);
    service.onModuleDestroy();
  });

  it('refuses an empty remote or mapping backend but accepts an empty env backend', async () => {
    const remote = await setup(new ScriptedBackend('aws').answer({}), { MFN_ENV: 'prod', MFN_API_KEY_REQUIRED: 'false' });
    await expect(remote.service.onModuleInit()).rejects.toThrow("Secrets backend 'aws' failed: the backend holds no secrets");
    remote.service.onModuleDestroy();
    const env = await setup(new ScriptedBackend('env').answer({}), { MFN_ENV: 'prod', MFN_API_KEY_REQUIRED: 'false' });
    await env.service.onModuleInit();
    expect(env.service.loaded).toBe(true);
    env.service.onModuleDestroy();
  });

  it('wraps unexpected errors into one safe line', async () => {
    const { service } = await setup(new ScriptedBackend('file').answer(new TypeError(`cannot read ${ORIGINAL}`)));
    const err = (await service.onModuleInit().catch((e: unknown) => e)) as Error;
    expect(err.message).toBe("Secrets backend 'file' failed: unexpected error while loading secrets (TypeError)");
    service.onModuleDestroy();
  });

  it('keeps the last good values when a refresh fails, warns and counts it', async () => {
    const backend = new ScriptedBackend('aws').answer({ MFN_API_KEY: ORIGINAL }).answer(new SecretsBackendError('aws', 'timeout', 'AWS Secrets Manager did not answer within 100 ms'));
    const { service, logs, text, readiness } = await setup(backend, { MFN_SECRETS_REFRESH_S: '0' });
    await service.onModuleInit();
    const before = await refreshFailures('aws');
    const changed = jest.fn();
    service.onChange(changed);
    await expect(service.refresh()).resolves.toBe(false);
    expect(service.getSecret('MFN_API_KEY')).toBe(ORIGINAL);
    expect(service.lastRefreshOk).toBe(false);
    expect(changed).not.toHaveBeenCalled();
    expect(await refreshFailures('aws')).toBe(before + 1);
    const warning = logs().find((l) => l.level === 40 && String(l.msg).includes('keeping the last good values'));
    expect(warning).toMatchObject({ backend: 'aws', kind: 'timeout' });
    expect(text()).not.toContain(ORIGINAL);
    const [check] = readiness.all();
    expect(await check()).toEqual({ secrets: { status: 'up', backend: 'aws', last_refresh_ok: false } });
    service.onModuleDestroy();
  });

  it('notifies listeners only when a refresh changed something, and logs names, not values', async () => {
    const backend = new ScriptedBackend('vault').answer({ MFN_API_KEY: ORIGINAL }).answer({ MFN_API_KEY: ORIGINAL }).answer({ MFN_API_KEY: ROTATED });
    const { service, logs, text } = await setup(backend, { MFN_SECRETS_REFRESH_S: '0' });
    await service.onModuleInit();
    const changed = jest.fn();
    const unsubscribe = service.onChange(changed);
    service.onChange(() => {
      throw new Error('listener bug');
    });
    await service.refresh();
    expect(changed).not.toHaveBeenCalled();
    await service.refresh();
    expect(changed).toHaveBeenCalledTimes(1);
    expect(service.getSecret('MFN_API_KEY')).toBe(ROTATED);
    expect(logs().find((l) => l.msg === 'secrets changed on refresh')).toMatchObject({ changed: ['MFN_API_KEY'], changed_count: 1 });
    expect(logs().some((l) => l.msg === 'secrets change listener failed')).toBe(true);
    expect(text()).not.toContain(ORIGINAL);
    expect(text()).not.toContain(ROTATED);
    unsubscribe();
    service.onModuleDestroy();
  });

  it('shares one load between concurrent refreshes', async () => {
    const backend = new ScriptedBackend('file').answer({ MFN_API_KEY: ORIGINAL });
    const { service } = await setup(backend, { MFN_SECRETS_REFRESH_S: '0' });
    await service.onModuleInit();
    const loads = backend.loads;
    await Promise.all([service.refresh(), service.refresh(), service.refresh()]);
    expect(backend.loads).toBe(loads + 1);
    service.onModuleDestroy();
  });

  it('refreshes on the MFN_SECRETS_REFRESH_S schedule and stops on destroy', async () => {
    jest.useFakeTimers();
    const backend = new ScriptedBackend('vault').answer({ MFN_API_KEY: ORIGINAL }).answer({ MFN_API_KEY: ROTATED });
    const { service } = await setup(backend, { MFN_SECRETS_REFRESH_S: '60' });
    await service.onModuleInit();
    expect(backend.loads).toBe(1);
    await jest.advanceTimersByTimeAsync(59_000);
    expect(backend.loads).toBe(1);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(backend.loads).toBe(2);
    expect(service.getSecret('MFN_API_KEY')).toBe(ROTATED);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(backend.loads).toBe(3);
    service.onModuleDestroy();
    expect(backend.closed).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(600_000);
    expect(backend.loads).toBe(3);
  });

  it('never refreshes with MFN_SECRETS_REFRESH_S=0 once loaded', async () => {
    jest.useFakeTimers();
    const backend = new ScriptedBackend('vault').answer({ MFN_API_KEY: ORIGINAL });
    const { service } = await setup(backend, { MFN_SECRETS_REFRESH_S: '0' });
    await service.onModuleInit();
    expect(jest.getTimerCount()).toBe(0);
    service.onModuleDestroy();
  });

  it('refuses disabled TLS verification for a remote backend in prod', async () => {
    const { service } = await setup(new ScriptedBackend('vault').answer({ MFN_API_KEY: ORIGINAL }), {
      MFN_ENV: 'prod',
      MFN_API_KEY_REQUIRED: 'false',
      NODE_TLS_REJECT_UNAUTHORIZED: '0',
    });
    await expect(service.onModuleInit()).rejects.toThrow('TLS certificate verification is disabled');
    service.onModuleDestroy();
  });

  it('warns that env secrets are ignored by a non-env backend, naming variables only', async () => {
    const { service, logs, text } = await setup(new ScriptedBackend('file').answer({ MFN_API_KEY: ORIGINAL }), {
      MFN_API_KEY: ROTATED,
      MFN_MASTER_KEY_FILE: '/somewhere/master',
    });
    await service.onModuleInit();
    expect(logs().find((l) => Array.isArray(l.variables))).toMatchObject({ variables: ['MFN_API_KEY', 'MFN_MASTER_KEY_FILE'] });
    expect(service.getSecret('MFN_API_KEY')).toBe(ORIGINAL);
    expect(text()).not.toContain(ROTATED);
    expect(text()).not.toContain('/somewhere');
    service.onModuleDestroy();
  });
});
