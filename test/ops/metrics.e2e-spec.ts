import request from 'supertest';
import { ExpositionFormatError, MetricFamily, parseExposition, sampleValue } from './support/prometheus-text';
import { SlowRequest, send } from './support/http-wire';
import { listenOnce } from '../helpers/raw-http';
import { TestApp, createTestApp } from '../helpers/test-app';

const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
const NERNST_BODY = { concentration_out_molar: 0.005, concentration_in_molar: 0.14 };
const STRONG_KEY = 'k'.repeat(24) + '-metrics-e2e-key-0123456789';

type Server = TestApp['server'];

async function scrape(server: Server, headers: Record<string, string> = {}): Promise<Map<string, MetricFamily>> {
  const res = await request(server).get('/metrics').set(headers);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe(CONTENT_TYPE);
  return parseExposition(res.text);
}

function requests(m: Map<string, MetricFamily>, method: string, route: string, status: number): number {
  return sampleValue(m, 'mfn_http_requests_total', { method, route, endpoint: route, status: String(status) });
}

function durations(m: Map<string, MetricFamily>, method: string, route: string): number {
  return sampleValue(m, 'mfn_http_request_duration_seconds_count', { method, route, endpoint: route });
}

/** Runs `act` and returns how much the HTTP request counter for (method, route, status) moved. */
async function delta(server: Server, method: string, route: string, status: number, act: () => Promise<unknown>): Promise<number> {
  const before = requests(await scrape(server), method, route, status);
  await act();
  return requests(await scrape(server), method, route, status) - before;
}

