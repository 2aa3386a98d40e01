import type { OpenAPIObject } from '@nestjs/swagger';
import type { Request } from 'express';
import { request as httpRequest } from 'node:http';
import type { Logger } from 'pino';
import { DEMO, DEMO_PREFIX, PLACEHOLDERS, SAMPLE_MESSAGE } from './request-examples';

/** Where the service answers: the local end of the connection the docs page came in on. */
interface Target {
  host: string;
  port: number;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

const CALL_TIMEOUT_MS = 10_000;

/** One JSON call to the service itself, as any client would make it (own connection, request id, access record). */
function call(target: Target, method: string, path: string, body?: unknown): Promise<Answer> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.host,
        port: target.port,
        method,
        path,
        agent: false,
        timeout: CALL_TIMEOUT_MS,
        headers: payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: Record<string, unknown> = {};
          try {
            parsed = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
          } catch {
            // not JSON: the status says what happened
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(payload);
  });
}

class StepFailed extends Error {
  constructor(
    readonly step: string,
    readonly status: number,
    readonly code: unknown,
  ) {
    super(`${step}: ${status}`);
  }
}

async function expectStatus(step: string, answer: Promise<Answer>, ...ok: number[]): Promise<Answer> {
  const a = await answer;
  if (!ok.includes(a.status)) throw new StepFailed(step, a.status, a.body.error_code);
  return a;
}

const keyPath = (id: string) => `/api/keys/${encodeURIComponent(id)}`;

/**
 * The Swagger UI page's examples in the dev profile (no API key: every caller is the one
 * default tenant, as the page's own "Try it out" calls are). Before a page is shown it makes
 * sure the demo keys and the demo grant exist — and the deletable key again once it was
 * deleted — and submits a small job for the job routes, then encrypts and signs the sample message with the tenant's default keys, so that the decrypt, rewrap and verify
 * examples hold values this running service made. It asks the service over HTTP like any
 * client, so each step is authorised, audited and counted as usual. Pages loaded at the same
 * time share one preparation. A step that fails leaves its placeholder and is logged; the page
 * is served either way.
 */
export class LiveExamples {
  private inFlight?: Promise<Map<string, string>>;

  constructor(private readonly log: Logger) {}

  async documentFor(req: Request, document: OpenAPIObject): Promise<OpenAPIObject> {
    const target = { host: req.socket.localAddress ?? '127.0.0.1', port: req.socket.localPort ?? 0 };
    this.inFlight ??= this.prepare(target).finally(() => {
      this.inFlight = undefined;
    });
    return withReplacements(document, await this.inFlight);
  }

  private async prepare(target: Target): Promise<Map<string, string>> {
    const replacements = new Map<string, string>();
    const steps: [string, () => Promise<void>][] = [
      ['demo keys', () => this.demoKeys(target)],
      [
        'ciphertext',
        async () => {
          const a = await expectStatus('encrypt', call(target, 'POST', '/api/encrypt', { plaintext: SAMPLE_MESSAGE }), 200);
          replacements.set(PLACEHOLDERS.ciphertext, String(a.body.ciphertext));
        },
      ],
      [
        'job',
        async () => {
          const a = await expectStatus('submit job', call(target, 'POST', '/jobs/simulate', { seed: 42, grid_size: 16, steps: 8 }), 202);
          replacements.set(PLACEHOLDERS.jobId, String(a.body.id));
        },
      ],
      [
        'job to cancel',
        async () => {
          // About half a minute of work on one thread, so that it is still queued or running when
          // the example cancels it (a finished job cannot be cancelled: 409).
          const body = { seed: 3, epochs: 100, batch_size: 4, grid_size: 256, steps: 400, quantum_jitter: true };
          const a = await expectStatus('submit job', call(target, 'POST', '/jobs/validate', body), 202);
          replacements.set(PLACEHOLDERS.cancelJobId, String(a.body.id));
        },
      ],
      [
        'signature',
        async () => {
          const a = await expectStatus('sign', call(target, 'POST', '/api/sign', { message: SAMPLE_MESSAGE }), 200);
          replacements.set(PLACEHOLDERS.signature, String(a.body.signature));
        },
      ],
    ];
    for (const [name, step] of steps) {
      try {
        await step();
      } catch (err) {
        const details = err instanceof StepFailed ? { step: err.step, status: err.status, error_code: err.code } : { step: name, error: (err as Error).message };
        this.log.warn(details, 'docs page: an example could not be prepared; it keeps its placeholder');
      }
    }
    return replacements;
  }

  /**
   * The AES key of the key routes (shared with the demo partner), the X25519 key of /api/derive
   * and the key DELETE /api/keys/{key_id} removes (made again once deleted, with deletion allowed).
   */
  private async demoKeys(target: Target): Promise<void> {
    // The demo ids share a prefix: one page of the ids after it tells which exist, without a 404 per missing key.
    const page = await expectStatus('list', call(target, 'GET', `/api/keys?after=${DEMO_PREFIX}&limit=10`), 200);
    const existing = new Set((page.body.keys as string[] | undefined) ?? []);
    const ensure = async (id: string, type: string): Promise<Answer> => {
      if (existing.has(id)) return expectStatus(`describe ${id}`, call(target, 'GET', keyPath(id)), 200);
      const created = await expectStatus(`create ${id}`, call(target, 'POST', '/api/keys', { type, key_id: id }), 201, 409);
      // 409: a page loaded at the same moment on another replica made it first.
      return created.status === 201 ? created : expectStatus(`describe ${id}`, call(target, 'GET', keyPath(id)), 200);
    };

    const aes = await ensure(DEMO.aesKey, 'AES-256-GCM');
    const grants = (aes.body.grants as { tenant: string }[] | undefined) ?? [];
    if (!grants.some((g) => g.tenant === DEMO.partner)) {
      const path = `${keyPath(DEMO.aesKey)}/grants/${encodeURIComponent(DEMO.partner)}`;
      await expectStatus('grant', call(target, 'PUT', path, { operations: DEMO.partnerOperations }), 200);
    }
    await ensure(DEMO.x25519Key, 'X25519');
    const deletable = await ensure(DEMO.deletableKey, 'AES-256-GCM');
    if (deletable.body.deletion_allowed !== true) {
      await expectStatus('allow deletion', call(target, 'POST', `${keyPath(DEMO.deletableKey)}/config`, { deletion_allowed: true }), 200);
    }
  }
}

/** A copy of the document's request examples with each placeholder replaced by its live value. */
export function withReplacements(document: OpenAPIObject, replacements: ReadonlyMap<string, string>): OpenAPIObject {
  if (replacements.size === 0) return document;
  const copy = structuredClone(document);
  const replace = (value: unknown): unknown => {
    if (typeof value === 'string') return replacements.get(value) ?? value;
    if (Array.isArray(value)) return value.map(replace);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v)]));
    }
    return value;
  };
  for (const item of Object.values(copy.paths)) {
    for (const operation of Object.values(item)) {
      const { requestBody, parameters } = operation as {
        requestBody?: { content?: Record<string, { example?: unknown }> };
        parameters?: { example?: unknown }[];
      };
      const media = requestBody?.content?.['application/json'];
      if (media?.example !== undefined) media.example = replace(media.example);
      for (const parameter of parameters ?? []) if (parameter.example !== undefined) parameter.example = replace(parameter.example);
    }
  }
  return copy;
}
