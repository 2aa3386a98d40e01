import { Global, HttpException, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Request } from 'express';
import pino from 'pino';
import { Writable } from 'node:stream';
import { AuditService } from '../../audit/audit.service';
import { AppException, ErrorCode, ROOT_LOGGER } from '../../common';
import { AppConfig, loadConfig } from '../../config';
import { METRIC_PROVIDERS } from '../../metrics/metric.providers';
import { MetricsService } from '../../metrics/metrics.service';
import { LOCKOUT_STORE } from './lockout-store';
import { LockoutModule } from './lockout.module';
import { LOCKED_OUT_MESSAGE, lockoutAddressOf, LockoutService, UNKNOWN_ADDRESS } from './lockout.service';
import { MemoryLockoutStore } from './memory-lockout.store';

const ENV = { MFN_AUTH_LOCKOUT_FAILURES: '3', MFN_AUTH_LOCKOUT_WINDOW_S: '10', MFN_AUTH_LOCKOUT_S: '60' };

/** A request as the guards see it: the address comes from the socket (no proxy headers trusted). */
function requestFrom(ip: string): Request {
  return { headers: {}, path: '/nernst', socket: { remoteAddress: ip }, app: { get: () => false } } as unknown as Request;
}

/**
 * The real LockoutModule with its store replaced through overrideProvider by a memory store on a
 * controlled clock, so lock expiry is tested without waiting.
 */
async function setup(env: Record<string, string> = {}) {
  const config = loadConfig({ MFN_API_KEY_REQUIRED: 'true', MFN_API_KEY: 'k'.repeat(40), ...ENV, ...env });
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
  @Global()
  @Module({
    providers: [{ provide: AppConfig, useValue: config }, { provide: ROOT_LOGGER, useValue: logger }, AuditService, ...METRIC_PROVIDERS, MetricsService],
    exports: [AppConfig, ROOT_LOGGER, AuditService, MetricsService],
  })
  class Basics {}

  let now = 0;
  const store = new MemoryLockoutStore(undefined, () => now);
  const moduleRef = await Test.createTestingModule({ imports: [Basics, LockoutModule] })
    .overrideProvider(LOCKOUT_STORE)
    .useValue(store)
    .compile();
  const lockout = moduleRef.get(LockoutService);
  const unauthorized = () => new AppException(ErrorCode.INVALID_API_KEY, 'Invalid or missing API key', 401);

  /** The status the guard would answer: the lock first, then the (always wrong) credential. */
  const attempt = (ip: string): number => {
    const req = requestFrom(ip);
    try {
      lockout.whenUnlocked(req, () => lockout.failed(req, unauthorized()));
    } catch (err) {
      return (err as HttpException).getStatus();
    }
    throw new Error('expected a refusal');
  };
  const events = () =>
    lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((r) => r.action === 'suspicious_activity');
  return { lockout, attempt, events, advance: (ms: number) => (now += ms), lockouts: () => lockoutsTotal(moduleRef.get(MetricsService)) };
}

async function lockoutsTotal(metrics: MetricsService): Promise<number> {
  return (await metrics.authLockouts.get()).values[0]?.value ?? 0;
}

describe('LockoutService', () => {
  it('answers 401 up to and including the failure that reaches the threshold, then 429 for the lock', async () => {
    const { attempt, events, lockouts } = await setup();
    const before = await lockouts();
    expect([attempt('10.0.0.1'), attempt('10.0.0.1'), attempt('10.0.0.1')]).toEqual([401, 401, 401]);
    expect(attempt('10.0.0.1')).toBe(429);
    expect(attempt('10.0.0.1')).toBe(429);
    expect(attempt('10.0.0.2')).toBe(401);
    expect(events()).toHaveLength(1);
    expect(events()[0]).toMatchObject({
      severity: 'ERROR',
      category: 'security',
      success: false,
      details: { activity_type: 'brute_force', failures: 3, lockout_seconds: 60 },
    });
    expect((await lockouts()) - before).toBe(1);
  });

  it('refuses a locked address before the credential is looked at, with the seconds left', async () => {
    const { lockout, attempt, advance } = await setup();
    for (let i = 0; i < 3; i++) attempt('10.0.0.1');
    let looked = false;
    const refusal = (): AppException => {
      try {
        lockout.whenUnlocked(requestFrom('10.0.0.1'), () => (looked = true));
      } catch (err) {
        return err as AppException;
      }
      throw new Error('expected a refusal');
    };
    const first = refusal();
    expect(first).toMatchObject({ code: ErrorCode.RATE_LIMIT_EXCEEDED, retryAfter: 60, message: LOCKED_OUT_MESSAGE });
    expect(first.getStatus()).toBe(429);
    advance(45_500);
    expect(refusal().retryAfter).toBe(15);
    advance(14_499);
    expect(refusal().retryAfter).toBe(1);
    expect(looked).toBe(false);
    advance(1);
    expect(lockout.whenUnlocked(requestFrom('10.0.0.1'), () => (looked = true))).toBe(true);
  });

  it('lets failures spread beyond the window pass, and locks again after a lock ends', async () => {
    const { attempt, advance, events } = await setup();
    attempt('10.0.0.1');
    attempt('10.0.0.1');
    advance(10_000);
    expect(attempt('10.0.0.1')).toBe(401);
    expect(attempt('10.0.0.1')).toBe(401);
    expect(attempt('10.0.0.1')).toBe(401);
    expect(attempt('10.0.0.1')).toBe(429);
    advance(60_000);
    expect([attempt('10.0.0.1'), attempt('10.0.0.1'), attempt('10.0.0.1'), attempt('10.0.0.1')]).toEqual([401, 401, 401, 429]);
    expect(events()).toHaveLength(2);
  });

  it('groups IPv6 clients by /64 and IPv4-mapped clients with their IPv4 address', async () => {
    const { attempt } = await setup();
    attempt('2001:db8:1:2::1');
    attempt('2001:db8:1:2:aaaa::2');
    attempt('2001:db8:1:2:ffff:ffff:ffff:ffff');
    expect(attempt('2001:db8:1:2::99')).toBe(429);
    expect(attempt('2001:db8:1:3::1')).toBe(401);

    attempt('::ffff:192.0.2.1');
    attempt('192.0.2.1');
    attempt('::ffff:c000:201');
    expect(attempt('192.0.2.1')).toBe(429);
  });

  it('keys unreadable addresses under one shared identity', () => {
    expect(lockoutAddressOf(requestFrom(''))).toBe(UNKNOWN_ADDRESS);
    expect(lockoutAddressOf(requestFrom('{not-an-address}'))).toBe(UNKNOWN_ADDRESS);
    expect(lockoutAddressOf(requestFrom('2001:db8::1'))).toBe('2001:db8::/64');
    expect(lockoutAddressOf(requestFrom('::ffff:10.0.0.1'))).toBe('10.0.0.1');
  });

  it('with MFN_AUTH_LOCKOUT_ENABLED=false never locks and never counts', async () => {
    const { attempt, events } = await setup({ MFN_AUTH_LOCKOUT_ENABLED: 'false' });
    for (let i = 0; i < 10; i++) expect(attempt('10.0.0.1')).toBe(401);
    expect(events()).toHaveLength(0);
  });
});
