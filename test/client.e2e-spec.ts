import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorEnvelope, MfnClient, Schema, createMfnClient } from '../client/src';
import { OpenApiDocument, conformsTo } from './helpers/openapi-conformance';
import { TestApp, createTestApp } from './helpers/test-app';

// The generated client (client/) against the running service. Every call goes through
// conformsTo: an answer whose status or body openapi.json (the source of client/src/schema.d.ts)
// does not declare fails the call; test/openapi-file.e2e-spec.ts keeps both files current.

const API_KEY = randomBytes(24).toString('hex');
// eslint-disable-next-line security/detect-non-literal-fs-filename -- test code: the fixed path of the committed openapi.json
const document = JSON.parse(readFileSync(join(__dirname, '..', 'openapi.json'), 'utf8')) as OpenApiDocument;
const b64 = (text: string): string => Buffer.from(text).toString('base64');

type Single<T> = Exclude<T, Schema<'BatchResponseDto'>>;

/** The single (not batch_input) answer of a crypto operation, whose type is the union of both. */
function single<T extends object>(data: T | undefined): Single<T> {
  if (data === undefined || 'batch_results' in data) throw new Error(`expected a single answer, got ${JSON.stringify(data)}`);
  return data as Single<T>;
}

describe('typed client (client/) against the service', () => {
  let t: TestApp;
  let baseUrl: string;
  let client: MfnClient;

  const clientWith = (apiKey?: string): MfnClient => {
    const c = createMfnClient({ baseUrl, apiKey });
    c.use(conformsTo(document));
    return c;
  };

  beforeAll(async () => {
    t = await createTestApp({
      MFN_API_KEY_REQUIRED: 'true',
      MFN_API_KEYS: JSON.stringify({ keys: [{ id: 'client-suite', key: API_KEY }] }),
      MFN_MASTER_KEY: randomBytes(32).toString('base64'),
    });
    baseUrl = await t.listen();
    client = clientWith(API_KEY);
  });
  afterAll(() => t.close());

  it('POST /nernst: the K+ example', async () => {
    const { data, error, response } = await client.POST('/nernst', {
      body: { concentration_out_molar: 0.005, concentration_in_molar: 0.14 },
    });
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    const potential: number | undefined = data?.potential_mV;
    expect(potential).toBeCloseTo(-89.0107, 3);
  });

  it('POST /api/encrypt then /api/decrypt round-trips with associated data', async () => {
    const enc = await client.POST('/api/encrypt', { body: { plaintext: b64('typed client'), associated_data: b64('aad') } });
    const sealed = single(enc.data);
    expect(sealed.algorithm).toBe('AES-256-GCM');
    expect(sealed.ciphertext).toMatch(/^mfn:v1:/);

    const dec = await client.POST('/api/decrypt', { body: { ciphertext: sealed.ciphertext, associated_data: b64('aad') } });
    const opened = single(dec.data);
    expect(Buffer.from(opened.plaintext, 'base64').toString()).toBe('typed client');
    expect(opened.key_id).toBe(sealed.key_id);
    expect(opened.key_version).toBe(sealed.key_version);
  });

  it('POST /api/sign then /api/verify: the signature verifies, a changed message does not', async () => {
    const signed = single((await client.POST('/api/sign', { body: { message: b64('release 4.1.0') } })).data);
    expect(signed.algorithm).toBe('Ed25519');

    const check = async (message: string) =>
      single((await client.POST('/api/verify', { body: { message: b64(message), signature: signed.signature, key_id: signed.key_id } })).data);
    const good = await check('release 4.1.0');
    expect(good).toEqual({ valid: true, key_id: signed.key_id, algorithm: 'Ed25519' });
    expect((await check('release 4.1.1')).valid).toBe(false);
  });

  it('without an API key: 401 AUTHENTICATION_REQUIRED as an ErrorEnvelope', async () => {
    const { data, error, response } = await clientWith().POST('/nernst', {
      body: { concentration_out_molar: 0.005, concentration_in_molar: 0.14 },
    });
    expect(data).toBeUndefined();
    expect(response.status).toBe(401);
    const envelope: ErrorEnvelope | undefined = error;
    expect(envelope?.error_code).toBe('AUTHENTICATION_REQUIRED');
    expect(envelope?.request_id).toBe(response.headers.get('x-request-id'));
  });

  it('an out-of-range field: 422 VALIDATION_ERROR with typed details', async () => {
    const { data, error, response } = await client.POST('/nernst', {
      body: { concentration_out_molar: 0.005, concentration_in_molar: 0.14, z_valence: 9 },
    });
    expect(data).toBeUndefined();
    expect(response.status).toBe(422);
    if (error === undefined) throw new Error('expected an error envelope');
    expect(error.error_code).toBe('VALIDATION_ERROR');
    expect(error.detail).toBe(error.message);
    const details: Schema<'ErrorDetailDto'>[] = error.details ?? [];
    expect(details).toContainEqual(expect.objectContaining({ field: 'body.z_valence', value: 9 }));
  });

  it('key administration: create a named key, then read it by id', async () => {
    const created = await client.POST('/api/keys', { body: { type: 'Ed25519', key_id: 'client-signing' } });
    expect(created.response.status).toBe(201);
    expect(created.data?.key_id).toBe('client-signing');

    const read = await client.GET('/api/keys/{key_id}', { params: { path: { key_id: 'client-signing' } } });
    expect(read.error).toBeUndefined();
    expect(read.data).toMatchObject({ key_id: 'client-signing', type: 'Ed25519', latest_version: 1 });
    expect(read.data?.versions[0].public_key).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });
});
