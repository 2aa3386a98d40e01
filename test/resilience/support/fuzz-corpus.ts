import fc from 'fast-check';

/**
 * The seeded request corpus of the fuzz suite: every route of the service (compute, crypto, key
 * administration, probes, metrics, docs) plus unknown paths, with hostile field values (wrong
 * types, missing and extra fields, huge and tiny numbers, NaN/Infinity as strings and as bare
 * tokens, deep nesting, long strings, invalid base64), hostile bodies (not JSON, JSON scalars,
 * invalid UTF-8, wrong content types, oversized), hostile headers (bad X-Request-IDs, wrong and
 * non-ASCII API keys), odd methods and path spellings, and raw wire requests that Node's own
 * client refuses to send (malformed request lines and headers, broken framing).
 *
 * The same seed always gives the same corpus.
 */

/** Written into a JSON body verbatim (tokens JSON.stringify cannot produce: NaN, 1e400, deep nesting). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** A body too large for its route, built only when it is sent (the corpus stays small). */
export interface OversizedBody {
  oversizedBytes: number;
}

export interface FuzzRequest {
  index: number;
  /** `http`: sent with Node's HTTP client; `raw`: the exact bytes in `raw` on a fresh socket. */
  kind: 'http' | 'raw';
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer | OversizedBody;
  raw?: Buffer;
  /** The X-Request-ID the service must echo (a well-formed client id); otherwise it mints one. */
  keptRequestId?: string;
  /** Short description for failure reports (never the whole body). */
  label: string;
}

/** API keys of the profile under test, by what they may do. */
export interface FuzzKeys {
  admin: string;
  compute: string;
  crypto: string;
  keys: string;
}

/** Values made by the service under test (setup), so decrypt and verify can also succeed. */
export interface KnownSamples {
  /** Ciphertext of `message` under the key `fuzz-aes`, without associated data. */
  ciphertext: string;
  /** Signature of `message` under the key `fuzz-ed`. */
  signature: string;
  /** Base64 of the message. */
  message: string;
}

export interface CorpusOptions {
  seed: number;
  count: number;
  known: KnownSamples;
  /** Keys to present (prod profiles); without them no key or random keys are sent. */
  keys?: FuzzKeys;
  /** Body limits of the service, for the oversized cases. */
  maxBodyBytes: number;
  aggregateMaxBytes: number;
}

/** Key ids the corpus creates through POST /api/keys and then addresses on the key routes. */
export const FUZZ_KEY_IDS = ['fuzz-aes', 'fuzz-ed', 'fuzz-x'] as const;

const MAX_SEED = 4294967295;

// ---------------------------------------------------------------- values

const nastyNumbers = fc.constantFrom(
  0, -0, -1, 1.5, 0.1 + 0.2, 1e308, -1e308, 5e-324, -5e-324, 2 ** 53 + 2, -(2 ** 63), MAX_SEED + 1, 2 ** 31, 1e-300,
);

const nastyStrings = fc.constantFrom(
  '', ' ', 'NaN', 'Infinity', '-Infinity', '1e999', '0x1F', '1', '42 ', 'true', 'null', '\u0000', '\uFEFF', '\u202Eevil',
  '\uD83D\uDE00', '\uD800', "' OR '1'='1", '1; DROP TABLE keys', '<script>alert(1)</script>', 'javascript:alert(1)',
  '../../etc/passwd', '%00', '${jndi:ldap://x/a}', '{{7*7}}', '__proto__', 'constructor', 'a\r\nSet-Cookie: x=1',
);

/** Tokens only a hand-written JSON text can carry; several make the body invalid JSON (400). */
const rawTokens = fc
  .constantFrom(
    'NaN', 'Infinity', '-Infinity', '1e400', '-1e400', '1e-400', `1${'0'.repeat(400)}`, `0.${'0'.repeat(400)}1`, '-0',
    '01', '1.', '.5', '+1', '0x10', 'undefined', "'x'", '"\\ud800"', '"\\u0000"', '"\\x41"', 'tru', '[1,]', '{"a":1,}',
  )
  .map((t) => new RawJson(t));

const longString = fc
  .tuple(fc.integer({ min: 1_000, max: 200_000 }), fc.constantFrom('A', 'x', '=', '€', '\u0000', ' ', 'ab+/'))
  .map(([n, unit]) => unit.repeat(Math.ceil(n / unit.length)));

