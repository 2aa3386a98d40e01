import { HttpStatus } from '@nestjs/common';
import pino from 'pino';
import { AuditService } from '../audit/audit.service';
import { AppException, ErrorCode } from '../common';
import { loadConfig } from '../config';
import type { MetricsService } from '../metrics/metrics.service';
import type { RedisService } from '../redis/redis.service';
import { TokenBucketStorage } from '../throttling/token-bucket.storage';
import { jsonLogger } from '../../test/helpers/json-logger';
import { createMetricsService } from '../../test/helpers/metrics';
import { ComputeWorkBudget, type WorkCharge } from './compute-work-budget';

/** Metrics are process-wide; one facade serves every case of this file. */
let metricsService: MetricsService;
beforeAll(async () => {
  metricsService = await createMetricsService();
});

async function budget(env: Record<string, string>) {
  const config = loadConfig({ MFN_RATE_LIMIT_ENABLED: 'true', MFN_COMPUTE_WORK_LIMIT: '10', MFN_RATE_LIMIT_WINDOW: '60', ...env });
  const buckets = new TokenBucketStorage(config, { configured: false } as RedisService, metricsService, pino({ level: 'silent' }));
  await buckets.onApplicationBootstrap();
  const { logger, logged: lines } = jsonLogger();
  return { budget: new ComputeWorkBudget(config, buckets, new AuditService(logger, metricsService, config), metricsService), lines };
}

const charge = (cost: number, what: WorkCharge['what'] = 'request', tracker = 'key:alpha'): WorkCharge => ({
  caller: { tracker, keyId: 'alpha', clientIp: '10.1.2.3' },
  cost,
  what,
  route: what === 'job' ? '/jobs/simulate' : '/simulate',
  resource: what === 'job' ? '/jobs/simulate' : '/simulate',
  requestId: 'req-1',
});

async function refusal(p: Promise<void>): Promise<AppException> {
  const err: unknown = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof AppException)) throw new Error('expected an AppException');
  return err;
}

describe('ComputeWorkBudget', () => {
  it('spends each caller\'s units from a bucket of its own and refuses the charge that does not fit with 429', async () => {
    const { budget: b, lines } = await budget({});
    await b.charge(charge(6));
    await b.charge(charge(4));
    await b.charge(charge(10, 'request', 'key:beta'));
    const err = await refusal(b.charge(charge(3, 'job')));
    expect(err.getStatus()).toBe(HttpStatus.TOO_MANY_REQUESTS);
    expect(err.code).toBe(ErrorCode.RATE_LIMIT_EXCEEDED);
    expect(err.message).toMatch(/this job costs 3 work units, 0 of 10 per 60 s are left/);
    expect(err.retryAfter).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setImmediate(r));
    const audited = lines.find((l) => l.action === 'rate_limit_exceeded');
    expect(audited).toMatchObject({ user_id: 'alpha', resource: '/jobs/simulate', request_id: 'req-1' });
    expect(audited?.details).toMatchObject({ reason: 'work_budget', route: '/jobs/simulate', cost: 3, limit: 10, window_seconds: 60 });
  });

  it('refuses a cost above the whole budget with 400 and spends nothing', async () => {
    const { budget: b } = await budget({});
    expect(() => b.assertFits(11, 'request')).toThrow(/This request costs 11 compute work units, more than the 10/);
    const err = await refusal(b.charge(charge(11, 'job')));
    expect(err.getStatus()).toBe(HttpStatus.BAD_REQUEST);
    expect(err.message).toMatch(/^This job costs 11/);
    await b.charge(charge(10));
  });

  it('charges nothing with rate limiting off', async () => {
    const { budget: b } = await budget({ MFN_RATE_LIMIT_ENABLED: 'false' });
    expect(b.enabled).toBe(false);
    b.assertFits(1_000, 'request');
    for (let i = 0; i < 5; i++) await b.charge(charge(10));
  });
});
