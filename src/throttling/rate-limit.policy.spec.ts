import { loadConfig } from '../config';
import { RateLimitPolicy } from './rate-limit.policy';

const policy = (env: Record<string, string> = {}) => new RateLimitPolicy(loadConfig(env));

describe('RateLimitPolicy', () => {
  it('uses the seed table per minute and the default for everything else', () => {
    const p = policy();
    expect(p.limitFor('/health')).toBe(1000);
    expect(p.limitFor('/health/ready')).toBe(1000);
    expect(p.limitFor('/nernst')).toBe(200);
    expect(p.limitFor('/simulate')).toBe(50);
    expect(p.limitFor('/validate')).toBe(50);
    expect(p.limitFor('/federated/aggregate')).toBe(50);
    // Submitting a job costs what the synchronous call costs; reading one is the default.
    expect(p.limitFor('/jobs/simulate')).toBe(50);
    expect(p.limitFor('/jobs/:id')).toBe(100);
    expect(p.limitFor('/api/encrypt')).toBe(100);
    expect(p.limitFor('/metrics')).toBe(100);
    expect(p.limitFor('unmatched')).toBe(100);
    expect(p.windowMs).toBe(60_000);
  });

  it('matches whole path segments, not string prefixes', () => {
    const p = policy();
    expect(p.limitFor('/healthz')).toBe(100);
    expect(p.limitFor('/nernstx')).toBe(100);
  });

  it('follows MFN_RATE_LIMIT_REQUESTS for the default', () => {
    expect(policy({ MFN_RATE_LIMIT_REQUESTS: '7' }).limitFor('/api/sign')).toBe(7);
  });

  it('scales the fixed per-minute limits to the window', () => {
    const p = policy({ MFN_RATE_LIMIT_WINDOW: '30' });
    expect(p.limitFor('/nernst')).toBe(100);
    expect(p.limitFor('/health')).toBe(500);
    expect(p.limitFor('/api/sign')).toBe(100); // the default is per window already
    expect(policy({ MFN_RATE_LIMIT_WINDOW: '1' }).limitFor('/simulate')).toBe(1);
    expect(policy({ MFN_RATE_LIMIT_WINDOW: '120' }).limitFor('/nernst')).toBe(400);
  });

  it('applies MFN_RATE_LIMIT_ROUTES per window, longest prefix first', () => {
    const p = policy({ MFN_RATE_LIMIT_ROUTES: '/nernst=1000,/simulate=20,/api=30,/api/sign=5', MFN_RATE_LIMIT_WINDOW: '10' });
    expect(p.limitFor('/nernst')).toBe(1000);
    expect(p.limitFor('/simulate')).toBe(20);
    expect(p.limitFor('/api/encrypt')).toBe(30);
    expect(p.limitFor('/api/sign')).toBe(5);
    expect(p.limitFor('/api/keys/:key_id/rotate')).toBe(30);
    expect(p.limitFor('/validate')).toBe(Math.round((50 * 10) / 60));
  });

  it('gives requests without a valid key one limit, the smallest route limit apart from the probes', () => {
    expect(policy({}).unauthenticatedLimit).toBe(50);
    expect(policy({ MFN_RATE_LIMIT_ROUTES: '/nernst=3,/health=1' }).unauthenticatedLimit).toBe(3);
    expect(policy({ MFN_RATE_LIMIT_REQUESTS: '20' }).unauthenticatedLimit).toBe(20);
    // An overridden built-in limit counts with its override.
    const raised = policy({ MFN_RATE_LIMIT_REQUESTS: '900', MFN_RATE_LIMIT_ROUTES: '/nernst=1000,/simulate=1000,/validate=1000,/federated/aggregate=1000,/jobs=1000' });
    expect(raised.unauthenticatedLimit).toBe(900);
  });
});