const deepNesting = fc
  .tuple(fc.integer({ min: 2, max: 20_000 }), fc.boolean())
  .map(([depth, array]) => new RawJson(array ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)));

const smallJson = fc.jsonValue({ maxDepth: 3 });

/** Anything that should not be accepted where a typed field is expected (and some that may be). */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: nastyNumbers, weight: 4 },
  { arbitrary: nastyStrings, weight: 4 },
  { arbitrary: rawTokens, weight: 3 },
  { arbitrary: fc.constant(null), weight: 1 },
  { arbitrary: fc.boolean(), weight: 1 },
  { arbitrary: fc.double(), weight: 2 },
  { arbitrary: smallJson, weight: 3 },
  { arbitrary: longString, weight: 1 },
  { arbitrary: deepNesting, weight: 1 },
);

type FieldSpec = (
  | { kind: 'int'; min: number; max: number; cheap?: [number, number] }
  | { kind: 'num'; min: number; max: number }
  | { kind: 'bool' }
  | { kind: 'base64'; maxBytes: number }
  | { kind: 'keyId' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'gradients' }
  | { kind: 'versioned' }
) & {
  /** The value of a well-formed request (undefined = leave the field out); else a valid value. */
  wellFormed?: (known: KnownSamples) => fc.Arbitrary<unknown>;
};

const base64Of = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

const invalidBase64 = fc.constantFrom('!!!', 'abc', 'ab==c', 'YQ', 'YQ=', 'YR==', 'aGk= ', ' aGk=', 'aG\nk=', '-_-_', '====', 'aGk=aGk=', '\u00e9\u00e9\u00e9\u00e9');

const keyIdValue = fc.oneof(
  { arbitrary: fc.constantFrom(...FUZZ_KEY_IDS, 'update-2024', 'key_0123456789abcdef0123456789abcdef'), weight: 3 },
  { arbitrary: fc.stringMatching(/^[A-Za-z0-9._:-]{1,64}$/), weight: 2 },
  { arbitrary: fc.constantFrom('', 'a b', 'x'.repeat(65), '../etc', 'k\u00fcy', 'drop table;--', '<img onerror=1>'), weight: 2 },
);

const gradientsValue: fc.Arbitrary<unknown> = fc.oneof(
  {
    // Well-formed: n rows of d finite values (small, so the aggregation stays cheap).
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 8 }))
      .chain(([n, d]) => fc.array(fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: d, maxLength: d }), { minLength: n, maxLength: n })),
    weight: 4,
  },
  { arbitrary: fc.constantFrom([], [[]], [[1, 2], [3]], [[1e39]], [[1, 2], [1, 'a']], [1, 2], [[null]], { 0: [1] }, [[true]]), weight: 3 },
  { arbitrary: fc.array(fc.array(hostileValue, { maxLength: 3 }), { maxLength: 3 }), weight: 1 },
);

/** A value the field accepts; unless `strict`, sometimes a near miss of its format. */
function validValue(spec: FieldSpec, known: KnownSamples, strict = false): fc.Arbitrary<unknown> {
  if (strict && spec.wellFormed) return spec.wellFormed(known);
  switch (spec.kind) {
    case 'int': {
      // Compute cost grows with the size fields: valid values stay mostly cheap, the maximum is rare.
      const [lo, hi] = spec.cheap ?? [spec.min, spec.max];
      return fc.oneof({ arbitrary: fc.integer({ min: lo, max: hi }), weight: 9 }, { arbitrary: fc.constantFrom(spec.min, spec.max), weight: 1 });
    }
    case 'num':
      return fc.double({ min: spec.min, max: spec.max, noNaN: true, noDefaultInfinity: true });
    case 'bool':
      return fc.boolean();
    case 'base64': {
      const valid = fc.uint8Array({ maxLength: spec.maxBytes }).map(base64Of);
      return strict ? valid : fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: invalidBase64, weight: 1 });
    }
    case 'keyId':
      return strict ? fc.constant(undefined) : keyIdValue;
    case 'enum':
      if (strict) return fc.constantFrom(...spec.values);
      return fc.oneof({ arbitrary: fc.constantFrom(...spec.values), weight: 4 }, { arbitrary: fc.constantFrom('ed25519', 'ECDH ', 'RSA', 'AES-128-GCM'), weight: 1 });
    case 'gradients':
      return gradientsValue;
    case 'versioned':
      return fc.oneof(
        fc.constantFrom(known.ciphertext, known.signature),
        fc.uint8Array({ minLength: 28, maxLength: 96 }).map((b) => `mfn:v1:${base64Of(b)}`),
        fc.uint8Array({ minLength: 64, maxLength: 64 }).map(base64Of),
        fc.constantFrom('mfn:v0:AAAA', 'mfn:v01:AAAA', 'mfn:v99999999999999999999:AAAA', 'mfn:vx:AAAA', 'mfn:', 'mfn:v1:', 'mfn:v1:!!!!'),
      );
  }
}

