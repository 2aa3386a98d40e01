import type { OpenAPIObject, ParameterObject } from '@nestjs/swagger';
import request from 'supertest';
import { runInNewContext } from 'node:vm';
import { ErrorCode } from '../src/common';
import { CryptoApiErrors } from '../src/crypto/crypto-api-errors';
import { EXAMPLE_KEY_ID } from '../src/crypto/dto/fields';
import { buildOpenApiDocument } from '../src/docs/openapi';
import { DEMO, PLACEHOLDERS, operationsOf } from '../src/docs/request-examples';
import { TEST_MASTER_KEY, TestApp, createTestApp } from './helpers/test-app';

/** Small compute pool: the examples are small. */
const DEV_ENV = { MFN_COMPUTE_WORKERS: '2' };

const ENVELOPE_FIELDS = ['error_code', 'message', 'detail', 'details', 'details_truncated', 'request_id', 'timestamp', 'retry_after'];

/** The error codes each status may document: what the service answers with that status. */
const CODES_FOR_STATUS: ReadonlyMap<number, string[]> = new Map([
  [400, [ErrorCode.INVALID_REQUEST, ErrorCode.DECRYPTION_FAILED, ErrorCode.VERIFICATION_FAILED]],
  [401, [ErrorCode.AUTHENTICATION_REQUIRED, ErrorCode.INVALID_API_KEY]],
  [403, [ErrorCode.FORBIDDEN]],
  [404, [ErrorCode.NOT_FOUND]],
  // Whatever the key routes answer a conflict with (CryptoErrors), not a name written here.
  [409, [CryptoApiErrors.keyExists().code]],
  [413, [ErrorCode.PAYLOAD_TOO_LARGE]],
  [415, [ErrorCode.UNSUPPORTED_MEDIA_TYPE]],
  [422, [ErrorCode.VALIDATION_ERROR]],
  [429, [ErrorCode.RATE_LIMIT_EXCEEDED]],
  [500, [ErrorCode.INTERNAL_ERROR, ErrorCode.COMPUTATION_FAILED, ErrorCode.NUMERICAL_INSTABILITY]],
  [503, [ErrorCode.SERVICE_UNAVAILABLE]],
  [504, [ErrorCode.GATEWAY_TIMEOUT]],
]);

interface EnvelopeExample {
  summary: string;
  value: Record<string, unknown>;
}

function errorExamplesOf(document: OpenAPIObject): { operation: string; status: number; examples: EnvelopeExample[] }[] {
  const out: { operation: string; status: number; examples: EnvelopeExample[] }[] = [];
  for (const { id, operation } of operationsOf(document)) {
    for (const [status, response] of Object.entries(operation.responses)) {
      if (Number(status) < 400) continue;
      const media = response && 'content' in response ? response.content?.['application/json'] : undefined;
      expect({ id, status, schema: media?.schema }).toEqual({ id, status, schema: { $ref: '#/components/schemas/ErrorEnvelopeDto' } });
      out.push({ operation: id, status: Number(status), examples: Object.values(media?.examples ?? {}) as EnvelopeExample[] });
    }
  }
  return out;
}

/** The document as the Swagger UI page gets it: swagger-ui-init.js run against a stand-in for the page. */
async function swaggerUiDocument(t: TestApp): Promise<OpenAPIObject> {
  const js = (await request(t.server).get('/docs/swagger-ui-init.js').expect(200)).text;
  let spec: OpenAPIObject | undefined;
  const ui = Object.assign(
    (options: { spec: OpenAPIObject }) => {
      spec = options.spec;
      return { initOAuth: () => undefined, authActions: { authorize: () => undefined } };
    },
    { presets: { apis: {} }, plugins: { DownloadUrl: {} } },
  );
  const page = { window: { location: { search: '', origin: 'http://docs.test' } as object, onload: undefined as undefined | (() => void) }, SwaggerUIBundle: ui, SwaggerUIStandalonePreset: {} };
  runInNewContext(js, page);
  page.window.onload?.();
  if (!spec) throw new Error('swagger-ui-init.js did not start Swagger UI');
  return spec;
}

/** Sends an operation's example request as Swagger UI's "Execute" does; the status. */
async function execute(t: TestApp, method: string, path: string, operation: OpenAPIObject['paths'][string]['get']): Promise<number> {
  let url = path;
  for (const p of (operation?.parameters ?? []) as ParameterObject[]) {
    if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(String(p.example)));
  }
  const media = operation?.requestBody && 'content' in operation.requestBody ? operation.requestBody.content['application/json'] : undefined;
  const req = request(t.server)[method as 'get'](url);
  const res = media ? await req.set('content-type', 'application/json').send(JSON.stringify(media.example)) : await req;
  return res.status;
}

