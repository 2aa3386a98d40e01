import pino from 'pino';
import type { RedisService } from '../redis/redis.service';
import { loadConfig } from '../config';
import type { MetricsService } from '../metrics/metrics.service';
import { PUBLIC_THROTTLER, TokenBucketStorage } from './token-bucket.storage';
import { createMetricsService } from '../../test/helpers/metrics';

/** Metrics are process-wide; one facade serves every case of this file. */
let metricsService: MetricsService;
beforeAll(async () => {
  metricsService = await createMetricsService();
});

function storage(env: Record<string, string>, redis: Partial<RedisService>) {
  const config = loadConfig({ MFN_RATE_LIMIT_ENABLED: 'true', ...env });
  return new TokenBucketStorage(config, redis as RedisService, metricsService, pino({ level: 'silent' }));
}

describe('TokenBucketStorage', () => {
  it('speaks the ThrottlerStorage contract: hits, block state and seconds until a token is back', async () => {
    const s = storage({}, { configured: false });
    await s.onApplicationBootstrap();
    expect(s.backend).toBe('memory');
    const first = await s.increment('c|/r', 60_000, 2);
    expect(first).toEqual({ totalHits: 1, timeToExpire: 30, isBlocked: false, timeToBlockExpire: 0 });
    expect((await s.increment('c|/r', 60_000, 2)).totalHits).toBe(2);
    const blocked = await s.increment('c|/r', 60_000, 2);
    expect(blocked.isBlocked).toBe(true);
    expect(blocked.totalHits).toBe(3);
    expect(blocked.timeToBlockExpire).toBeGreaterThanOrEqual(30);
    expect(blocked.timeToBlockExpire).toBeLessThanOrEqual(31);
  });

  it('answers in-process buckets synchronously', () => {
    const s = storage({}, { configured: false });
    const outcome = s.take('k', 5, 1_000);
    expect(outcome).not.toBeInstanceOf(Promise);
  });

  it('picks Redis when a Redis URL is configured (auto), memory when told so', async () => {
    const redis = { configured: true, ready: true, client: undefined, waitUntilReady: async () => true };
    const auto = storage({}, redis);
    await auto.onApplicationBootstrap();
    expect(auto.backend).toBe('redis');
    const memory = storage({ MFN_RATE_LIMIT_BACKEND: 'memory' }, redis);
    await memory.onApplicationBootstrap();
    expect(memory.backend).toBe('memory');
  });

  it('passes a cost through to the bucket and refuses a bad one before reaching any store', async () => {
    const s = storage({}, { configured: false });
    await s.onApplicationBootstrap();
    expect(s.take('work|k', 100, 60_000, false, 70)).toMatchObject({ allowed: true, remaining: 30 });
    expect(s.take('work|k', 100, 60_000, false, 70)).toMatchObject({ allowed: false, remaining: 30 });
    expect(() => s.take('work|k', 100, 60_000, false, 0)).toThrow(RangeError);
  });

  it('keeps the public throttler in process: it answers while a fail-closed Redis backend is down', async () => {
    const down = { configured: true, ready: false, client: undefined, waitUntilReady: async () => false };
    const s = storage({ MFN_RATE_LIMIT_FAIL_OPEN: 'false' }, down);
    await s.onApplicationBootstrap();
    expect(s.backend).toBe('redis');
    expect(await s.increment('ip:a|/health', 60_000, 2, 60_000, PUBLIC_THROTTLER)).toMatchObject({ totalHits: 1, isBlocked: false });
    await expect(s.increment('ip:a|/nernst', 60_000, 2, 60_000, 'default')).rejects.toMatchObject({ status: 503 });
  });
});