function boundaryValue(spec: FieldSpec): fc.Arbitrary<unknown> {
  if (spec.kind === 'int') return fc.constantFrom(spec.min - 1, spec.max + 1, spec.min + 0.5, -spec.max);
  if (spec.kind === 'num') return fc.constantFrom(spec.min - 1e-9, spec.max + 1e-9, -spec.max, spec.max * 10);
  return hostileValue;
}

function fieldValue(spec: FieldSpec, known: KnownSamples): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: validValue(spec, known), weight: 6 },
    { arbitrary: hostileValue, weight: 3 },
    { arbitrary: boundaryValue(spec), weight: 1 },
  );
}

// ---------------------------------------------------------------- routes

type Fields = Record<string, FieldSpec>;

interface RouteSpec {
  method: 'GET' | 'POST';
  /** Path template; `{key_id}` is filled per request. */
  path: string;
  fields?: Fields;
  weight: number;
}

const SEED: FieldSpec = { kind: 'int', min: 0, max: MAX_SEED };
const GRID: FieldSpec = { kind: 'int', min: 8, max: 256, cheap: [8, 24] };
const STEPS: FieldSpec = { kind: 'int', min: 1, max: 1000, cheap: [1, 40] };

const ROUTES: RouteSpec[] = [
  {
    method: 'POST',
    path: '/nernst',
    weight: 12,
    fields: {
      z_valence: { kind: 'int', min: 1, max: 3 },
      concentration_out_molar: { kind: 'num', min: Number.MIN_VALUE, max: 1e308 },
      concentration_in_molar: { kind: 'num', min: Number.MIN_VALUE, max: 1e308 },
      temperature_k: { kind: 'num', min: 273, max: 373 },
    },
  },
  {
    method: 'POST',
    path: '/simulate',
    weight: 6,
    fields: {
      seed: SEED,
      grid_size: GRID,
      steps: STEPS,
      alpha: { kind: 'num', min: 0, max: 1 },
      spike_probability: { kind: 'num', min: 0, max: 1 },
      turing_enabled: { kind: 'bool' },
      threshold_mV: { kind: 'num', min: -95, max: 40 },
    },
  },
  {
    method: 'POST',
    path: '/validate',
    weight: 4,
    fields: {
      seed: SEED,
      epochs: { kind: 'int', min: 1, max: 100, cheap: [1, 2] },
      batch_size: { kind: 'int', min: 1, max: 64 },
      grid_size: GRID,
      steps: { kind: 'int', min: 1, max: 1000, cheap: [1, 8] },
      turing_enabled: { kind: 'bool' },
      quantum_jitter: { kind: 'bool' },
    },
  },
  {
    method: 'POST',
    path: '/federated/aggregate',
    weight: 5,
    fields: {
      gradients: { kind: 'gradients' },
      num_clusters: { kind: 'int', min: 1, max: 1000 },
      byzantine_fraction: { kind: 'num', min: 0, max: 0.49 },
      seed: SEED,
    },
  },
  {
    method: 'POST',
    path: '/api/encrypt',
    weight: 6,
    fields: {
      plaintext: { kind: 'base64', maxBytes: 256 },
      key_id: { kind: 'keyId', wellFormed: () => fc.constantFrom(undefined, 'fuzz-aes') },
      associated_data: { kind: 'base64', maxBytes: 32 },
    },
  },
  {
    method: 'POST',
    path: '/api/decrypt',
    weight: 5,
    fields: {
      ciphertext: { kind: 'versioned', wellFormed: (k) => fc.constant(k.ciphertext) },
      key_id: { kind: 'keyId', wellFormed: () => fc.constant('fuzz-aes') },
      associated_data: { kind: 'base64', maxBytes: 32, wellFormed: () => fc.constant(undefined) },
    },
  },
  {
    method: 'POST',
    path: '/api/sign',
    weight: 5,
    fields: { message: { kind: 'base64', maxBytes: 256 }, key_id: { kind: 'keyId', wellFormed: () => fc.constantFrom(undefined, 'fuzz-ed') } },
  },
  {
    method: 'POST',
    path: '/api/verify',
    weight: 5,
    fields: {
      message: { kind: 'base64', maxBytes: 256, wellFormed: (k) => fc.constant(k.message) },
      signature: { kind: 'versioned', wellFormed: (k) => fc.constant(k.signature) },
      public_key: { kind: 'base64', maxBytes: 40, wellFormed: () => fc.constant(undefined) },
      key_id: { kind: 'keyId', wellFormed: () => fc.constant('fuzz-ed') },
    },
  },
  { method: 'POST', path: '/api/keypair', weight: 3, fields: { algorithm: { kind: 'enum', values: ['Ed25519', 'ECDH'] }, key_id: { kind: 'keyId' } } },
  { method: 'POST', path: '/api/keys', weight: 3, fields: { type: { kind: 'enum', values: ['AES-256-GCM', 'Ed25519', 'X25519'] }, key_id: { kind: 'keyId' } } },
  { method: 'GET', path: '/api/keys/{key_id}', weight: 4 },
  { method: 'POST', path: '/api/keys/{key_id}/rotate', weight: 2 },
  { method: 'POST', path: '/api/keys/{key_id}/config', weight: 3, fields: { min_decryption_version: { kind: 'int', min: 1, max: 5, wellFormed: () => fc.constant(1) } } },
  { method: 'GET', path: '/health', weight: 4 },
  { method: 'GET', path: '/health/ready', weight: 3 },
  { method: 'GET', path: '/metrics', weight: 2 },
  { method: 'GET', path: '/docs', weight: 1 },
  { method: 'GET', path: '/docs/swagger-ui-init.js', weight: 1 },
  { method: 'GET', path: '/openapi.json', weight: 1 },
];

