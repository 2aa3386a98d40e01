import request from 'supertest';
import { TEST_MASTER_KEY, TestApp, createTestApp } from './helpers/test-app';

const KEY = 'service-index-api-key-0123456789abcdef';

/** GET /: the service's name, version and public links, without a key, documented in the OpenAPI document. */
describe('GET / (service index)', () => {
  describe('dev (docs on)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({});
    });
    afterAll(async () => {
      await t.close();
    });

    it('names the service and links the probes and the docs', async () => {
      const res = await request(t.server).get('/').expect(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.body).toEqual({
        name: 'MFN Secure Service',
        version: t.config.version,
        links: { health: '/health', ready: '/health/ready', docs: '/docs', redoc: '/redoc', openapi: '/openapi.json' },
      });
      for (const path of Object.values(res.body.links as Record<string, string>)) {
        expect({ path, status: (await request(t.server).get(path)).status }).toEqual({ path, status: 200 });
      }
    });

    it('is in the OpenAPI document, public (no security requirement), with its answer described', async () => {
      const doc = (await request(t.server).get('/openapi.json').expect(200)).body;
      const op = doc.paths['/'].get;
      expect(op).toBeDefined();
      expect(op.security).toBeUndefined();
      expect(doc.paths['/nernst'].post.security).toBeDefined();
      const schema = op.responses['200'].content['application/json'].schema;
      expect(schema.$ref).toBe('#/components/schemas/ServiceIndexDto');
      expect(Object.keys(doc.components.schemas.ServiceLinksDto.properties).sort()).toEqual(['docs', 'health', 'openapi', 'ready', 'redoc']);
      expect(doc.components.schemas.ServiceLinksDto.required.sort()).toEqual(['health', 'ready']);
    });

    it('other methods are 405 with Allow, like every known path', async () => {
      const res = await request(t.server).post('/').send({}).expect(405);
      expect(res.body.error_code).toBe('METHOD_NOT_ALLOWED');
      expect(res.headers.allow).toBe('GET, HEAD');
    });
  });

  describe('prod (keys required, docs off)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ MFN_ENV: 'prod', MFN_API_KEY: KEY, MFN_MASTER_KEY: TEST_MASTER_KEY });
    });
    afterAll(async () => {
      await t.close();
    });

    it('answers without a key and links only the probes', async () => {
      const res = await request(t.server).get('/').expect(200);
      expect(res.body).toEqual({ name: 'MFN Secure Service', version: t.config.version, links: { health: '/health', ready: '/health/ready' } });
      // Protected routes still want the key.
      await request(t.server).post('/nernst').send({}).expect(401);
    });
  });
});
