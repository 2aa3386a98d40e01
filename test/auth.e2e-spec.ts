import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import request from 'supertest';
import { fingerprintOf } from '../src/auth/api-key-entries';
import { createTestApp, LogCapture, TEST_MASTER_KEY, TestApp } from './helpers/test-app';
import { registryValue } from './helpers/metrics';
import { rawBytes, rawRequest } from './helpers/raw-http';

jest.setTimeout(60_000);

const newKey = () => randomBytes(32).toString('base64url');
const ADMIN_KEY = newKey();
const ROTATED_KEY = newKey();
const COMPUTE_KEY = newKey();
const CRYPTO_KEY = newKey();
/** Body of POST /nernst, the protected route of these cases; it requires the compute role (SimulationController). */
const NERNST = { concentration_out_molar: 0.005, concentration_in_molar: 0.14 };

function audits(logs: LogCapture, action?: string): Record<string, unknown>[] {
  return logs.records().filter((r) => r.audit_event === true && (action === undefined || r.action === action));
}

function expectEnvelope(body: Record<string, unknown> | undefined, code: string, requestId: unknown): void {
  expect(body).toMatchObject({ error_code: code, request_id: requestId });
  expect(typeof body?.message).toBe('string');
  expect(body?.detail).toBe(body?.message);
  expect(body?.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
}

describe('API-key authentication (prod profile)', () => {
  let t: TestApp;
  let server: Server;

  beforeAll(async () => {
    t = await createTestApp({
      MFN_ENV: 'prod', MFN_MASTER_KEY: TEST_MASTER_KEY,
      MFN_API_KEY: ADMIN_KEY,
      MFN_API_KEYS: [ROTATED_KEY, `batch:${COMPUTE_KEY}:compute`, `signer:${CRYPTO_KEY}:crypto+keys`].join(','),
      MFN_RATE_LIMIT_REQUESTS: '100000',
      MFN_RATE_LIMIT_ROUTES: '/nernst=100000',
      // Dozens of failed authentications from one address on purpose; the lockout has its own
      // suite (auth-lockout.e2e-spec.ts).
      MFN_AUTH_LOCKOUT_ENABLED: 'false',
    });
    server = t.server as Server;
  });
  afterAll(async () => t.close());

  it('answers 401 AUTHENTICATION_REQUIRED without a key, with WWW-Authenticate and the envelope', async () => {
    const res = await request(server).post('/nernst').send(NERNST);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('API-Key header="X-API-Key"');
    expectEnvelope(res.body, 'AUTHENTICATION_REQUIRED', res.headers['x-request-id']);
    expect(res.body.detail).toBe('Invalid or missing API key');
    // Refusals carry the same protective headers as every API response.
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none';frame-ancestors 'none'",
    });
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('answers 401 INVALID_API_KEY for a wrong key', async () => {
    const res = await request(server).post('/nernst').set('X-API-Key', newKey()).send(NERNST);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('API-Key header="X-API-Key"');
    expectEnvelope(res.body, 'INVALID_API_KEY', res.headers['x-request-id']);
  });

  it('serves the request for every configured key (several keys allow rotation)', async () => {
    for (const key of [ADMIN_KEY, ROTATED_KEY, COMPUTE_KEY]) {
      const res = await request(server).post('/nernst').set('X-API-Key', key).send(NERNST);
      expect(res.status).toBe(200);
      expect(res.body.potential_mV).toBeCloseTo(-89.01066911987907, 10);
    }
  });

  it('rejects a key that differs only in case, by a prefix or by a suffix', async () => {
    for (const key of [ADMIN_KEY.toUpperCase(), ADMIN_KEY.slice(0, -1), `${ADMIN_KEY}x`, ` ${ADMIN_KEY}x `]) {
      const res = await request(server).post('/nernst').set('X-API-Key', key).send(NERNST);
      expect(res.status).toBe(401);
      expect(res.body.error_code).toBe('INVALID_API_KEY');
    }
  });

  it('answers 401 (not 500) for non-ASCII keys, sent as UTF-8 or Latin-1 bytes', async () => {
    const body = JSON.stringify(NERNST);
    for (const key of ['ключ-доступа', 'caf\u00e9-key', `${ADMIN_KEY}\u00e9`]) {
      for (const encoding of ['utf8', 'latin1'] as const) {
        const head =
          `POST /nernst HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\nX-API-Key: `;
        const bytes = Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(key, encoding), Buffer.from(`\r\n\r\n${body}`, 'latin1')]);
        const res = await rawBytes(server, bytes);
        expect(res.status).toBe(401);
        expect(res.body?.error_code).toBe('INVALID_API_KEY');
        expect(res.body?.request_id).toBe(res.headers['x-request-id']);
      }
    }
  });

  it('answers 401 for an over-long key', async () => {
    const res = await request(server).post('/nernst').set('X-API-Key', 'k'.repeat(300)).send(NERNST);
    expect(res.status).toBe(401);
    expect(res.body.error_code).toBe('INVALID_API_KEY');
  });

  describe('no bypass: no spelling, method or path trick reaches a protected handler without a key', () => {
    const body = JSON.stringify(NERNST);
    const json = { 'content-type': 'application/json' };
    const cases: [string, string][] = [
      ['POST', '/NERNST'],
      ['POST', '/Nernst'],
      ['POST', '/nernst/'],
      ['POST', '//nernst'],
      ['POST', '/nernst//'],
      ['POST', '/%6eernst'],
      ['POST', '/%6Eernst'],
      ['POST', '/nernst%2F'],
      ['POST', '/./nernst'],
      ['POST', '/health/../nernst'],
      ['POST', '/health/%2e%2e/nernst'],
      ['POST', '/nernst?x=1'],
      ['POST', '/nernst?api_key=1'],
      ['POST', '/nernst;jsessionid=1'],
      ['HEAD', '/nernst'],
      ['GET', '/nernst'],
      ['PUT', '/nernst'],
      ['PATCH', '/nernst'],
      ['DELETE', '/nernst'],
      ['OPTIONS', '/nernst'],
      ['PURGE', '/nernst'],
      ['PROPFIND', '/nernst'],
      ['POST', '/healthz'],
      ['GET', '/healthcare'],
      ['GET', '/health.json'],
      ['GET', '/metricsx'],
      ['GET', '/docs'],
      ['GET', '/openapi.json'],
      ['GET', '/redoc'],
      ['POST', '/unknown/path'],
    ];
    it.each(cases)('%s %s → 401', async (method, path) => {
      const res = await rawRequest(server, method, path, method === 'POST' ? json : {}, method === 'POST' ? body : undefined);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('API-Key header="X-API-Key"');
      expect(res.headers['x-request-id']).toBeDefined();
      if (method !== 'HEAD') expect(res.body?.error_code).toBe('AUTHENTICATION_REQUIRED');
      expect(res.text).not.toContain('potential_mV');
    });
  });

  it('lets the public probes through without a key, however they are spelled', async () => {
    for (const path of ['/health', '/health/', '/HEALTH', '/health?probe=1', '/health/ready']) {
      const res = await rawRequest(server, 'GET', path);
      expect(res.status).toBe(200);
    }
    expect((await rawRequest(server, 'HEAD', '/health')).status).toBe(200);
  });

  it('unknown paths: 401 first without a key, 404 with one; a wrong method is 405 with Allow', async () => {
    expect((await request(server).get('/no/such/thing')).status).toBe(401);
    const notFound = await request(server).get('/no/such/thing').set('X-API-Key', ADMIN_KEY);
    expect(notFound.status).toBe(404);
    expect(notFound.body.error_code).toBe('NOT_FOUND');
    const wrongMethod = await request(server).get('/nernst').set('X-API-Key', ADMIN_KEY);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe('POST');
  });

  it('answers a CORS preflight without a key (prod: no CORS headers at all)', async () => {
    const res = await rawRequest(server, 'OPTIONS', '/nernst', {
      Origin: 'https://app.example.com',
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'x-api-key,content-type',
    });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['x-request-id']).toBeDefined();
  });

  describe('roles', () => {
    it('serves a key holding the route role, or admin, or a bare key (all roles)', async () => {
      for (const key of [COMPUTE_KEY, ADMIN_KEY, ROTATED_KEY]) {
        expect((await request(server).post('/nernst').set('X-API-Key', key).send(NERNST)).status).toBe(200);
      }
    });

    it('refuses a valid key without the role: 403 FORBIDDEN and an access_denied event', async () => {
      const res = await request(server).post('/nernst').set('X-API-Key', CRYPTO_KEY).send(NERNST);
      expect(res.status).toBe(403);
      expectEnvelope(res.body, 'FORBIDDEN', res.headers['x-request-id']);
      const denied = audits(t.logs, 'access_denied').find((r) => r.request_id === res.headers['x-request-id']);
      expect(denied).toMatchObject({
        category: 'authorization',
        severity: 'WARNING',
        level: 'WARNING',
        success: false,
        user_id: 'signer',
        resource: '/nernst',
        details: { reason: 'insufficient_permissions', required_roles: ['compute'] },
      });
    });
  });

  describe('audit events', () => {
    it('authentication_success and access_granted for a served request', async () => {
      const res = await request(server).post('/nernst').set('X-API-Key', COMPUTE_KEY).set('X-Request-ID', 'audit-ok-1').send(NERNST);
      expect(res.status).toBe(200);
      const mine = audits(t.logs).filter((r) => r.request_id === 'audit-ok-1');
      expect(mine.map((r) => r.action)).toEqual(['authentication_success', 'access_granted']);
      for (const r of mine) {
        expect(r).toMatchObject({
          audit_event: true,
          severity: 'INFO',
          level: 'INFO',
          success: true,
          user_id: 'batch',
          source_ip: '127.xxx.xxx.xxx',
          resource: '/nernst',
          logger: 'mfn.security.audit',
        });
        expect(r.timestamp).toMatch(/Z$/);
      }
      expect(mine[0].category).toBe('authentication');
      expect(mine[1].category).toBe('authorization');
    });

    it('authentication_failure with the reason, at WARNING', async () => {
      await request(server).post('/nernst').set('X-Request-ID', 'audit-missing').send(NERNST);
      await request(server).post('/nernst').set('X-Request-ID', 'audit-wrong').set('X-API-Key', newKey()).send(NERNST);
      const [missing] = audits(t.logs, 'authentication_failure').filter((r) => r.request_id === 'audit-missing');
      const [wrong] = audits(t.logs, 'authentication_failure').filter((r) => r.request_id === 'audit-wrong');
      for (const [r, reason] of [
        [missing, 'missing_api_key'],
        [wrong, 'invalid_api_key'],
      ] as const) {
        expect(r).toMatchObject({ category: 'authentication', severity: 'WARNING', success: false, details: { reason } });
        expect(r.user_id).toBeUndefined();
      }
    });

    it('a bare key is identified by its 8-hex fingerprint, written as is', async () => {
      await request(server).post('/nernst').set('X-API-Key', ADMIN_KEY).set('X-Request-ID', 'audit-bare').send(NERNST);
      const [ok] = audits(t.logs, 'authentication_success').filter((r) => r.request_id === 'audit-bare');
      expect(ok.user_id).toBe(fingerprintOf(ADMIN_KEY));
    });

    it('user_id tells tenants apart: the configured id of each key, unshortened', async () => {
      await request(server).post('/nernst').set('X-API-Key', COMPUTE_KEY).set('X-Request-ID', 'audit-tenant-1').send(NERNST);
      await request(server).post('/api/sign').set('X-API-Key', CRYPTO_KEY).set('X-Request-ID', 'audit-tenant-2').send({});
      const ids = audits(t.logs, 'authentication_success')
        .filter((r) => String(r.request_id).startsWith('audit-tenant-'))
        .map((r) => r.user_id);
      expect(ids).toEqual(['batch', 'signer']);
    });

    it('no key, ever, in any log line or response', async () => {
      await request(server).post('/nernst').set('X-API-Key', `${ADMIN_KEY}-nope`).send(NERNST);
      const logged = t.logs.text();
      for (const key of [ADMIN_KEY, ROTATED_KEY, COMPUTE_KEY, CRYPTO_KEY]) {
        expect(logged).not.toContain(key);
        expect(logged).not.toContain(key.slice(0, 12));
      }
    });
  });
});