const UNKNOWN_PATHS = [
  '/', '/admin', '/.env', '/api', '/api/', '/api/keys', '/api/keys/', '/nernst/extra', '/healthz', '/health.json', '/metrics/x',
  '/docs/../metrics', '/%2e%2e/%2e%2e/etc/passwd', '/%', '/%zz', '/%c0%af', '/%00', '/%ff%fe', '/\u00e9', '/a;b=c', '/ws/simulation_live',
  '/redoc', '/federated', '/api/keys/fuzz-aes/rotate/extra',
];

const keyIdSegment = fc.oneof(
  { arbitrary: fc.constantFrom(...FUZZ_KEY_IDS), weight: 5 },
  { arbitrary: fc.stringMatching(/^[A-Za-z0-9._:-]{1,64}$/), weight: 2 },
  { arbitrary: fc.constantFrom('x'.repeat(65), '%20', '%00', '..', '%2e%2e', 'a%2Fb', '%E2%80%AE', '%ff', '%', 'k%C3%BCy', 'select%20*'), weight: 2 },
);

/** Spellings of a path that the router may or may not treat as the route. */
function spelled(path: string): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constant(path), weight: 12 },
    { arbitrary: fc.constant(path.toUpperCase()), weight: 1 },
    { arbitrary: fc.constant(`${path}/`), weight: 1 },
    { arbitrary: fc.constant(`/${path}`), weight: 1 },
    { arbitrary: fc.constant(`/.${path}`), weight: 1 },
    { arbitrary: fc.constant(`/x/..${path}`), weight: 1 },
    { arbitrary: fc.constant(`${path};jsessionid=1`), weight: 1 },
    { arbitrary: fc.constant(path.replace(/[a-z]/, (c) => `%${c.charCodeAt(0).toString(16)}`)), weight: 1 },
    { arbitrary: fc.constantFrom('?a=1', '?__proto__[x]=1', '?q=%27%20OR%201%3D1', '?x=<script>', '?&&&=', `?${'a=1&'.repeat(500)}`, '?%zz').map((q) => path + q), weight: 2 },
    { arbitrary: fc.constant(path + '/x'.repeat(1_000)), weight: 1 },
  );
}

// ---------------------------------------------------------------- bodies

function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : toJsonText(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`)
      .join(',')}}`;
  }
  const text = JSON.stringify(value);
  return text === undefined ? 'null' : text;
}