describe('GET /metrics', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('serves every line in valid Prometheus text format with HELP and TYPE for each family', async () => {
    await request(t.server).post('/nernst').send(NERNST_BODY).expect(200);
    const res = await request(t.server).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(CONTENT_TYPE);
    const families = parseExposition(res.text);

    const expected: Record<string, string> = {
      mfn_http_requests_total: 'counter',
      mfn_http_request_duration_seconds: 'histogram',
      mfn_http_requests_in_progress: 'gauge',
      mfn_auth_failures_total: 'counter',
      mfn_rate_limit_rejections_total: 'counter',
      mfn_suspicious_requests_total: 'counter',
      mfn_compute_queue_depth: 'gauge',
      mfn_compute_task_duration_seconds: 'histogram',
      mfn_compute_rejections_total: 'counter',
      mfn_secrets_refresh_failures_total: 'counter',
      mfn_redis_fallback_active: 'gauge',
      // Node process collectors
      process_cpu_user_seconds_total: 'counter',
      process_resident_memory_bytes: 'gauge',
      nodejs_heap_size_used_bytes: 'gauge',
      nodejs_eventloop_lag_seconds: 'gauge',
    };
    for (const [name, type] of Object.entries(expected)) {
      expect({ name, type: families.get(name)?.type }).toEqual({ name, type });
      expect(families.get(name)?.help?.length).toBeGreaterThan(0);
    }
    const buckets = families
      .get('mfn_http_request_duration_seconds')!
      .samples.filter((s) => s.name.endsWith('_bucket') && s.labels.route === '/nernst' && s.labels.method === 'POST')
      .map((s) => s.labels.le);
    expect(buckets).toEqual(['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf']);
  });

  it('answers HEAD and is public (no API key needed by default)', async () => {
    const res = await request(t.server).head('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(CONTENT_TYPE);
  });

  it('counts a 404 under the route label "unmatched", never the raw path', async () => {
    const path = `/no-such-route-${Date.now()}`;
    const moved = await delta(t.server, 'GET', 'unmatched', 404, () => request(t.server).get(`${path}?token=abc`).expect(404));
    expect(moved).toBe(1);
    const text = (await request(t.server).get('/metrics')).text;
    expect(text).not.toContain(path);
    expect(text).not.toContain('token=abc');
  });

  it('counts body errors (415, 400, 413) under the route template', async () => {
    expect(
      await delta(t.server, 'POST', '/nernst', 415, () =>
        request(t.server).post('/nernst').set('Content-Type', 'text/plain').send('z=1').expect(415),
      ),
    ).toBe(1);
    expect(
      await delta(t.server, 'POST', '/nernst', 400, () =>
        request(t.server).post('/nernst').set('Content-Type', 'application/json').send('{"z_valence":').expect(400),
      ),
    ).toBe(1);
    expect(
      await delta(t.server, 'POST', '/nernst', 413, () =>
        request(t.server)
          .post('/nernst')
          .set('Content-Type', 'application/json')
          .send(JSON.stringify({ pad: 'x'.repeat(3 * 1024 * 1024) }))
          .expect(413),
      ),
    ).toBe(1);
  });

  it('counts validation failures (422) and wrong methods (405)', async () => {
    expect(
      await delta(t.server, 'POST', '/nernst', 422, () =>
        request(t.server).post('/nernst').send({ ...NERNST_BODY, z_valence: 9 }).expect(422),
      ),
    ).toBe(1);
    expect(await delta(t.server, 'GET', '/nernst', 405, () => request(t.server).get('/nernst').expect(405))).toBe(1);
  });

  it('counts a compute request with its duration, under the template whatever the spelling of the path', async () => {
    const before = await scrape(t.server);
    await request(t.server).post('/nernst').send(NERNST_BODY).expect(200);
    await request(t.server).post('/nernst/').send(NERNST_BODY).expect(200);
    await request(t.server).post('/nernst?trace=1').send(NERNST_BODY).expect(200);
    const after = await scrape(t.server);
    expect(requests(after, 'POST', '/nernst', 200) - requests(before, 'POST', '/nernst', 200)).toBe(3);
    expect(durations(after, 'POST', '/nernst') - durations(before, 'POST', '/nernst')).toBe(3);
    expect(
      sampleValue(after, 'mfn_http_requests_in_progress', { method: 'POST', route: '/nernst', endpoint: '/nernst' }),
    ).toBe(0);
  });

  it('shows a request in progress while it runs', async () => {
    const server = t.server;
    const port = await listenOnce(server);
    const inProgress = async () =>
      sampleValue(parseExposition((await send(port, 'GET', '/metrics')).body), 'mfn_http_requests_in_progress', {
        method: 'POST',
        route: '/nernst',
        endpoint: '/nernst',
      });
    const slow = new SlowRequest(port, 'POST', '/nernst', JSON.stringify(NERNST_BODY), 5);
    try {
      await slow.accepted;
      slow.sendFirstPart();
      expect(await inProgress()).toBe(1);
      slow.finish();
      expect((await slow.response).status).toBe(200);
      expect(await inProgress()).toBe(0);
    } finally {
      slow.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('counts the scrapes themselves', async () => {
    expect(await delta(t.server, 'GET', '/metrics', 200, () => Promise.resolve())).toBe(1);
  });
});

describe('MFN_METRICS_ENABLED=false', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ MFN_METRICS_ENABLED: 'false' });
  });
  afterAll(() => t.close());

  it('stops recording HTTP metrics while /metrics still answers', async () => {
    const before = await scrape(t.server);
    await request(t.server).post('/nernst').send(NERNST_BODY).expect(200);
    await request(t.server).get('/nothing-here').expect(404);
    const after = await scrape(t.server);
    expect(requests(after, 'POST', '/nernst', 200)).toBe(requests(before, 'POST', '/nernst', 200));
    expect(requests(after, 'GET', 'unmatched', 404)).toBe(requests(before, 'GET', 'unmatched', 404));
    expect(requests(after, 'GET', '/metrics', 200)).toBe(requests(before, 'GET', '/metrics', 200));
    expect(after.get('process_cpu_user_seconds_total')).toBeDefined();
  });
});

