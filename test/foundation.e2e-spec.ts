import { createHash } from 'node:crypto';
import request from 'supertest';
import { REDOC_SCRIPT_PATH } from '../src/docs/redoc';
import { readGolden, relativeError } from './helpers/golden';
import { rawRequest } from './helpers/raw-http';
import { TestApp, createTestApp } from './helpers/test-app';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface NernstCase {
  z_valence: number;
  concentration_out_molar: number;
  concentration_in_molar: number;
  temperature_k: number;
  http_request_valid: boolean;
  http_potential_mV?: number;
}

function expectEnvelope(res: request.Response, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/json/);
  expect(res.body.error_code).toBe(code);
  expect(typeof res.body.message).toBe('string');
  expect(res.body.detail).toBe(res.body.message);
  expect(res.body.request_id).toBe(res.headers['x-request-id']);
  expect(res.body.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(js|ts):\d+|node_modules|\/dist\//);
}

describe('foundation (dev profile)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ MFN_MAX_BODY_BYTES: '4096' });
  });
  afterAll(() => t.close());

  describe('health', () => {
    it('GET /health answers healthy with the version and a generated request id', async () => {
      const res = await request(t.server).get('/health').expect(200);
      expect(res.body).toEqual({ status: 'healthy', version: '4.1.0' });
      expect(res.headers['x-request-id']).toMatch(UUID_V4);
    });

    it('JSON replies carry their type and exact byte length; HEAD gets the headers without the body', async () => {
      const get = await rawRequest(t.server, 'GET', '/health');
      expect(get.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(Number(get.headers['content-length'])).toBe(Buffer.byteLength(get.text));
      expect(get.headers['transfer-encoding']).toBeUndefined();
      const head = await rawRequest(t.server, 'HEAD', '/health');
      expect(head.status).toBe(200);
      expect(head.text).toBe('');
      expect(head.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(head.headers['content-length']).toBe(get.headers['content-length']);
      // A reply with non-ASCII text (the rejected value is echoed): the length counts bytes.
      const bad = await rawRequest(
        t.server,
        'POST',
        '/nernst',
        { 'content-type': 'application/json' },
        JSON.stringify({ concentration_out_molar: 'ünïcødé ✓', concentration_in_molar: 0.14 }),
      );
      expect(bad.status).toBe(422);
      expect(bad.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(Number(bad.headers['content-length'])).toBe(Buffer.byteLength(bad.text));
      expect(Buffer.byteLength(bad.text)).toBeGreaterThan(bad.text.length);
      expect(bad.text).toContain('ünïcødé ✓');
      expect(bad.body?.request_id).toBe(bad.headers['x-request-id']);
    });

    it('GET /health/ready answers ready while running', async () => {
      const res = await request(t.server).get('/health/ready').expect(200);
      expect(res.body.status).toBe('ok');
      expect(res.body.info.lifecycle.state).toBe('running');
    });
  });

  describe('/nernst', () => {
    it('computes the K+ example', async () => {
      const res = await request(t.server)
        .post('/nernst')
        .send({ concentration_out_molar: 0.005, concentration_in_molar: 0.14 })
        .expect(200);
      expect(relativeError(res.body.potential_mV, -89.01066911987907)).toBeLessThanOrEqual(1e-12);
    });

    it('matches every HTTP-valid golden case and rejects every invalid one', async () => {
      const golden = readGolden<{ cases: NernstCase[] }>('nernst.json');
      for (const c of golden.cases) {
        const body = {
          z_valence: c.z_valence,
          concentration_out_molar: c.concentration_out_molar,
          concentration_in_molar: c.concentration_in_molar,
          temperature_k: c.temperature_k,
        };
        const res = await request(t.server).post('/nernst').send(body);
        if (c.http_request_valid) {
          expect(res.status).toBe(200);
          expect(relativeError(res.body.potential_mV, c.http_potential_mV as number)).toBeLessThanOrEqual(1e-12);
        } else {
          expectEnvelope(res, 422, 'VALIDATION_ERROR');
        }
      }
    });

    it('ignores unknown fields and applies defaults', async () => {
      const res = await request(t.server)
        .post('/nernst')
        .send({ concentration_out_molar: 0.005, concentration_in_molar: 0.14, extra: 'x', z_valence: 1 })
        .expect(200);
      expect(Object.keys(res.body)).toEqual(['potential_mV']);
    });

    it('answers a non-finite result with NUMERICAL_INSTABILITY', async () => {
      const res = await request(t.server).post('/nernst').send({ concentration_out_molar: 1e308, concentration_in_molar: 1e-308 });
      expectEnvelope(res, 500, 'NUMERICAL_INSTABILITY');
    });

    it.each([
      [{ concentration_in_molar: 0.14 }, 'body.concentration_out_molar', /required/],
      [{ concentration_out_molar: 'abc', concentration_in_molar: 0.14 }, 'body.concentration_out_molar', /finite number/],
      [{ concentration_out_molar: 0, concentration_in_molar: 0.14 }, 'body.concentration_out_molar', /positive/],
      [{ concentration_out_molar: 0.1, concentration_in_molar: 0.14, z_valence: 4 }, 'body.z_valence', /greater than 3/],
      [{ concentration_out_molar: 0.1, concentration_in_molar: 0.14, z_valence: 1.5 }, 'body.z_valence', /integer/],
      [{ concentration_out_molar: 0.1, concentration_in_molar: 0.14, temperature_k: 400 }, 'body.temperature_k', /373/],
      [{ concentration_out_molar: 0.1, concentration_in_molar: 0.14, temperature_k: 'NaN' }, 'body.temperature_k', /finite/],
      [{ concentration_out_molar: 0.1, concentration_in_molar: 0.14, temperature_k: null }, 'body.temperature_k', /finite/],
      [{ concentration_out_molar: true, concentration_in_molar: 0.14 }, 'body.concentration_out_molar', /finite/],
    ])('rejects %j with a per-field detail', async (body, field, message) => {
      const res = await request(t.server).post('/nernst').send(body);
      expectEnvelope(res, 422, 'VALIDATION_ERROR');
      expect(res.body.message).toMatch(/^Validation failed: \d+ error\(s\)$/);
      const detail = (res.body.details as { field: string; message: string }[]).find((d) => d.field === field);
      expect(detail?.message).toMatch(message);
    });

    it('rejects a literal 1e999 (Infinity after parsing)', async () => {
      const res = await request(t.server)
        .post('/nernst')
        .set('content-type', 'application/json')
        .send('{"concentration_out_molar": 1e999, "concentration_in_molar": 0.1}');
      expectEnvelope(res, 422, 'VALIDATION_ERROR');
    });
  });

  describe('bad requests get the envelope', () => {
    it('malformed JSON → 400', async () => {
      const res = await request(t.server).post('/nernst').set('content-type', 'application/json').send('{"a": ');
      expectEnvelope(res, 400, 'INVALID_REQUEST');
    });

    it('a JSON array or scalar body → 422 / 400', async () => {
      const arr = await request(t.server).post('/nernst').set('content-type', 'application/json').send('[1,2]');
      expectEnvelope(arr, 422, 'VALIDATION_ERROR');
      expect(arr.body.details[0].field).toBe('body');
      const scalar = await request(t.server).post('/nernst').set('content-type', 'application/json').send('"x"');
      expectEnvelope(scalar, 400, 'INVALID_REQUEST');
    });

    it('a non-JSON content type → 415', async () => {
      const res = await request(t.server).post('/nernst').set('content-type', 'text/plain').send('hello');
      expectEnvelope(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
      const form = await request(t.server).post('/nernst').type('form').send({ a: 1 });
      expectEnvelope(form, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('an unsupported charset → 415', async () => {
      const res = await request(t.server)
        .post('/nernst')
        .set('content-type', 'application/json; charset=latin1')
        .send(Buffer.from('{"a":1}'));
      expectEnvelope(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('a body over MFN_MAX_BODY_BYTES → 413', async () => {
      const big = JSON.stringify({ concentration_out_molar: 0.1, concentration_in_molar: 0.1, pad: 'x'.repeat(5000) });
      const res = await request(t.server).post('/nernst').set('content-type', 'application/json').send(big);
      expectEnvelope(res, 413, 'PAYLOAD_TOO_LARGE');
    });

    it('a POST without a body is a validation error', async () => {
      const res = await request(t.server).post('/nernst');
      expectEnvelope(res, 422, 'VALIDATION_ERROR');
    });

    it('unknown paths → 404, wrong method → 405 with Allow', async () => {
      expectEnvelope(await request(t.server).get('/does-not-exist'), 404, 'NOT_FOUND');
      expectEnvelope(await request(t.server).post('/health'), 405, 'METHOD_NOT_ALLOWED');
      const res = await request(t.server).get('/nernst');
      expectEnvelope(res, 405, 'METHOD_NOT_ALLOWED');
      expect(res.headers.allow).toBe('POST');
      expect((await request(t.server).delete('/health')).headers.allow).toBe('GET, HEAD');
    });
  });

  describe('request ids', () => {
    it('echoes a valid client id on success and on errors', async () => {
      for (const [method, path] of [
        ['get', '/health'],
        ['get', '/missing'],
        ['post', '/nernst'],
      ] as const) {
        // eslint-disable-next-line security/detect-object-injection -- `method` is `get` or `post`, from the test's own table
        const res = await request(t.server)[method](path).set('X-Request-ID', 'my-trace-123');
        expect(res.headers['x-request-id']).toBe('my-trace-123');
        if (res.status >= 400) expect(res.body.request_id).toBe('my-trace-123');
      }
      const parseError = await request(t.server)
        .post('/nernst')
        .set('X-Request-ID', 'trace:parse.1')
        .set('content-type', 'application/json')
        .send('{');
      expect(parseError.body.request_id).toBe('trace:parse.1');
    });

    it.each(['<script>', 'x'.repeat(129), 'has space', 'a,b'])('replaces an invalid id %j with a UUID v4', async (bad) => {
      const res = await request(t.server).get('/missing').set('X-Request-ID', bad);
      expect(res.headers['x-request-id']).toMatch(UUID_V4);
      expect(res.body.request_id).toBe(res.headers['x-request-id']);
    });
  });

  describe('HTTP hardening', () => {
    it('sends security headers and no x-powered-by', async () => {
      const res = await request(t.server).get('/health');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      expect(res.headers['x-powered-by']).toBeUndefined();
    });

    it('dev CORS allows any origin, exposes the request id and answers preflights', async () => {
      const res = await request(t.server).get('/health').set('Origin', 'http://example.test');
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['access-control-expose-headers']).toContain('X-Request-ID');
      const pre = await request(t.server)
        .options('/nernst')
        .set('Origin', 'http://example.test')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'content-type,x-api-key');
      expect(pre.status).toBe(204);
      expect(pre.headers['access-control-max-age']).toBe('600');
      expect(pre.headers['access-control-allow-headers']).toMatch(/x-api-key/i);
    });
  });

  describe('docs', () => {
    it('serves Swagger UI and the OpenAPI document in dev', async () => {
      const ui = await request(t.server).get('/docs').redirects(1);
      expect(ui.status).toBe(200);
      expect(ui.text).toContain('swagger-ui');
      const doc = await request(t.server).get('/openapi.json').expect(200);
      expect(doc.body.openapi).toMatch(/^3\./);
      expect(doc.body.info).toMatchObject({ title: 'MyceliumFractalNet API', version: '4.1.0' });
      expect(doc.body.components.securitySchemes['X-API-Key']).toEqual({
        type: 'apiKey',
        in: 'header',
        name: 'X-API-Key',
        description: 'API key',
      });
      expect(doc.body.paths['/nernst'].post).toBeDefined();
      const schema = doc.body.components.schemas.NernstRequestDto;
      expect(schema.properties.z_valence).toMatchObject({ minimum: 1, maximum: 3, default: 1 });
      expect(schema.properties.temperature_k).toMatchObject({ minimum: 273, maximum: 373, default: 310 });
      expect(schema.required).toEqual(expect.arrayContaining(['concentration_out_molar', 'concentration_in_molar']));
      expect(doc.body.components.schemas.ErrorEnvelopeDto.properties).toHaveProperty('request_id');
      expect(doc.body.paths['/nernst'].post.responses['422']).toBeDefined();
    });

    it('serves the ReDoc page in dev: the pinned bundle with its integrity hash, its own CSP', async () => {
      const page = await request(t.server).get('/redoc').expect(200);
      expect(page.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
      expect(page.text).toContain('<redoc spec-url="/openapi.json"></redoc>');
      const script = /<script src="([^"]+)" integrity="([^"]+)" crossorigin="anonymous"><\/script>/.exec(page.text);
      // The bundle comes from the service itself, at a versioned path under /redoc.
      expect(script?.[1]).toMatch(/^\/redoc\/\d+\.\d+\.\d+\/redoc\.standalone\.js$/);
      expect(script?.[2]).toMatch(/^sha384-[A-Za-z0-9+/]{64}$/);
      // No inline script anywhere on the page; the CSP admits scripts of this origin only, and nothing of any other.
      expect(page.text.match(/<script/g)).toHaveLength(1);
      const csp = String(page.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/https?:/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('unsafe-eval');
      expect(page.headers['x-frame-options']).toBe('DENY');
      expect(page.headers['x-request-id']).toBeDefined();
      // Any spelling Express routes to the page gets the page's CSP, not the JSON API's.
      const upper = await request(t.server).get('/ReDoc/').expect(200);
      expect(upper.headers['content-security-policy']).toBe(csp);
      const head = await request(t.server).head('/redoc').expect(200);
      expect(head.headers['content-security-policy']).toBe(csp);
      // The bundle: the file the integrity hash names, as JavaScript, cached for a year.
      const bundle = await request(t.server).get(String(script?.[1])).buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      }).expect(200);
      expect(bundle.headers['content-type']).toBe('application/javascript; charset=utf-8');
      expect(bundle.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(`sha384-${createHash('sha384').update(bundle.body as Buffer).digest('base64')}`).toBe(script?.[2]);
      expect((await request(t.server).head(String(script?.[1])).expect(200)).headers['content-type']).toBe('application/javascript; charset=utf-8');
      // The API responses keep the deny-all policy.
      const health = await request(t.server).get('/health').expect(200);
      expect(health.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
    });
  });

  describe('logs', () => {
    it('writes one access record per request with the request id, and never the API key', async () => {
      const before = t.logs.lines.length;
      await request(t.server).get('/health').set('X-Request-ID', 'log-check-1').set('X-API-Key', 'very-secret-key-value-123456');
      await new Promise((r) => setImmediate(r));
      const records = t.logs
        .records()
        .slice(0)
        .filter((r) => r.request_id === 'log-check-1');
      const access = records.filter((r) => r.action === 'api_request');
      expect(access).toHaveLength(1);
      expect(access[0]).toMatchObject({ method: 'GET', endpoint: '/health', status: 200, level: 'INFO', logger: 'mfn.access', env: 'dev' });
      expect(typeof access[0].duration_ms).toBe('number');
      expect(access[0].client_ip).toMatch(/^127\.xxx\.xxx\.xxx$|\.\.\.$/);
      expect(t.logs.lines.length).toBeGreaterThan(before);
      expect(t.logs.text()).not.toContain('very-secret-key-value-123456');
    });
  });
});

describe('profiles', () => {
  it('prod hides the docs and sends no CORS headers', async () => {
    const t = await createTestApp({ MFN_ENV: 'prod', MFN_API_KEY: 'k'.repeat(48), MFN_MASTER_KEY: Buffer.alloc(32, 1).toString('base64') });
    try {
      const res = await request(t.server).get('/openapi.json').set('X-API-Key', 'k'.repeat(48)).set('Origin', 'http://evil.test');
      expect(res.status).toBe(404);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      for (const path of ['/docs', '/redoc', REDOC_SCRIPT_PATH]) {
        const docs = await request(t.server).get(path).set('X-API-Key', 'k'.repeat(48));
        expect(docs.status).toBe(404);
        expect(docs.body.error_code).toBe('NOT_FOUND');
        expect(docs.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
      }
    } finally {
      await t.close();
    }
  });

  it('prod can turn docs on explicitly', async () => {
    const t = await createTestApp({ MFN_ENV: 'prod', MFN_API_KEY: 'k'.repeat(48), MFN_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'), MFN_DOCS_ENABLED: 'true' });
    try {
      await request(t.server).get('/openapi.json').expect(200);
      // Public like the other docs routes, even with keys required.
      await request(t.server).get('/redoc').expect(200);
    } finally {
      await t.close();
    }
  });

  it('staging allows the listed origins with credentials only', async () => {
    const t = await createTestApp({ MFN_ENV: 'staging', MFN_API_KEY: 'k'.repeat(48), MFN_API_KEY_REQUIRED: 'false' });
    try {
      const ok = await request(t.server).get('/health').set('Origin', 'http://localhost:3000');
      expect(ok.headers['access-control-allow-origin']).toBe('http://localhost:3000');
      expect(ok.headers['access-control-allow-credentials']).toBe('true');
      const other = await request(t.server).get('/health').set('Origin', 'http://evil.test');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await t.close();
    }
  });
});