function objectBody(fields: Fields, known: KnownSamples): fc.Arbitrary<Buffer> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  // eslint-disable-next-line security/detect-object-injection -- `name` is a field name of the route table in this file
  for (const [name, spec] of Object.entries(fields)) model[name] = fieldValue(spec, known);
  const extra = fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'api_key', 'x'.repeat(300))), hostileValue, { maxKeys: 3 });
  return fc
    .tuple(fc.record(model, { requiredKeys: [] }), fc.oneof({ arbitrary: fc.constant({}), weight: 4 }, { arbitrary: extra, weight: 1 }))
    .map(([known, unknown]) => Buffer.from(toJsonText({ ...unknown, ...known }), 'utf8'));
}

const notAnObject = fc
  .oneof(fc.constantFrom('[]', '[1,2,3]', '"x"', '42', 'null', 'true', '""', '[{}]', '{}'), smallJson.map((v) => JSON.stringify(v)))
  .map((t) => Buffer.from(t, 'utf8'));

const malformedText = fc
  .constantFrom('{', '{"a":', '{"a":1}}', '{"a":1} trailing', "{'a':1}", '{a:1}', '// c\n{}', '/* c */{}', '\uFEFF{}', '{"a":1,}', '{"a" 1}', ' ', '\u0000', '{"a":"\u0001"}', '{"\\u0000":1}')
  .map((t) => Buffer.from(t, 'utf8'));

/** Bytes that are not UTF-8, inside a JSON string or as the whole body. */
const invalidUtf8 = fc.oneof(
  fc.constantFrom([0xc3, 0x28], [0xff], [0xfe, 0xff], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf]).chain((bad) =>
    fc.constantFrom('plaintext', 'key_id', 'concentration_out_molar', 'x', 'algorithm').map((field) =>
      Buffer.concat([Buffer.from(`{"${field}":"`), Buffer.from(bad), Buffer.from('"}')]),
    ),
  ),
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => Buffer.from(b)),
);

/**
 * A valid request with at most one fault: a field left out, or one field replaced by a hostile
 * value. These reach the handlers, where random bodies mostly stop at validation.
 */
function wellFormedBody(fields: Fields, known: KnownSamples): fc.Arbitrary<Buffer> {
  const names = Object.keys(fields);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  // eslint-disable-next-line security/detect-object-injection -- `name` is a field name of the route table in this file
  for (const name of names) model[name] = validValue(fields[name], known, true);
  return fc
    .tuple(fc.record(model), fc.constantFrom(...names), fc.constantFrom('keep', 'keep', 'drop', 'mutate'), hostileValue)
    .map(([values, target, fault, hostile]) => {
      const body: Record<string, unknown> = { ...values };
      // eslint-disable-next-line security/detect-object-injection -- `target` is a field name of the route table in this file
      if (fault === 'drop') delete body[target];
      // eslint-disable-next-line security/detect-object-injection -- `target` is a field name of the route table in this file
      if (fault === 'mutate') body[target] = hostile;
      return Buffer.from(toJsonText(body), 'utf8');
    });
}

function bodyFor(route: RouteSpec, known: KnownSamples): fc.Arbitrary<Buffer | undefined> {
  const shapes: fc.WeightedArbitrary<Buffer | undefined>[] = [
    { arbitrary: notAnObject, weight: 1 },
    { arbitrary: malformedText, weight: 1 },
    { arbitrary: invalidUtf8, weight: 1 },
    { arbitrary: deepNesting.map((d) => Buffer.from(d.text)), weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  ];
  if (route.fields) shapes.push({ arbitrary: objectBody(route.fields, known), weight: 14 });
  return fc.oneof(...shapes);
}

// ---------------------------------------------------------------- headers

const contentType = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 14 },
  {
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8', 'application/json; charset=UTF-8', 'application/json; charset=latin1',
      'application/json; charset=utf-16', 'application/json;;;', 'APPLICATION/JSON', 'application/vnd.api+json', 'text/plain',
      'text/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', '*/*', 'a/b/c', '',
      'application/json; charset="utf-8"', 'application/json; boundary=%00',
    ),
    weight: 3,
  },
  { arbitrary: fc.constant(undefined), weight: 1 },
);

/** Well-formed ids get a unique suffix so each response can be matched to its request. */
const requestIdChoice = fc.oneof(
  { arbitrary: fc.constant<{ id?: string; keep: boolean }>({ keep: false }), weight: 6 },
  { arbitrary: fc.stringMatching(/^[A-Za-z0-9._:-]{1,100}$/).map((id) => ({ id, keep: true })), weight: 3 },
  {
    arbitrary: fc
      .constantFrom('', ' ', 'x'.repeat(129), 'has space', '<script>alert(1)</script>', "1' OR '1'='1", 'a/b', 'caf\u00e9', '\u00ff\u00fe', 'id,other', 'a'.repeat(5_000))
      .map((id) => ({ id, keep: false })),
    weight: 2,
  },
);

