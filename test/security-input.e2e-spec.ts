import { randomBytes } from 'node:crypto';
import { register } from 'prom-client';
import request from 'supertest';
import { createTestApp, TEST_MASTER_KEY, TestApp } from './helpers/test-app';

jest.setTimeout(60_000);

const KEY = randomBytes(32).toString('base64url');
const NERNST = { concentration_out_molar: 0.005, concentration_in_molar: 0.14 };

async function droppedAudits(action: string): Promise<number> {
  const metric = await register.getSingleMetric('mfn_audit_events_dropped_total')?.get();
  return metric?.values.find((v) => v.labels.action === action)?.value ?? 0;
}

async function suspicious(type: string): Promise<number> {
  const metric = await register.getSingleMetric('mfn_suspicious_requests_total')?.get();
  return metric?.values.find((v) => v.labels.activity_type === type)?.value ?? 0;
}

describe('input sanitisation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ MFN_ENV: 'prod', MFN_MASTER_KEY: TEST_MASTER_KEY, MFN_API_KEY: KEY, MFN_RATE_LIMIT_REQUESTS: '10000', MFN_RATE_LIMIT_ROUTES: '/nernst=10000' });
  });
  afterAll(async () => t.close());

  const post = (body: unknown, path = '/nernst') => request(t.server).post(path).set('X-API-Key', KEY).send(body as object);
  const eventsFor = (requestId: unknown) =>
    t.logs.records().filter((r) => r.action === 'suspicious_activity' && r.request_id === requestId);

  it('refuses SQL injection in a string input: 400 VALIDATION_ERROR plus a suspicious_activity event', async () => {
    const before = await suspicious('sql_injection_attempt');
    const res = await post({ ...NERNST, z_valence: "1' OR '1'='1" });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error_code: 'VALIDATION_ERROR',
      message: 'Validation failed: 1 error(s)',
      details: [{ field: 'body.z_valence', message: 'contains a pattern that looks like SQL injection' }],
      request_id: res.headers['x-request-id'],
    });
    // The offending text is not echoed back.
    expect(JSON.stringify(res.body)).not.toContain("'1'='1");
    const [event] = eventsFor(res.headers['x-request-id']);
    expect(event).toMatchObject({
      audit_event: true,
      category: 'security',
      severity: 'ERROR',
      level: 'ERROR',
      success: false,
      details: { activity_type: 'sql_injection_attempt', field: 'body.z_valence', rejected: true },
    });
    // A bare key's id is its 8-hex fingerprint, written as is.
    expect(event.user_id).toMatch(/^[0-9a-f]{8}$/);
    expect(await suspicious('sql_injection_attempt')).toBe(before + 1);
  });

  it('refuses script injection, also in nested values and in the query string', async () => {
    const nested = await post({ ...NERNST, extra: { note: '<img src=x onerror=alert(1)>' } });
    expect(nested.status).toBe(400);
    expect(nested.body.details).toEqual([{ field: 'body.extra.note', message: 'contains a pattern that looks like script injection' }]);
    expect(eventsFor(nested.headers['x-request-id'])[0]).toMatchObject({ details: { activity_type: 'xss_attempt' } });

    const query = await request(t.server).post('/nernst?q=javascript:alert(1)').set('X-API-Key', KEY).send(NERNST);
    expect(query.status).toBe(400);
    expect(query.body.details[0].field).toBe('query.q');
  });

  it('lets ordinary strings, e-mail addresses and dates through to normal validation', async () => {
    const res = await post({ ...NERNST, comment: 'email@example.com on 2024-01-01, 127.0.0.1: Hello, World!' });
    expect(res.status).toBe(200);
    expect(res.body.potential_mV).toBeCloseTo(-89.01066911987907, 10);
    expect(eventsFor(res.headers['x-request-id'])).toHaveLength(0);
  });

  it('strips unknown fields (whitelist) instead of refusing them', async () => {
    const res = await post({ ...NERNST, unknown_field: 42, nested: { a: 1 } });
    expect(res.status).toBe(200);
  });

  it('a key_id that fits its charset is reported but not refused (update-2024)', async () => {
    const res = await post({ ...NERNST, key_id: 'update-2024' });
    expect(res.status).toBe(200);
    expect(eventsFor(res.headers['x-request-id'])[0]).toMatchObject({
      details: { activity_type: 'sql_injection_attempt', field: 'body.key_id', rejected: false },
    });
    const refused = await post({ ...NERNST, key_id: "k'; DROP TABLE keys; --" });
    expect(refused.status).toBe(400);
  });

  it('reports a suspicious X-Request-ID and replaces it (the request itself goes on)', async () => {
    const res = await post(NERNST).set('X-Request-ID', "<script>alert('x')</script>");
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(eventsFor(res.headers['x-request-id'])[0]).toMatchObject({
      details: { activity_type: 'xss_attempt', field: 'header.x-request-id', rejected: false },
    });
    const sqlId = await post(NERNST).set('X-Request-ID', 'drop-table-users--');
    expect(sqlId.status).toBe(200);
    expect(sqlId.headers['x-request-id']).toBe('drop-table-users--');
    expect(eventsFor('drop-table-users--')).toHaveLength(1);
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
    expect(res.body.message).toBe('Validation failed: 2 error(s)');
    expect(res.body.details_truncated).toBeUndefined();
    expect(eventsFor(res.headers['x-request-id'])).toHaveLength(0);
  });

  it('a body with hundreds of suspicious fields: 20 details plus the count left off, and one audit event', async () => {
    const body: Record<string, unknown> = { ...NERNST };
    for (let i = 0; i < 300; i++) body[`note_${i}`] = "x' OR '1'='1";
    const [eventsBefore, droppedBefore] = [await suspicious('sql_injection_attempt'), await droppedAudits('suspicious_activity')];
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Validation failed: 300 error(s)');
    expect(res.body.details).toHaveLength(20);
    expect(res.body.details[0]).toEqual({ field: 'body.note_0', message: 'contains a pattern that looks like SQL injection' });
    expect(res.body.details[19].field).toBe('body.note_19');
    expect(res.body.details_truncated).toBe(280);
    expect(res.body.request_id).toBe(res.headers['x-request-id']);

    const events = eventsFor(res.headers['x-request-id']);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ details: { activity_type: 'sql_injection_attempt', field: 'body.note_0', rejected: true } });
    // Every hit still counts in the metric; the 299 repeats of the audit event are counted as dropped.
    expect(await suspicious('sql_injection_attempt')).toBe(eventsBefore + 300);
    expect(await droppedAudits('suspicious_activity')).toBe(droppedBefore + 299);
  });

  it('cuts a client-chosen field name in the error body and the audit event', async () => {
    const name = `n${'x'.repeat(5000)}`;
    const res = await post({ ...NERNST, [name]: '<script>alert(1)</script>' });
    expect(res.status).toBe(400);
    const [detail] = res.body.details;
    expect(detail.field).toHaveLength(128);
    expect(detail.field.startsWith('body.nxxx')).toBe(true);
    const [event] = eventsFor(res.headers['x-request-id']);
    expect((event.details as { field: string }).field).toBe(detail.field);
    expect(JSON.stringify(res.body).length).toBeLessThan(1000);
  });

  it('does not scan base64 payload fields (no false positives on binary data)', async () => {
    const res = await post({ ...NERNST, plaintext: 'LS0gU0VMRUNUICogRlJPTSB1c2Vyczs=', message: '<script>' });
    expect(res.status).toBe(200);
  });
});
