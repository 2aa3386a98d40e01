import { Controller, ExecutionContext, Get, HttpException, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AuditService } from '../audit/audit.service';
import { AppException, MetricsRoute, Public, ROOT_LOGGER } from '../common';
import { AppConfig, loadConfig } from '../config';
import { MetricsService } from '../metrics/metrics.service';
import { parseSecretList } from '../secrets/secret-list';
import { SecretsService } from '../secrets/secrets.service';
import { ApiKeyGuard } from './api-key.guard';
import { API_KEY_CLOCK, ApiKeyService } from './api-key.service';
import type { Clock } from './key-expiry';
import { LOCKOUT_STORE } from './lockout/lockout-store';
import { LockoutService } from './lockout/lockout.service';
import { MemoryLockoutStore } from './lockout/memory-lockout.store';
import { principalOf } from './principal';
import { RequireRoles } from './require-roles.decorator';
import { Role } from './roles';
import { RolesGuard } from './roles.guard';
import { RouteAccessResolver } from './route-access';
import { jsonLogger } from '../../test/helpers/json-logger';
import { createMetricsService, registryValue } from '../../test/helpers/metrics';

/** Metrics are process-wide; one facade serves every case of this file. */
let metricsService: MetricsService;
beforeAll(async () => {
  metricsService = await createMetricsService();
});

const METRICS_KEY = 'm'.repeat(40);
const COMPUTE_KEY = 'c'.repeat(40);
const ADMIN_KEY = 'a'.repeat(40);

@Controller()
class ProbeController {
  @Get('scrape')
  @Public()
  @MetricsRoute()
  scrape(): string {
    return 'metrics';
  }

  @Get('health')
  @Public()
  health(): string {
    return 'ok';
  }

  @Get('compute')
  @RequireRoles(Role.COMPUTE)
  compute(): string {
    return 'computed';
  }

  @Get('plain')
  plain(): string {
    return 'plain';
  }
}

/** What Nest hands a guard for an HTTP request routed to `handler` of `controller`. */
function httpContext(args: [request: object, response: object], controller: Type<unknown>, handler: (...a: never[]) => unknown): ExecutionContext {
  const other = (): never => {
    throw new Error('not an HTTP context');
  };
  return {
    getClass: <T>() => controller as Type<T>,
    getHandler: () => handler,
    getArgs: <T extends unknown[]>() => args as unknown as T,
    // eslint-disable-next-line security/detect-object-injection -- integer index into the two-element argument tuple
    getArgByIndex: <T>(index: number) => args[index] as T,
    getType: <T extends string>() => 'http' as T,
    switchToHttp: () => ({ getRequest: <T>() => args[0] as T, getResponse: <T>() => args[1] as T, getNext: <T>() => undefined as T }),
    switchToRpc: other,
    switchToWs: other,
  };
}

/** The two guards and what they depend on, built by Nest; `options.clock` replaces the system clock. */
async function setup(env: Record<string, string>, options: { keys?: string; clock?: Clock } = {}) {
  const config = loadConfig({ MFN_ENV: 'prod', MFN_API_KEY: ADMIN_KEY, ...env });
  const { logger, logged } = jsonLogger();
  const values: Record<string, string> = {
    MFN_API_KEY: ADMIN_KEY,
    MFN_API_KEYS: options.keys ?? `scraper:${METRICS_KEY}:metrics,batch:${COMPUTE_KEY}:compute`,
  };
  // eslint-disable-next-line security/detect-object-injection -- test double: `n` is a secret name the guards under test ask for
  const secrets = { getSecret: (n: string) => values[n], getList: (n: string) => parseSecretList(n, values[n]), onChange: () => () => undefined };
  let builder = Test.createTestingModule({
    providers: [
      ApiKeyGuard,
      RolesGuard,
      ApiKeyService,
      RouteAccessResolver,
      AuditService,
      LockoutService,
      { provide: LOCKOUT_STORE, useValue: new MemoryLockoutStore() },
      { provide: API_KEY_CLOCK, useValue: Date.now },
      { provide: AppConfig, useValue: config },
      { provide: SecretsService, useValue: secrets },
      { provide: MetricsService, useValue: metricsService },
      { provide: ROOT_LOGGER, useValue: logger },
    ],
  });
  if (options.clock) builder = builder.overrideProvider(API_KEY_CLOCK).useValue(options.clock);
  const moduleRef = await builder.compile();
  moduleRef.get(ApiKeyService).onModuleInit();
  const guards = [moduleRef.get(ApiKeyGuard), moduleRef.get(RolesGuard)];

  /** Runs the two guards like Nest does for `handler`; returns the HTTP status reached and the refusal. */
  const run = (handler: keyof ProbeController, key?: string): { status: number; error?: AppException } => {
    const req = { headers: key ? { 'x-api-key': key } : {}, path: `/${handler}`, ip: '10.1.2.3', socket: {} };
    // eslint-disable-next-line security/detect-object-injection -- `handler` is a keyof ProbeController, the test's own controller
    const ctx = httpContext([req, {}], ProbeController, ProbeController.prototype[handler]);
    try {
      for (const g of guards) {
        // The in-memory lockout store answers synchronously: so does the guard.
        if (g.canActivate(ctx) instanceof Promise) throw new Error('unexpected promise');
      }
      return { status: principalOf(req as never) || handler === 'health' || handler === 'scrape' ? 200 : 500 };
    } catch (err) {
      return { status: (err as HttpException).getStatus(), error: err as AppException };
    }
  };
  const call = (handler: keyof ProbeController, key?: string): number => run(handler, key).status;
  return { call, run, logged };
}