function apiKeyChoice(keys: FuzzKeys | undefined): fc.Arbitrary<string | undefined> {
  const wrong = fc.constantFrom('', 'wrong-key-wrong-key-wrong-key-0000', 'k\u00fcy-with-latin1-\u00e9\u00e8-0123456789abcdef', 'x'.repeat(300), ' ', 'Bearer x');
  if (!keys) return fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: wrong, weight: 1 });
  return fc.oneof(
    { arbitrary: fc.constant(keys.admin), weight: 10 },
    { arbitrary: fc.constantFrom(keys.compute, keys.crypto, keys.keys), weight: 3 },
    { arbitrary: fc.constant(undefined), weight: 2 },
    { arbitrary: wrong, weight: 2 },
    { arbitrary: fc.constant(`${keys.admin} `), weight: 1 },
  );
}

const extraHeaders = fc.dictionary(
  fc.constantFrom('origin', 'accept', 'accept-encoding', 'content-encoding', 'x-forwarded-for', 'authorization', 'cookie', 'expect', 'range', 'if-none-match', 'x-http-method-override', 'access-control-request-method'),
  fc.constantFrom('http://evil.example', 'text/html', 'gzip, br', 'gzip', 'deflate', 'br', 'compress', '1.2.3.4, 5.6.7.8', 'Bearer abc', 'session=1', '100-continue', 'bytes=0-1', '*', 'DELETE', 'POST', '\u00e9\u00e8'),
  { maxKeys: 2 },
);

