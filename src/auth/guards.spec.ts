import { Controller, Get, HttpException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import pino from 'pino';
import { Writable } from 'node:stream';
import { AuditService } from '../audit/audit.service';
import { MetricsRoute, Public } from '../common';
import { loadConfig } from '../config';
import { MetricsService } from '../metrics/metrics.service';
import type { SecretsService } from '../secrets/secrets.service';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeyService } from './api-key.service';
import { LockoutService } from './lockout/lockout.service';
import { MemoryLockoutStore } from './lockout/memory-lockout.store';
import { principalOf } from './principal';
import { RequireRoles } from './require-roles.decorator';
import { Role } from './roles';
import { RolesGuard } from './roles.guard';
import { RouteAccessResolver } from './route-access';

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

function setup(env: Record<string, string>) {
  const config = loadConfig({ MFN_ENV: 'prod', MFN_API_KEY: ADMIN_KEY, ...env });
  const lines: string[] = [];
  const logger = pino(
    {},
    new Writable({
      write(chunk: Buffer, _e, cb) {
        lines.push(chunk.toString());
        cb();
      },
    }),
  );
  const values: Record<string, string> = {
    MFN_API_KEY: ADMIN_KEY,
    MFN_API_KEYS: `scraper:${METRICS_KEY}:metrics,batch:${COMPUTE_KEY}:compute`,
  };
  const secrets = { getSecret: (n: string) => values[n], getList: (n: string) => (values[n] ?? '').split(','), onChange: () => () => undefined };
  const keys = new ApiKeyService(config, secrets as unknown as SecretsService, logger);
  keys.onModuleInit();
  const access = new RouteAccessResolver(new Reflector(), config);
  const audit = new AuditService(logger);
  const metrics = new MetricsService();
  const lockout = new LockoutService(config, new MemoryLockoutStore(), audit, metrics);
  const guards = [new ApiKeyGuard(config, keys, access, audit, metrics, lockout), new RolesGuard(access, audit, metrics)];

  /** Runs the two guards like Nest does for `handler` and returns the HTTP status reached. */
  const call = (handler: keyof ProbeController, key?: string): number => {
    const req = { headers: key ? { 'x-api-key': key } : {}, path: `/${handler}`, ip: '10.1.2.3', socket: {} };
    const ctx = new ExecutionContextHost([req, {}], ProbeController, ProbeController.prototype[handler]);
    try {
      for (const g of guards) {
        // The in-memory lockout store answers synchronously: so does the guard.
        if (g.canActivate(ctx) instanceof Promise) throw new Error('unexpected promise');
      }
      return principalOf(req as never) || handler === 'health' || handler === 'scrape' ? 200 : 500;
    } catch (err) {
      return (err as HttpException).getStatus();
    }
  };
  return { call, lines };
}

describe('ApiKeyGuard and RolesGuard', () => {
  it('public routes need no key; the scrape route too while metrics are outside auth', () => {
    const { call } = setup({});
    expect(call('health')).toBe(200);
    expect(call('scrape')).toBe(200);
    expect(call('plain')).toBe(401);
  });

  it('MFN_METRICS_INCLUDE_IN_AUTH=true puts the scrape route behind a key with the metrics (or admin) role', () => {
    const { call, lines } = setup({ MFN_METRICS_INCLUDE_IN_AUTH: 'true' });
    expect(call('scrape')).toBe(401);
    expect(call('scrape', METRICS_KEY)).toBe(200);
    expect(call('scrape', ADMIN_KEY)).toBe(200);
    expect(call('scrape', COMPUTE_KEY)).toBe(403);
    expect(call('health')).toBe(200);
    const denied = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((r) => r.action === 'access_denied');
    expect(denied).toMatchObject({ user_id: 'batc*', details: { required_roles: ['metrics'] } });
  });

  it('a route with RequireRoles needs one of its roles; a route without needs any valid key', () => {
    const { call } = setup({});
    expect(call('compute', COMPUTE_KEY)).toBe(200);
    expect(call('compute', ADMIN_KEY)).toBe(200);
    expect(call('compute', METRICS_KEY)).toBe(403);
    expect(call('plain', METRICS_KEY)).toBe(200);
    expect(call('plain', 'wrong')).toBe(401);
  });

  it('with authentication off every caller is the anonymous principal holding every role', () => {
    const { call } = setup({ MFN_API_KEY_REQUIRED: 'false', MFN_METRICS_INCLUDE_IN_AUTH: 'true' });
    expect(call('compute')).toBe(200);
    expect(call('scrape')).toBe(200);
    expect(call('plain')).toBe(200);
  });
});
