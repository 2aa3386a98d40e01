import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { AppConfig } from '../config';
import { ErrorEnvelopeDto } from '../common';
import { LiveExamples } from './live-examples';
import { mountRedoc } from './redoc';
import { applyRequestExamples } from './request-examples';

export const API_KEY_SCHEME = 'X-API-Key';
/** Where Swagger UI and the JSON document are served (only when docs are enabled). */
export const DOCS_PATH = '/docs';
export const OPENAPI_JSON_PATH = '/openapi.json';

/**
 * Operation ids are the handler names (`nernst`, `encrypt`, `rotateKey`), which are unique
 * across the controllers; a route that needs another name sets `operationId` in @ApiOperation.
 */
export const operationIdFactory = (_controllerKey: string, methodKey: string): string => methodKey;

/**
 * The OpenAPI 3 document: every route, DTO ranges and defaults, the API-key scheme, the error
 * envelope with an example per error status, and a request example per operation. The same on
 * every build (no value in it depends on the running service).
 */
export function buildOpenApiDocument(app: INestApplication, config: AppConfig): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('MyceliumFractalNet API')
    .setDescription(
      'Compute (Nernst potential, field simulation with fractal analysis, validation cycle, Byzantine-robust ' +
        'aggregation) and crypto-as-a-service. Every error uses the same JSON envelope (ErrorEnvelopeDto) and ' +
        'carries the request id that is also returned in the X-Request-ID header.',
    )
    .setVersion(config.version)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'API key' }, API_KEY_SCHEME);
  const document = SwaggerModule.createDocument(app, builder.build(), { extraModels: [ErrorEnvelopeDto], operationIdFactory });
  // A worker (MFN_ROLE=worker) has none of the API's operations, so none of their examples.
  if (config.jobs.role !== 'worker') applyRequestExamples(document);
  return document;
}

export interface DocsOptions {
  log: Logger;
  /**
   * Fill the examples that need values made by this service (a ciphertext, a signature) and the
   * demo keys from the running service (see live-examples.ts): only in the dev profile, where
   * every caller is the one default tenant, i.e. without API keys (liveExamplesEnabled).
   */
  liveExamples: boolean;
}

/**
 * Whether the Swagger UI page gets live examples: the dev profile, docs on, no API keys, crypto
 * on. Never in staging or prod, even with docs on and keys off: a page load there would write
 * demo keys into the real key store.
 */
export function liveExamplesEnabled(config: AppConfig): boolean {
  return config.env === 'dev' && config.docsEnabled && !config.auth.required && config.crypto.enabled;
}

/**
 * Swagger UI at /docs, ReDoc at /redoc and the JSON document at /openapi.json (only when docs
 * are enabled). /openapi.json and ReDoc serve the document as built; only the Swagger UI page,
 * whose examples are executed, gets the live values.
 */
export function mountDocs(app: INestApplication, document: OpenAPIObject, options: DocsOptions): void {
  const log = options.log.child({ logger: 'mfn.docs' });
  const live = options.liveExamples ? new LiveExamples(log) : undefined;
  SwaggerModule.setup(DOCS_PATH.slice(1), app, document, {
    raw: false,
    customSiteTitle: 'MyceliumFractalNet API',
    swaggerOptions: { persistAuthorization: false, displayRequestDuration: true },
    patchDocumentOnRequest: live ? (req, _res, doc) => live.documentFor(req as Request, doc) : undefined,
  });
  const json = Buffer.from(JSON.stringify(document), 'utf8');
  app.getHttpAdapter().get(OPENAPI_JSON_PATH, (_req: Request, res: Response) => {
    res.status(200).type('application/json').send(json);
  });
  const redocProblem = mountRedoc(app, document.info.title, OPENAPI_JSON_PATH);
  if (redocProblem !== undefined) log.warn({ reason: redocProblem }, 'ReDoc is not served at /redoc');
}