const authFailures = (reason: string) => registryValue('mfn_auth_failures_total', { reason });

describe('ApiKeyGuard and RolesGuard', () => {
  it('public routes need no key; the scrape route too while metrics are outside auth', async () => {
    const { call } = await setup({});
    expect(call('health')).toBe(200);
    expect(call('scrape')).toBe(200);
    expect(call('plain')).toBe(401);
  });

  it('MFN_METRICS_INCLUDE_IN_AUTH=true puts the scrape route behind a key with the metrics (or admin) role', async () => {
    const { call, logged } = await setup({ MFN_METRICS_INCLUDE_IN_AUTH: 'true' });
    expect(call('scrape')).toBe(401);
    expect(call('scrape', METRICS_KEY)).toBe(200);
    expect(call('scrape', ADMIN_KEY)).toBe(200);
    expect(call('scrape', COMPUTE_KEY)).toBe(403);
    expect(call('health')).toBe(200);
    const denied = logged.find((r) => r.action === 'access_denied');
    expect(denied).toMatchObject({ user_id: 'batch', details: { required_roles: ['metrics'] } });
  });

  it('a route with RequireRoles needs one of its roles; a route without needs any valid key', async () => {
    const { call } = await setup({});
    expect(call('compute', COMPUTE_KEY)).toBe(200);
    expect(call('compute', ADMIN_KEY)).toBe(200);
    expect(call('compute', METRICS_KEY)).toBe(403);
    expect(call('plain', METRICS_KEY)).toBe(200);
    expect(call('plain', 'wrong')).toBe(401);
  });

  it('an expired key is refused exactly like a wrong one, with its own audit reason and metric label', async () => {
    const keys = JSON.stringify([{ key: COMPUTE_KEY, id: 'batch', expires: '2026-01-01T00:00:00Z' }]);
    let now = Date.parse('2025-12-31T23:59:59.999Z');
    const { run, logged } = await setup({}, { keys, clock: () => now });
    expect(run('plain', COMPUTE_KEY).status).toBe(200);

    now = Date.parse('2026-01-01T00:00:00Z');
    const before = await authFailures('expired_api_key');
    const expired = run('plain', COMPUTE_KEY);
    const wrong = run('plain', 'w'.repeat(40));
    expect(expired.status).toBe(401);
    expect(expired.error!.code).toBe('INVALID_API_KEY');
    expect([expired.error!.code, expired.error!.message, expired.error!.headers]).toEqual([
      wrong.error!.code,
      wrong.error!.message,
      wrong.error!.headers,
    ]);
    expect(await authFailures('expired_api_key')).toBe(before + 1);

    const failures = logged.filter((r) => r.action === 'authentication_failure');
    expect(failures.map((r) => (r.details as { reason: string }).reason)).toEqual(['expired_api_key', 'invalid_api_key']);
    expect(failures[0].user_id).toBeUndefined();
  });

  it('with authentication off every caller is the anonymous principal holding every role', async () => {
    const { call } = await setup({ MFN_API_KEY_REQUIRED: 'false', MFN_METRICS_INCLUDE_IN_AUTH: 'true' });
    expect(call('compute')).toBe(200);
    expect(call('scrape')).toBe(200);
    expect(call('plain')).toBe(200);
  });
});
