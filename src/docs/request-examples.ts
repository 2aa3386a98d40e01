import type { OpenAPIObject, OperationObject, ParameterObject } from '@nestjs/swagger';
import { formatVersioned } from '../crypto/keys/versioned-value';

/**
 * The example request of every operation: the body and path parameters Swagger UI fills in for
 * "Try it out". Each one is valid as it stands and succeeds against a service in the dev profile
 * (see docs/api-docs.md):
 *
 * - creating operations (POST /api/keys, /api/keypair) name no key id, so the service generates a
 *   fresh one on every try instead of answering 409 the second time;
 * - the key routes act on demo keys with fixed ids (DEMO), which the docs page prepares in the
 *   dev profile before it is shown (live-examples.ts);
 * - a ciphertext and a signature can only come from the service itself: the document carries
 *   well-formed placeholders (PLACEHOLDERS), which the dev docs page replaces with values the
 *   running service made. Everywhere else (/openapi.json, the repository's document) the
 *   placeholders stay, so the document is the same on every build.
 */

/** The demo key ids start with it (and no other id the examples make does). */
export const DEMO_PREFIX = 'docs-demo-';

/** Resources the examples act on. The dev docs page creates them when they are missing. */
export const DEMO = Object.freeze({
  /** AES-256-GCM key for the key administration routes (describe, rotate, config, trim, grants). */
  aesKey: `${DEMO_PREFIX}aes`,
  /** X25519 key for /api/derive. */
  x25519Key: `${DEMO_PREFIX}x25519`,
  /** AES-256-GCM key with deletion_allowed, for DELETE /api/keys/{key_id}; made again once deleted. */
  deletableKey: `${DEMO_PREFIX}deletable`,
  /** The tenant the grant examples share the demo key with. */
  partner: `${DEMO_PREFIX}partner`,
  /** What the partner is granted. */
  partnerOperations: ['encrypt', 'decrypt'],
});

/** "Hello from the MFN docs", the message the examples encrypt, sign and authenticate. */
export const SAMPLE_MESSAGE = Buffer.from('Hello from the MFN docs', 'utf8').toString('base64');

/** Well-formed stand-ins for values only the service can make (12-byte nonce, 16-byte tag, the sample's 23 bytes; 64 signature bytes). */
export const PLACEHOLDERS = Object.freeze({
  ciphertext: formatVersioned(1, Buffer.alloc(12 + 23 + 16).toString('base64')),
  signature: formatVersioned(1, Buffer.alloc(64).toString('base64')),
  /** A job id; the dev docs page submits a small job and puts its id here. */
  jobId: '00000000-0000-4000-8000-000000000000',
  /** The job the cancel example cancels: the dev docs page submits one that runs for a few seconds. */
  cancelJobId: '00000000-0000-4000-8000-000000000001',
});

/** RFC 7748 §6.1: Bob's X25519 public key, a valid peer key for /api/derive. */
const RFC7748_PEER_PUBLIC_KEY = Buffer.from('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f', 'hex').toString('base64');

export interface OperationExample {
  /** The JSON request body. */
  body?: unknown;
  /** Path parameters by name. */
  params?: Record<string, string>;
}