describe('API key expiry (prod profile)', () => {
  const DAY = 24 * 60 * 60 * 1000;
  const EXPIRED_KEY = newKey();
  const SOON_KEY = newKey();
  const UNNAMED_SOON_KEY = newKey();
  const LIVE_KEY = newKey();
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      MFN_ENV: 'prod',
      MFN_MASTER_KEY: TEST_MASTER_KEY,
      MFN_API_KEYS: JSON.stringify([
        { key: EXPIRED_KEY, id: 'retired', expires: '2020-01-01T00:00:00Z' },
        { key: SOON_KEY, id: 'ci-soon', expires: new Date(Date.now() + 3 * DAY).toISOString() },
        { key: UNNAMED_SOON_KEY, expires: new Date(Date.now() + 2 * DAY).toISOString().slice(0, 10) },
        { key: LIVE_KEY, id: 'live', expires: new Date(Date.now() + 400 * DAY).toISOString() },
      ]),
      MFN_RATE_LIMIT_REQUESTS: '100000',
      MFN_RATE_LIMIT_ROUTES: '/nernst=100000',
    });
  });
  afterAll(async () => t.close());

  const expiredFailures = () => registryValue('mfn_auth_failures_total', { reason: 'expired_api_key' });

  it('refuses an expired key with the same 401 body and headers as a wrong key', async () => {
    const before = await expiredFailures();
    const expired = await request(t.server).post('/nernst').set('X-API-Key', EXPIRED_KEY).set('X-Request-ID', 'expiry-expired').send(NERNST);
    const wrong = await request(t.server).post('/nernst').set('X-API-Key', newKey()).set('X-Request-ID', 'expiry-wrong-1').send(NERNST);
    expect(expired.status).toBe(401);
    expect(wrong.status).toBe(401);
    const comparable = (body: Record<string, unknown>) => ({ ...body, request_id: undefined, timestamp: undefined });
    expect(comparable(expired.body)).toEqual(comparable(wrong.body));
    expect(expired.body).toMatchObject({ error_code: 'INVALID_API_KEY', message: 'Invalid or missing API key' });
    const headers = (h: Record<string, string>) => {
      const { date: _d, 'x-request-id': _id, 'x-ratelimit-remaining': _r, ...rest } = h;
      return rest;
    };
    expect(headers(expired.headers)).toEqual(headers(wrong.headers));
    expect(expired.headers['www-authenticate']).toBe('API-Key header="X-API-Key"');

    const reasons = audits(t.logs, 'authentication_failure')
      .filter((r) => String(r.request_id).startsWith('expiry-'))
      .map((r) => [r.request_id, (r.details as { reason: string }).reason, r.user_id]);
    expect(reasons).toEqual([
      ['expiry-expired', 'expired_api_key', undefined],
      ['expiry-wrong-1', 'invalid_api_key', undefined],
    ]);
    expect(await expiredFailures()).toBe(before + 1);
  });

  it('serves keys that expire later, even within the warning span', async () => {
    for (const key of [SOON_KEY, UNNAMED_SOON_KEY, LIVE_KEY]) {
      expect((await request(t.server).post('/nernst').set('X-API-Key', key).send(NERNST)).status).toBe(200);
    }
  });

  it('warns at start-up about the expired key and the ones expiring within 14 days, without key material', () => {
    const warnings = t.logs.records().filter((r) => r.logger === 'mfn.auth' && r.level === 'WARNING');
    expect(warnings.map((r) => r.message)).toEqual([
      'API key MFN_API_KEYS entry 1 (id retired) has expired and is refused',
      'API key MFN_API_KEYS entry 2 (id ci-soon) expires within 14 days',
      'API key MFN_API_KEYS entry 3 expires within 14 days',
    ]);
    expect(warnings[1]).toMatchObject({ entry: 'MFN_API_KEYS entry 2', id: 'ci-soon' });
    expect(warnings[2].id).toBeUndefined();
    const text = warnings.map((r) => JSON.stringify(r)).join('\n');
    for (const key of [EXPIRED_KEY, SOON_KEY, UNNAMED_SOON_KEY, LIVE_KEY]) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(key.slice(0, 12));
      expect(text).not.toContain(fingerprintOf(key));
    }
  });
});