const methodFor = (route: RouteSpec) =>
  fc.oneof(
    { arbitrary: fc.constant(route.method), weight: 14 },
    { arbitrary: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND', 'PURGE', 'M-SEARCH', 'LOCK', 'SEARCH', 'REPORT', 'MKCOL'), weight: 2 },
  );

// ---------------------------------------------------------------- raw wire requests

const CRLF = '\r\n';

function rawRequests(keys: FuzzKeys | undefined): fc.Arbitrary<{ label: string; bytes: Buffer }> {
  const key = keys ? `X-API-Key: ${keys.admin}${CRLF}` : '';
  const json = `{"concentration_out_molar":0.005,"concentration_in_molar":0.14}`;
  const post = (head: string, body: string | Buffer) =>
    Buffer.concat([Buffer.from(`POST /nernst HTTP/1.1${CRLF}Host: fuzz${CRLF}${key}Content-Type: application/json${CRLF}Connection: close${CRLF}${head}${CRLF}`, 'latin1'), Buffer.from(body)]);
  const get = (line: string, head = `Host: fuzz${CRLF}`) => Buffer.from(`${line}${CRLF}${head}${key}Connection: close${CRLF}${CRLF}`, 'latin1');
  const cases: [string, Buffer][] = [
    ['unknown method token', get('BREW /health HTTP/1.1')],
    ['lower-case method', get('get /health HTTP/1.1')],
    ['method with a symbol', get('G@T /health HTTP/1.1')],
    ['no HTTP version', get('GET /health')],
    ['HTTP/2.0 request line', get('GET /health HTTP/2.0')],
    ['HTTP/9.9 request line', get('GET /health HTTP/9.9')],
    ['space inside the path', get('GET /he alth HTTP/1.1')],
    ['tab in the request line', get('GET\t/health HTTP/1.1')],
    ['control byte in a header value', get('GET /health HTTP/1.1', `Host: fuzz${CRLF}X-Request-ID: a\u0001b${CRLF}`)],
    ['space before the header colon', get('GET /health HTTP/1.1', `Host: fuzz${CRLF}X-Request-ID : abc${CRLF}`)],
    ['header without colon', get('GET /health HTTP/1.1', `Host: fuzz${CRLF}NoColonHere${CRLF}`)],
    ['obsolete line folding', get('GET /health HTTP/1.1', `Host: fuzz${CRLF}X-Long: a${CRLF} folded${CRLF}`)],
    ['20 KB header', get('GET /health HTTP/1.1', `Host: fuzz${CRLF}X-Big: ${'b'.repeat(20_000)}${CRLF}`)],
    ['20 KB request target', get(`GET /health?${'q'.repeat(20_000)} HTTP/1.1`)],
    ['HTTP/1.1 without Host', get('GET /health HTTP/1.1', '')],
    ['HTTP/1.1 without Host on a protected route', get('GET /api/keys/fuzz-aes HTTP/1.1', '')],
    ['two Host headers', get('GET /health HTTP/1.1', `Host: a${CRLF}Host: b${CRLF}`)],
    ['HTTP/1.0 without Host', get('GET /health HTTP/1.0', '')],
    ['absolute-form target', get('GET http://elsewhere.example/health HTTP/1.1')],
    ['asterisk-form target', get('OPTIONS * HTTP/1.1')],
    ['CONNECT request', get('CONNECT elsewhere.example:443 HTTP/1.1')],
    ['UTF-8 bytes in the API key', Buffer.concat([Buffer.from(`GET /api/keys/fuzz-aes HTTP/1.1${CRLF}Host: fuzz${CRLF}X-API-Key: `), Buffer.from('k\u20ac\u20ac-key-0123456789abcdef0123456789', 'utf8'), Buffer.from(`${CRLF}Connection: close${CRLF}${CRLF}`)])],
    ['UTF-8 bytes in X-Request-ID', Buffer.concat([Buffer.from(`GET /health HTTP/1.1${CRLF}Host: fuzz${CRLF}X-Request-ID: `), Buffer.from('r\u00e9q-\u4e2d', 'utf8'), Buffer.from(`${CRLF}Connection: close${CRLF}${CRLF}`)])],
    ['invalid UTF-8 in the path', Buffer.concat([Buffer.from('GET /'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(` HTTP/1.1${CRLF}Host: fuzz${CRLF}Connection: close${CRLF}${CRLF}`)])],
    ['invalid UTF-8 body', post(`Content-Length: 4${CRLF}`, Buffer.from([0xff, 0xfe, 0x7b, 0x7d]))],
    ['bad chunk size', post(`Transfer-Encoding: chunked${CRLF}`, `zz${CRLF}{}${CRLF}0${CRLF}${CRLF}`)],
    ['Content-Length and chunked together', post(`Content-Length: 5${CRLF}Transfer-Encoding: chunked${CRLF}`, `0${CRLF}${CRLF}`)],
    ['non-numeric Content-Length', post(`Content-Length: abc${CRLF}`, json)],
    ['negative Content-Length', post(`Content-Length: -1${CRLF}`, json)],
    ['two different Content-Lengths', post(`Content-Length: 2${CRLF}Content-Length: ${json.length}${CRLF}`, json)],
    ['chunked body split in many chunks', post(`Transfer-Encoding: chunked${CRLF}`, `${json.split('').map((c) => `1${CRLF}${c}${CRLF}`).join('')}0${CRLF}${CRLF}`)],
    ['unknown transfer coding', post(`Transfer-Encoding: gzip, chunked${CRLF}`, `2${CRLF}{}${CRLF}0${CRLF}${CRLF}`)],
    ['chunk longer than its size', post(`Transfer-Encoding: chunked${CRLF}`, `2${CRLF}{}}}${CRLF}0${CRLF}${CRLF}`)],
    ['NUL byte in the path', get('GET /hea\u0000lth HTTP/1.1')],
    ['bare LF line endings', Buffer.from(`GET /health HTTP/1.1\nHost: fuzz\nConnection: close\n\n`)],
  ];
  return fc.constantFrom(...cases).map(([label, bytes]) => ({ label, bytes }));
}

// ---------------------------------------------------------------- the corpus

/** `value` once in `every` draws, else undefined. */
function rarely<T>(value: fc.Arbitrary<T>, every: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: every - 1 }, { arbitrary: value, weight: 1 });
}