/** By operation id (see operationIdFactory in openapi.ts). */
export const REQUEST_EXAMPLES: Readonly<Record<string, OperationExample>> = {
  nernst: { body: { z_valence: 1, concentration_out_molar: 0.005, concentration_in_molar: 0.14, temperature_k: 310 } },
  simulate: { body: { seed: 42, grid_size: 32, steps: 32, alpha: 0.18, spike_probability: 0.25, turing_enabled: true, threshold_mV: -60 } },
  validate: { body: { seed: 42, epochs: 1, batch_size: 4, grid_size: 16, steps: 16, turing_enabled: true, quantum_jitter: false } },
  aggregate: {
    body: {
      gradients: [
        [1, 2],
        [1.1, 2.1],
        [1.2, 2.2],
        [9, -9],
      ],
      num_clusters: 2,
      byzantine_fraction: 0.25,
      seed: 42,
    },
  },

  submitSimulate: { body: { seed: 42, grid_size: 32, steps: 32 } },
  submitValidate: { body: { seed: 42, epochs: 1, batch_size: 4, grid_size: 16, steps: 16 } },
  submitAggregate: { body: { gradients: [[1, 2], [1.1, 2.1], [1.2, 2.2], [9, -9]], num_clusters: 2, byzantine_fraction: 0.25 } },
  getJob: { params: { id: PLACEHOLDERS.jobId } },
  cancelJob: { params: { id: PLACEHOLDERS.cancelJobId } },
  jobEvents: { params: { id: PLACEHOLDERS.jobId } },

  encrypt: { body: { plaintext: SAMPLE_MESSAGE } },
  decrypt: { body: { ciphertext: PLACEHOLDERS.ciphertext } },
  rewrap: { body: { ciphertext: PLACEHOLDERS.ciphertext } },
  dataKeyPlaintext: { body: { bits: 256 } },
  dataKeyWrapped: { body: { bits: 256 } },
  keypair: { body: { algorithm: 'Ed25519' } },
  sign: { body: { message: SAMPLE_MESSAGE } },
  verify: { body: { message: SAMPLE_MESSAGE, signature: PLACEHOLDERS.signature } },
  hmac: { body: { input: SAMPLE_MESSAGE, algorithm: 'sha2-256' } },
  derive: {
    body: {
      key_id: DEMO.x25519Key,
      peer_public_key: RFC7748_PEER_PUBLIC_KEY,
      info: Buffer.from('mfn docs example', 'utf8').toString('base64'),
      length: 32,
      output: 'wrapped',
    },
  },

  createKey: { body: { type: 'AES-256-GCM' } },
  describeKey: { params: { key_id: DEMO.aesKey } },
  rotateKey: { params: { key_id: DEMO.aesKey } },
  configureKey: { params: { key_id: DEMO.aesKey }, body: { auto_rotate_period: 30 * 24 * 3600 } },
  trimKey: { params: { key_id: DEMO.aesKey }, body: {} },
  deleteKey: { params: { key_id: DEMO.deletableKey } },
  grantKeyAccess: { params: { key_id: DEMO.aesKey, grantee: DEMO.partner }, body: { operations: DEMO.partnerOperations } },
  revokeKeyAccess: { params: { key_id: DEMO.aesKey, grantee: DEMO.partner } },
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Every operation of the document with its id. */
export function operationsOf(document: OpenAPIObject): { id: string; method: string; path: string; operation: OperationObject }[] {
  const out: { id: string; method: string; path: string; operation: OperationObject }[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      // eslint-disable-next-line security/detect-object-injection -- `method` comes from the fixed METHODS list
      const operation = item[method];
      if (operation) out.push({ id: operation.operationId ?? `${method} ${path}`, method, path, operation });
    }
  }
  return out;
}

/**
 * Sets the request examples on the document's operations. An example for an operation, body or
 * parameter the document does not have is a mistake in the table above: it throws.
 */
export function applyRequestExamples(document: OpenAPIObject, examples: Readonly<Record<string, OperationExample>> = REQUEST_EXAMPLES): void {
  const operations = new Map(operationsOf(document).map((o) => [o.id, o.operation]));
  for (const [id, example] of Object.entries(examples)) {
    const operation = operations.get(id);
    if (!operation) throw new Error(`request example for unknown operation ${id}`);
    if (example.body !== undefined) {
      const media = operation.requestBody && 'content' in operation.requestBody ? operation.requestBody.content['application/json'] : undefined;
      if (!media) throw new Error(`request example for ${id}, which takes no JSON body`);
      media.example = example.body;
    }
    for (const [name, value] of Object.entries(example.params ?? {})) {
      const parameter = (operation.parameters ?? []).find((p): p is ParameterObject => 'name' in p && p.name === name && p.in === 'path');
      if (!parameter) throw new Error(`request example for ${id}: no path parameter ${name}`);
      parameter.example = value;
    }
  }
}