describe('OpenAPI document', () => {
  let t: TestApp;
  let document: OpenAPIObject;

  beforeAll(async () => {
    t = await createTestApp(DEV_ENV);
    document = buildOpenApiDocument(t.app, t.config);
  });
  afterAll(() => t?.close());

  it('names every operation after its handler: readable and unique across the document', () => {
    const ids = operationsOf(document).map((o) => o.id);
    expect(ids.length).toBeGreaterThan(20);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][A-Za-z0-9]*$/);
    expect(ids.filter((id) => /controller|_/i.test(id))).toEqual([]);
    expect(ids).toEqual(expect.arrayContaining(['nernst', 'simulate', 'encrypt', 'decrypt', 'rotateKey', 'createKey', 'deleteKey', 'liveness', 'metrics']));
    expect(document.paths['/api/keys/{key_id}/rotate'].post?.operationId).toBe('rotateKey');
  });

  it('shows for every error status the envelopes the service answers with it, and only those', () => {
    const all = errorExamplesOf(document);
    expect(all.length).toBeGreaterThan(200);
    for (const { operation, status, examples } of all) {
      const where = `${operation} ${status}`;
      expect({ where, examples: examples.length > 0 }).toEqual({ where, examples: true });
      for (const { value } of examples) {
        expect({ where, code: CODES_FOR_STATUS.get(status)?.includes(String(value.error_code)) }).toEqual({ where, code: true });
        expect(Object.keys(value).filter((k) => !ENVELOPE_FIELDS.includes(k))).toEqual([]);
        expect(value.detail).toBe(value.message);
        expect(value).toMatchObject({ request_id: expect.any(String), timestamp: expect.any(String) });
        if (status === 422) expect((value.details as unknown[]).length).toBeGreaterThan(0);
        if (status === 429) expect(value.retry_after).toEqual(expect.any(Number));
        if (status !== 429 && status !== 503) expect(value.retry_after).toBeUndefined();
      }
    }
    const protectedRoute = all.find((e) => e.operation === 'encrypt' && e.status === 401)!;
    expect(protectedRoute.examples.map((e) => e.value.error_code).sort()).toEqual([ErrorCode.AUTHENTICATION_REQUIRED, ErrorCode.INVALID_API_KEY]);
    // Operation-specific examples: the key routes' own conflicts and missing keys.
    const rotate409 = all.find((e) => e.operation === 'rotateKey' && e.status === 409)!;
    expect(rotate409.examples.map((e) => e.summary)).toEqual(expect.arrayContaining([expect.stringMatching(/maximum of \d+ versions/)]));
    const delete409 = all.find((e) => e.operation === 'deleteKey' && e.status === 409)!;
    expect(delete409.examples.map((e) => e.summary)).toEqual([expect.stringMatching(/cannot be deleted/)]);
  });

  it('documents errors exactly as the service sends them', async () => {
    const examples = (operation: string, status: number) => errorExamplesOf(document).find((e) => e.operation === operation && e.status === status)!.examples;
    const same = (body: Record<string, unknown>) => ({ ...body, request_id: 'id', timestamp: 'time' });

    const unsupported = await request(t.server).post('/api/encrypt').set('content-type', 'text/plain').send('x').expect(415);
    expect(examples('encrypt', 415).map((e) => same(e.value))).toEqual([same(unsupported.body)]);
    const notAnObject = await request(t.server).post('/nernst').set('content-type', 'application/json').send('[]').expect(422);
    expect(examples('nernst', 422).map((e) => same(e.value))).toEqual([same(notAnObject.body)]);
    const malformed = await request(t.server).post('/nernst').set('content-type', 'application/json').send('{"a":').expect(400);
    expect(examples('nernst', 400).map((e) => same(e.value))).toContainEqual(same(malformed.body));
    await request(t.server).post('/api/keypair').send({ key_id: EXAMPLE_KEY_ID }).expect(200);
    const conflict = await request(t.server).post('/api/keypair').send({ key_id: EXAMPLE_KEY_ID }).expect(409);
    expect(examples('keypair', 409).map((e) => same(e.value))).toContainEqual(same(conflict.body));
    const missing = await request(t.server).post('/api/encrypt').send({ plaintext: 'aGk=', key_id: EXAMPLE_KEY_ID.replace('0', 'f') }).expect(404);
    expect(examples('encrypt', 404).map((e) => e.value.error_code)).toEqual([missing.body.error_code]);
  });

  it('gives every operation with a body or path parameters a request example of its own', () => {
    for (const { id, operation } of operationsOf(document)) {
      const media = operation.requestBody && 'content' in operation.requestBody ? operation.requestBody.content['application/json'] : undefined;
      if (operation.requestBody) expect({ id, example: media?.example !== undefined }).toEqual({ id, example: true });
      for (const p of (operation.parameters ?? []) as ParameterObject[]) {
        if (p.in === 'path') expect({ id, parameter: p.name, example: typeof p.example }).toEqual({ id, parameter: p.name, example: 'string' });
      }
    }
    // Creating operations let the service choose the id, so a second try does not collide.
    for (const id of ['createKey', 'keypair']) {
      const op = operationsOf(document).find((o) => o.id === id)!.operation;
      const body = (op.requestBody as { content: Record<string, { example: Record<string, unknown> }> }).content['application/json'].example;
      expect({ id, key_id: body.key_id }).toEqual({ id, key_id: undefined });
    }
  });

  it('is the same document on every build, whatever the service holds', async () => {
    const other = await createTestApp({ ...DEV_ENV, MFN_MASTER_KEY: TEST_MASTER_KEY });
    try {
      await request(other.server).post('/api/encrypt').send({ plaintext: 'aGk=' }).expect(200);
      expect(JSON.stringify(buildOpenApiDocument(other.app, other.config))).toBe(JSON.stringify(document));
    } finally {
      await other.close();
    }
    // /openapi.json is that document, placeholders included.
    const served = await request(t.server).get('/openapi.json').expect(200);
    expect(served.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(served.body).toEqual(JSON.parse(JSON.stringify(document)));
    expect(served.text).toContain(PLACEHOLDERS.ciphertext);
  });
});