describe('MFN_METRICS_TOKEN', () => {
  const TOKEN = 'scrape-token-for-the-e2e-suite-0123456789';
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ MFN_METRICS_TOKEN: TOKEN });
  });
  afterAll(() => t.close());

  function authFailures(m: Map<string, MetricFamily>, reason: string): number {
    return sampleValue(m, 'mfn_auth_failures_total', { reason });
  }

  it('answers 401 in the error envelope without the token, and counts it', async () => {
    const before = await scrape(t.server, { Authorization: `Bearer ${TOKEN}` });
    const res = await request(t.server).get('/metrics').set('X-Request-ID', 'scrape-without-token');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    expect(res.headers['x-request-id']).toBe('scrape-without-token');
    expect(res.body).toMatchObject({ error_code: 'AUTHENTICATION_REQUIRED', request_id: 'scrape-without-token' });
    expect(res.text).not.toContain('mfn_http_requests_total');
    const after = await scrape(t.server, { Authorization: `Bearer ${TOKEN}` });
    expect(requests(after, 'GET', '/metrics', 401) - requests(before, 'GET', '/metrics', 401)).toBe(1);
    expect(authFailures(after, 'missing_metrics_token') - authFailures(before, 'missing_metrics_token')).toBe(1);
  });

  it('answers 401 INVALID_API_KEY for a wrong token, and never logs the token', async () => {
    const before = await scrape(t.server, { Authorization: `Bearer ${TOKEN}` });
    for (const header of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`, TOKEN, 'Bearer ']) {
      const res = await request(t.server).get('/metrics').set('Authorization', header);
      expect({ header, status: res.status }).toEqual({ header, status: 401 });
      expect(['AUTHENTICATION_REQUIRED', 'INVALID_API_KEY']).toContain(res.body.error_code);
    }
    const wrong = await request(t.server).get('/metrics').set('Authorization', 'Bearer not-the-token');
    expect(wrong.body.error_code).toBe('INVALID_API_KEY');
    const after = await scrape(t.server, { Authorization: `bearer ${TOKEN}` });
    expect(authFailures(after, 'invalid_metrics_token') - authFailures(before, 'invalid_metrics_token')).toBe(3);
    expect(t.logs.text()).not.toContain(TOKEN);
    const audit = t.logs.records().filter((r) => r.action === 'authentication_failure');
    expect(audit.length).toBeGreaterThan(0);
    expect(audit[audit.length - 1]).toMatchObject({ audit_event: true, success: false, resource: '/metrics' });
  });
});

// 401 from the API-key guard and 429 from the rate limiter: both are global guards.
describe('401 and 429 from the security layer', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      MFN_API_KEY_REQUIRED: 'true',
      MFN_API_KEY: STRONG_KEY,
      MFN_RATE_LIMIT_ENABLED: 'true',
      MFN_RATE_LIMIT_ROUTES: '/nernst=2',
    });
  });
  afterAll(() => t.close());

  it('counts a 401 under the route template and as an auth failure', async () => {
    const before = await scrape(t.server);
    await request(t.server).post('/nernst').send(NERNST_BODY).expect(401);
    const after = await scrape(t.server);
    expect(requests(after, 'POST', '/nernst', 401) - requests(before, 'POST', '/nernst', 401)).toBe(1);
    expect(
      sampleValue(after, 'mfn_auth_failures_total', { reason: 'missing_api_key' }) -
        sampleValue(before, 'mfn_auth_failures_total', { reason: 'missing_api_key' }),
    ).toBe(1);
  });

  it('counts a 429 under the route template and as a rate-limit rejection', async () => {
    const before = await scrape(t.server);
    let status = 0;
    for (let i = 0; i < 10 && status !== 429; i++) {
      status = (await request(t.server).post('/nernst').set('X-API-Key', STRONG_KEY).send(NERNST_BODY)).status;
    }
    expect(status).toBe(429);
    const after = await scrape(t.server);
    expect(requests(after, 'POST', '/nernst', 429) - requests(before, 'POST', '/nernst', 429)).toBe(1);
    expect(
      sampleValue(after, 'mfn_rate_limit_rejections_total', { route: '/nernst', endpoint: '/nernst' }) -
        sampleValue(before, 'mfn_rate_limit_rejections_total', { route: '/nernst', endpoint: '/nernst' }),
    ).toBe(1);
  });
});

describe('the exposition-format checker used above', () => {
  it.each([
    ['a sample without HELP/TYPE', 'foo 1\n'],
    ['a family without HELP', '# TYPE foo counter\nfoo 1\n'],
    ['a bad value', '# HELP foo x\n# TYPE foo gauge\nfoo one\n'],
    ['an unquoted label', '# HELP foo x\n# TYPE foo gauge\nfoo{a=b} 1\n'],
    ['a bucket without le', '# HELP h x\n# TYPE h histogram\nh_bucket{a="1"} 1\n'],
    ['a duplicate sample', '# HELP foo x\n# TYPE foo gauge\nfoo{a="1"} 1\nfoo{a="1"} 2\n'],
    ['a missing final line feed', '# HELP foo x\n# TYPE foo gauge\nfoo 1'],
  ])('rejects %s', (_what, text) => {
    expect(() => parseExposition(text)).toThrow(ExpositionFormatError);
  });

  it('accepts escapes, special values and timestamps', () => {
    const m = parseExposition('# HELP foo a \\\\ b\n# TYPE foo gauge\nfoo{a="x\\"y",b="\\n"} +Inf 1700000000000\nfoo{a="z"} NaN\n');
    expect(sampleValue(m, 'foo', { a: 'x"y', b: '\n' })).toBe(Infinity);
  });
});