describe('authentication switched off (dev default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ MFN_ENV: 'dev' });
  });
  afterAll(async () => t.close());

  it('serves protected routes without a key and emits no authentication events', async () => {
    const res = await request(t.server).post('/nernst').send(NERNST);
    expect(res.status).toBe(200);
    expect(res.headers['x-ratelimit-limit']).toBeUndefined();
    expect(audits(t.logs).filter((r) => String(r.action).startsWith('authentication'))).toHaveLength(0);
  });

  it('does not invent a development key', async () => {
    const res = await request(t.server).post('/nernst').set('X-API-Key', 'dev-key-for-testing').send(NERNST);
    expect(res.status).toBe(200);
    expect(t.logs.text()).not.toContain('dev-key-for-testing');
  });
});

describe('CORS with authentication on', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ MFN_ENV: 'prod', MFN_MASTER_KEY: TEST_MASTER_KEY, MFN_API_KEY: ADMIN_KEY, MFN_CORS_ORIGINS: 'https://app.example.com' });
  });
  afterAll(async () => t.close());

  it('answers the preflight before auth and puts CORS headers on the 401', async () => {
    const pre = await request(t.server)
      .options('/nernst')
      .set('Origin', 'https://app.example.com')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'x-api-key,content-type');
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('https://app.example.com');
    const denied = await request(t.server).post('/nernst').set('Origin', 'https://app.example.com').send(NERNST);
    expect(denied.status).toBe(401);
    expect(denied.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(denied.headers['access-control-expose-headers']).toContain('X-Request-ID');
  });
});