describe('Swagger UI examples in the dev profile', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(DEV_ENV);
  });
  afterAll(() => t?.close());

  it('succeed for every operation, on the first try and on the next', async () => {
    const page = await swaggerUiDocument(t);
    const serialized = JSON.stringify(page);
    expect(serialized).not.toContain(PLACEHOLDERS.ciphertext);
    expect(serialized).not.toContain(PLACEHOLDERS.signature);
    const operations = operationsOf(page);
    expect(operations.length).toBe(operationsOf(buildOpenApiDocument(t.app, t.config)).length);

    const run = async () => {
      const statuses = new Map<string, number>();
      for (const { id, method, path, operation } of operations) statuses.set(id, await execute(t, method, path, operation));
      return statuses;
    };
    const first = await run();
    expect([...first].filter(([, status]) => status < 200 || status > 299)).toEqual([]);
    const again = await run();
    // The deletable demo key is gone after the first DELETE and the demo job to cancel is
    // cancelled (a job that has ended cannot be cancelled again: 409); everything else succeeds again.
    expect([...again].filter(([, status]) => status < 200 || status > 299).sort()).toEqual([['cancelJob', 409], ['deleteKey', 404]]);

    // The next page load prepares a deletable key again; the page's own keys are there, once each.
    const reloaded = operationsOf(await swaggerUiDocument(t)).find((o) => o.id === 'deleteKey')!;
    const keys = (await request(t.server).get('/api/keys').expect(200)).body.keys as string[];
    expect(keys.filter((k) => k.startsWith('docs-demo-')).sort()).toEqual([DEMO.aesKey, DEMO.deletableKey, DEMO.x25519Key]);
    expect(await execute(t, reloaded.method, reloaded.path, reloaded.operation)).toBe(204);
  });

  it('verify holds a signature and decrypt a ciphertext of this service', async () => {
    const page = await swaggerUiDocument(t);
    const body = (id: string) =>
      (operationsOf(page).find((o) => o.id === id)!.operation.requestBody as { content: Record<string, { example: Record<string, string> }> }).content['application/json'].example;
    expect((await request(t.server).post('/api/verify').send(body('verify')).expect(200)).body.valid).toBe(true);
    const opened = await request(t.server).post('/api/decrypt').send(body('decrypt')).expect(200);
    expect(opened.body.plaintext).toBe(body('encrypt').plaintext);
  });

  it('stay as built when API keys are required (each caller has its own tenant)', async () => {
    const keyed = await createTestApp({ ...DEV_ENV, MFN_API_KEY: 'docs-test-key-0123456789abcdef0123456789', MFN_API_KEY_REQUIRED: 'true' });
    try {
      expect(JSON.stringify(await swaggerUiDocument(keyed))).toContain(PLACEHOLDERS.ciphertext);
    } finally {
      await keyed.close();
    }
  });
});
