import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { registryValue } from './helpers/metrics';
import { createTestApp, TEST_MASTER_KEY, TestApp } from './helpers/test-app';

jest.setTimeout(60_000);

const KEY = randomBytes(32).toString('base64url');
const NERNST = { concentration_out_molar: 0.005, concentration_in_molar: 0.14 };
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const suspicious = (type: string) => registryValue('mfn_suspicious_requests_total', { activity_type: type });

describe('input sanitisation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ MFN_ENV: 'prod', MFN_MASTER_KEY: TEST_MASTER_KEY, MFN_API_KEY: KEY, MFN_RATE_LIMIT_REQUESTS: '10000', MFN_RATE_LIMIT_ROUTES: '/nernst=10000' });
  });
  afterAll(async () => t.close());

  const post = (body: unknown, path = '/nernst') => request(t.server).post(path).set('X-API-Key', KEY).send(body as object);
  const eventsFor = (requestId: unknown) =>
    t.logs.records().filter((r) => r.action === 'suspicious_activity' && r.request_id === requestId);

  describe('input scan: report-only, after authentication, free-text fields only', () => {
    const SQL = "' OR 1=1 --";
    const suspiciousTotal = async () => (await suspicious('sql_injection_attempt')) + (await suspicious('xss_attempt'));
    const allEvents = () => t.logs.records().filter((r) => r.action === 'suspicious_activity');

    it('never scans X-Request-ID: 16,000 `<` on GET /health are answered 200 with a fresh id and no event', async () => {
      const eventsBefore = allEvents().length;
      const metricBefore = await suspiciousTotal();
      const res = await request(t.server).get('/health').set('X-Request-ID', '<'.repeat(16_000));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'healthy', version: expect.any(String) });
      expect(res.headers['x-request-id']).toMatch(UUID_V4);
      expect(allEvents()).toHaveLength(eventsBefore);
      expect(await suspiciousTotal()).toBe(metricBefore);
    });

    it('on a protected route too: a script X-Request-ID is replaced, not reported; a valid one is kept', async () => {
      const replaced = await post(NERNST).set('X-Request-ID', "<script>alert('x')</script>");
      expect(replaced.status).toBe(200);
      expect(replaced.headers['x-request-id']).toMatch(UUID_V4);
      expect(eventsFor(replaced.headers['x-request-id'])).toHaveLength(0);
      const kept = await post(NERNST).set('X-Request-ID', 'drop-table-users--');
      expect(kept.status).toBe(200);
      expect(kept.headers['x-request-id']).toBe('drop-table-users--');
      expect(eventsFor('drop-table-users--')).toHaveLength(0);
    });

    it('a key_id that fits its charset (update-2024) is served, and each request reports it once', async () => {
      const before = await suspicious('sql_injection_attempt');
      const created = await post({ type: 'AES-256-GCM', key_id: 'update-2024' }, '/api/keys');
      expect(created.status).toBe(201);
      const [event, ...more] = eventsFor(created.headers['x-request-id']);
      expect(more).toHaveLength(0);
      expect(event).toMatchObject({
        audit_event: true,
        category: 'security',
        severity: 'ERROR',
        level: 'ERROR',
        success: false,
        resource: '/api/keys',
        details: { activity_type: 'sql_injection_attempt', kinds: ['sql_injection_attempt'], fields: ['body.key_id'], hits: 1 },
      });
      expect(event.user_id).toMatch(/^[0-9a-f]{8}$/);

      const sealed = await post({ plaintext: 'aGVsbG8=', key_id: 'update-2024' }, '/api/encrypt');
      expect(sealed.status).toBe(200);
      expect(sealed.body.key_id).toBe('update-2024');
      expect(eventsFor(sealed.headers['x-request-id'])).toHaveLength(1);

      const described = await request(t.server).get('/api/keys/update-2024').set('X-API-Key', KEY);
      expect(described.status).toBe(200);
      expect(eventsFor(described.headers['x-request-id'])).toEqual([
        expect.objectContaining({ details: { activity_type: 'sql_injection_attempt', kinds: ['sql_injection_attempt'], fields: ['path.key_id'], hits: 1 } }),
      ]);
      expect(await suspicious('sql_injection_attempt')).toBe(before + 3);
    });

    it(`a key_id outside its charset (${SQL}) gets 422 VALIDATION_ERROR from validation, and one event`, async () => {
      const res = await post({ plaintext: 'aGVsbG8=', key_id: SQL }, '/api/encrypt');
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ error_code: 'VALIDATION_ERROR', details: [{ field: 'body.key_id' }], request_id: res.headers['x-request-id'] });
      expect(eventsFor(res.headers['x-request-id'])).toEqual([
        expect.objectContaining({ details: { activity_type: 'sql_injection_attempt', kinds: ['sql_injection_attempt'], fields: ['body.key_id'], hits: 1 } }),
      ]);
    });

    it('hits in several places make one event with the aggregate; the metric counts each kind once', async () => {
      const sqlBefore = await suspicious('sql_injection_attempt');
      const xssBefore = await suspicious('xss_attempt');
      const res = await request(t.server)
        .post('/api/keys/drop-table/config')
        .query({ note: '<script>x', other: 'javascript:alert(1)', page: '2' })
        .set('X-API-Key', KEY)
        .send({ min_decryption_version: 1, key_id: "x' OR 'a'='a" });
      expect(res.status).toBe(404);
      expect(eventsFor(res.headers['x-request-id'])).toEqual([
        expect.objectContaining({
          details: {
            activity_type: 'sql_injection_attempt',
            kinds: ['sql_injection_attempt', 'xss_attempt'],
            fields: ['path.key_id', 'query.note', 'query.other', 'body.key_id'],
            hits: 4,
          },
        }),
      ]);
      expect(await suspicious('sql_injection_attempt')).toBe(sqlBefore + 1);
      expect(await suspicious('xss_attempt')).toBe(xssBefore + 1);
    });

    it('a request with 40 hits is still one event, naming the first 10 fields', async () => {
      const query = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`q${i}`, SQL]));
      const res = await request(t.server).get('/api/keys/some-key').query(query).set('X-API-Key', KEY);
      expect(res.status).toBe(404);
      const events = eventsFor(res.headers['x-request-id']);
      expect(events).toHaveLength(1);
      expect(events[0].details).toEqual({
        activity_type: 'sql_injection_attempt',
        kinds: ['sql_injection_attempt'],
        fields: Array.from({ length: 10 }, (_, i) => `query.q${i}`),
        hits: 40,
      });
    });

    it('a 200 KB key_id is answered with a 4xx and one event', async () => {
      const keyId = `${SQL} ${'<a on'.repeat(40_000)}`;
      expect(keyId.length).toBeGreaterThan(200_000);
      const res = await post({ plaintext: 'aGVsbG8=', key_id: keyId }, '/api/encrypt');
      expect(res.status).toBe(422);
      expect(res.body.error_code).toBe('VALIDATION_ERROR');
      expect(eventsFor(res.headers['x-request-id'])).toHaveLength(1);
    });

    it('runs after authentication: without a key the answer is 401 and nothing is scanned', async () => {
      const res = await request(t.server).post('/api/encrypt?q=<script>').send({ plaintext: 'aGVsbG8=', key_id: SQL });
      expect(res.status).toBe(401);
      expect(eventsFor(res.headers['x-request-id'])).toHaveLength(0);
    });

    it('public routes are not scanned', async () => {
      const res = await request(t.server).get('/health').query({ q: SQL });
      expect(res.status).toBe(200);
      expect(eventsFor(res.headers['x-request-id'])).toHaveLength(0);
    });

    it('other body fields are left to validation: no event for them', async () => {
      const served = await post({ ...NERNST, comment: '<img src=x onerror=alert(1)>', extra: { key_id: SQL }, plaintext: SQL });
      expect(served.status).toBe(200);
      expect(served.body.potential_mV).toBeCloseTo(-89.01066911987907, 10);
      expect(eventsFor(served.headers['x-request-id'])).toHaveLength(0);

      const refused = await post({ ...NERNST, z_valence: "1' OR '1'='1" });
      expect(refused.status).toBe(422);
      expect(refused.body.details.map((d: { field: string }) => d.field)).toEqual(['body.z_valence']);
      expect(eventsFor(refused.headers['x-request-id'])).toHaveLength(0);
    });

    it('ordinary values cause no event', async () => {
      const plain = await post({ plaintext: 'aGVsbG8=', key_id: 'my-key.v2' }, '/api/encrypt?page=2&sort=created_at');
      expect(plain.status).toBe(404);
      expect(eventsFor(plain.headers['x-request-id'])).toHaveLength(0);
      // Next to a hit, ordinary query parameters are not named either.
      const mixed = await post({ plaintext: 'aGVsbG8=', key_id: 'update-2024' }, '/api/encrypt?page=2&sort=created_at');
      expect(mixed.status).toBe(200);
      expect(eventsFor(mixed.headers['x-request-id'])).toEqual([expect.objectContaining({ details: expect.objectContaining({ fields: ['body.key_id'] }) })]);
    });
  });

  it('strips unknown fields (whitelist) instead of refusing them', async () => {
    const res = await post({ ...NERNST, unknown_field: 42, nested: { a: 1 } });
    expect(res.status).toBe(200);
  });

  it('rejects non-finite and stringly numbers with 422, echoing the value HTML-escaped', async () => {
    for (const bad of ['NaN', 'Infinity', '-Infinity', '1e999']) {
      const res = await post({ ...NERNST, temperature_k: bad });
      expect(res.status).toBe(422);
      expect(res.body.error_code).toBe('VALIDATION_ERROR');
      expect(res.body.details[0].field).toBe('body.temperature_k');
    }
    // A JSON number literal too large for a double parses to Infinity.
    const overflow = await request(t.server)
      .post('/nernst')
      .set('X-API-Key', KEY)
      .set('Content-Type', 'application/json')
      .send('{"concentration_out_molar": 1e999, "concentration_in_molar": 0.14}');
    expect(overflow.status).toBe(422);
    expect(overflow.body.details[0].field).toBe('body.concentration_out_molar');
    const tag = await post({ ...NERNST, temperature_k: '<b>hot</b>' });
    expect(tag.status).toBe(422);
    expect(tag.body.details[0].value).toBe('&lt;b&gt;hot&lt;/b&gt;');
  });

  it('enforces the DTO ranges (422), with no false injection alarm on numbers', async () => {
    const res = await post({ ...NERNST, z_valence: 4, temperature_k: 200 });
    expect(res.status).toBe(422);
    expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['body.temperature_k', 'body.z_valence']);
    expect(eventsFor(res.headers['x-request-id'])).toHaveLength(0);
  });
});