describe('start-up rules for keys', () => {
  it('prod without keys refuses to start with a clear message', async () => {
    await expect(createTestApp({ MFN_ENV: 'prod', MFN_MASTER_KEY: TEST_MASTER_KEY })).rejects.toThrow(/no API keys were provided/);
  });

  it('prod refuses a key shorter than 32 characters without printing it', async () => {
    const short = 'only-twenty-six-characters';
    const err = await createTestApp({ MFN_ENV: 'prod', MFN_MASTER_KEY: TEST_MASTER_KEY, MFN_API_KEY: short }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/MFN_API_KEY is shorter than 32 characters/);
    expect(err?.message).not.toContain(short);
    // Not even its fingerprint (an unnamed key's id): it would narrow the search for a short key.
    expect(err?.message).not.toContain(fingerprintOf(short));
  });

  it.each(['placeholder-api-key', 'your-generated-key-here'])('prod refuses the placeholder %s', async (placeholder) => {
    await expect(createTestApp({ MFN_ENV: 'prod', MFN_MASTER_KEY: TEST_MASTER_KEY, MFN_API_KEYS: `${newKey()},${placeholder}` })).rejects.toThrow(
      /MFN_API_KEYS entry 2 .*(placeholder|shorter)/,
    );
  });

  it('an unknown role in a key entry stops start-up', async () => {
    await expect(createTestApp({ MFN_ENV: 'prod', MFN_MASTER_KEY: TEST_MASTER_KEY, MFN_API_KEYS: `ops:${newKey()}:superuser` })).rejects.toThrow(/unknown role/);
  });

  it('staging accepts short keys but still requires one', async () => {
    const t = await createTestApp({ MFN_ENV: 'staging', MFN_API_KEY: 'short-staging-key' });
    expect((await request(t.server).post('/nernst').set('X-API-Key', 'short-staging-key').send(NERNST)).status).toBe(200);
    await t.close();
    await expect(createTestApp({ MFN_ENV: 'staging' })).rejects.toThrow(/no API keys were provided/);
  });

  it('the service process exits 1 with one "Start-up failed" line naming the entry, never the key', () => {
    const main = join(__dirname, '..', 'dist', 'main.js');
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the built dist/main.js of this repository
    expect(existsSync(main)).toBe(true); // built by `npm test` (or `npm run build`) before the suites run
    const weak = `weak-${randomBytes(6).toString('hex')}`;
    const run = spawnSync(process.execPath, [main], {
      env: { PATH: process.env.PATH, MFN_ENV: 'prod', MFN_MASTER_KEY: TEST_MASTER_KEY, MFN_API_KEYS: `ci:${weak}`, PORT: '0', HOST: '127.0.0.1' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^Start-up failed: MFN_API_KEYS entry 1 \(id ci\) is shorter than 32 characters/m);
    expect(run.stderr.trim().split('\n').filter((l) => l.startsWith('Start-up failed'))).toHaveLength(1);
    expect(`${run.stdout}${run.stderr}`).not.toContain(weak);
  });
});