function httpRequest(options: CorpusOptions): fc.Arbitrary<Omit<FuzzRequest, 'index'>> {
  const byWeight = fc.constantFrom(...ROUTES.flatMap((r) => Array<RouteSpec>(r.weight).fill(r)));
  const routed = byWeight.chain((route) =>
    fc.record({
      route: fc.constant(route),
      wellFormed: fc.constant(false),
      path: (route.path.includes('{key_id}') ? keyIdSegment.map((id) => route.path.replace('{key_id}', id)) : fc.constant(route.path)).chain(spelled),
      method: methodFor(route),
      body: bodyFor(route, options.known),
    }),
  );
  const wellFormed = byWeight.chain((route) =>
    fc.record({
      route: fc.constant(route),
      wellFormed: fc.constant(true),
      path: route.path.includes('{key_id}') ? fc.constantFrom(...FUZZ_KEY_IDS).map((id) => route.path.replace('{key_id}', id)) : fc.constant(route.path),
      method: fc.constant(route.method),
      body: route.fields ? wellFormedBody(route.fields, options.known) : fc.constant(undefined),
    }),
  );
  const unknown = fc.record({
    route: fc.constant(undefined),
    wellFormed: fc.constant(false),
    path: fc.oneof(fc.constantFrom(...UNKNOWN_PATHS), fc.webPath()).map((p) => (p.startsWith('/') ? p : `/${p}`)),
    method: fc.constantFrom('GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PROPFIND'),
    body: fc.option(malformedText, { nil: undefined }),
  });
  const oversized = fc.record({
    path: fc.constantFrom('/nernst', '/api/encrypt', '/federated/aggregate', '/simulate', '/unknown'),
    over: fc.integer({ min: 1, max: 64 * 1024 }),
  });

  return fc
    .record({
      target: fc.oneof({ arbitrary: routed, weight: 12 }, { arbitrary: wellFormed, weight: 6 }, { arbitrary: unknown, weight: 2 }),
      oversized: rarely(oversized, 150),
      contentType,
      requestId: requestIdChoice,
      apiKey: apiKeyChoice(options.keys),
      extra: rarely(extraHeaders, 4),
    })
    .map(({ target, oversized, contentType, requestId, apiKey: presentedKey, extra: extraHeaders }) => {
      let type = contentType;
      let apiKey = presentedKey;
      let extra = extraHeaders;
      let big = oversized;
      if (target.wellFormed) {
        // The one fault is in the body: the envelope of the request is right.
        type = 'application/json';
        apiKey = options.keys?.admin;
        extra = undefined;
        big = undefined;
      }
      const headers: Record<string, string> = { ...(extra ?? {}) };
      let method = target.method;
      let path = target.path;
      let body: Buffer | OversizedBody | undefined = target.body;
      if (big) {
        method = 'POST';
        path = big.path;
        const limit = big.path === '/federated/aggregate' ? options.aggregateMaxBytes : options.maxBodyBytes;
        body = { oversizedBytes: limit + big.over };
      }
      if (type !== undefined && body !== undefined) headers['content-type'] = type;
      // eslint-disable-next-line security/detect-possible-timing-attacks -- a comparison with undefined, not with a secret
      if (apiKey !== undefined) headers['x-api-key'] = apiKey;
      if (requestId.id !== undefined) headers['x-request-id'] = requestId.id;
      const label = `${method} ${path.length > 80 ? `${path.slice(0, 80)}…` : path}${big ? ` (oversized by ${big.over} bytes)` : ''}`;
      return { kind: 'http' as const, method, path, headers, body, keptRequestId: requestId.keep ? requestId.id : undefined, label };
    });
}

/** `count` requests, the same ones for the same seed. */
export function fuzzCorpus(options: CorpusOptions): FuzzRequest[] {
  const arbitrary = fc.oneof(
    { arbitrary: httpRequest(options), weight: 19 },
    { arbitrary: rawRequests(options.keys).map(({ label, bytes }) => ({ kind: 'raw' as const, method: '', path: '', headers: {}, raw: bytes, label: `raw: ${label}` })), weight: 1 },
  );
  const drawn = fc.sample(arbitrary, { seed: options.seed, numRuns: options.count });
  return drawn.map((r, index) => {
    const request: FuzzRequest = { ...r, index };
    // Unique well-formed ids: every response can be traced back to exactly one request and log line.
    if (request.keptRequestId !== undefined) {
      const id = `${request.keptRequestId.slice(0, 100)}.${index}`;
      request.keptRequestId = id;
      request.headers['x-request-id'] = id;
    }
    return request;
  });
}

/** The body bytes to send. */
export function materialise(body: Buffer | OversizedBody | undefined): Buffer | undefined {
  if (body === undefined || Buffer.isBuffer(body)) return body;
  // A JSON object with one long base64-looking string: valid JSON, too many bytes.
  const filler = body.oversizedBytes - '{"plaintext":""}'.length;
  return Buffer.from(`{"plaintext":"${'A'.repeat(Math.max(0, filler))}"}`);
}
