import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecurityHeadersOptions, securityHeadersMiddleware } from './security-headers.middleware';

const API_CSP = "default-src 'none';frame-ancestors 'none'";
const SWAGGER_CSP =
  "default-src 'self';script-src 'self';style-src 'self' 'unsafe-inline';img-src 'self' data:;connect-src 'self';frame-ancestors 'none';object-src 'none';base-uri 'self'";
const HSTS = 'max-age=31536000; includeSubDomains';

/** The headers only an HTML document needs: helmet sets them on the docs pages, not on the API. */
const HTML_ONLY = [
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
];

/** A real Express app with the middleware in front of a catch-all answer, over real HTTP. */
async function serve(options: SecurityHeadersOptions, trustProxy = false): Promise<{ base: string; server: Server }> {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxy ? 1 : false);
  app.use(securityHeadersMiddleware(options));
  app.use((_req, res) => {
    res.status(200).json({ ok: true });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('securityHeadersMiddleware', () => {
  const servers: Server[] = [];
  afterAll(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

  async function headersOf(options: SecurityHeadersOptions, path: string, headers: Record<string, string> = {}, trustProxy = false) {
    const { base, server } = await serve(options, trustProxy);
    servers.push(server);
    const res = await fetch(`${base}${path}`, { headers });
    await res.arrayBuffer();
    return res.headers;
  }

  it('gives API responses the REST set, no caching, and none of the HTML-only headers', async () => {
    const h = await headersOf({ docsEnabled: true }, '/nernst');
    expect(h.get('content-security-policy')).toBe(API_CSP);
    expect(h.get('x-content-type-options')).toBe('nosniff');
    expect(h.get('x-frame-options')).toBe('DENY');
    expect(h.get('referrer-policy')).toBe('no-referrer');
    expect(h.get('cache-control')).toBe('no-store');
    expect(h.get('strict-transport-security')).toBeNull();
    for (const name of HTML_ONLY) expect(h.get(name)).toBeNull();
  });

  it.each(['/docs', '/DOCS/', '/docs/swagger-ui.css', '/openapi.json'])("gives the Swagger UI path %s its CSP and helmet's full set, cacheable", async (path) => {
    const h = await headersOf({ docsEnabled: true }, path);
    expect(h.get('content-security-policy')).toBe(SWAGGER_CSP);
    expect(h.get('x-frame-options')).toBe('DENY');
    expect(h.get('referrer-policy')).toBe('no-referrer');
    expect(h.get('cache-control')).toBeNull();
    for (const name of HTML_ONLY) expect(h.get(name)).not.toBeNull();
  });

  it('gives a further docs page its own CSP, in any letter case', async () => {
    const options = { docsEnabled: true, docsPages: { '/redoc': { defaultSrc: ["'self'"], scriptSrc: ['https://cdn.example/x.js'] } } };
    for (const path of ['/redoc', '/ReDoc/']) {
      const h = await headersOf(options, path);
      expect(h.get('content-security-policy')).toBe("default-src 'self';script-src https://cdn.example/x.js");
      expect(h.get('x-frame-options')).toBe('DENY');
    }
    expect((await headersOf(options, '/redocs')).get('content-security-policy')).toBe(API_CSP);
  });

  it('treats the docs paths as API paths when docs are off', async () => {
    const h = await headersOf({ docsEnabled: false, docsPages: { '/redoc': { defaultSrc: ["'self'"] } } }, '/docs');
    expect(h.get('content-security-policy')).toBe(API_CSP);
    expect(h.get('cache-control')).toBe('no-store');
    expect((await headersOf({ docsEnabled: false, docsPages: { '/redoc': { defaultSrc: ["'self'"] } } }, '/redoc')).get('content-security-policy')).toBe(API_CSP);
  });

  it('sends HSTS for HTTPS through a trusted proxy only, on API and docs paths alike', async () => {
    const https = { 'X-Forwarded-Proto': 'https' };
    expect((await headersOf({}, '/health', https, true)).get('strict-transport-security')).toBe(HSTS);
    const docs = await headersOf({ docsEnabled: true }, '/docs', https, true);
    expect(docs.get('strict-transport-security')).toBe(HSTS);
    expect(docs.get('content-security-policy')).toBe(SWAGGER_CSP);
    // Without trusted proxy headers the forwarded protocol means nothing.
    expect((await headersOf({}, '/health', https, false)).get('strict-transport-security')).toBeNull();
    expect((await headersOf({}, '/health', {}, true)).get('strict-transport-security')).toBeNull();
  });
});
