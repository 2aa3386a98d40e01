import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '../config';
import { ErrorEnvelopeDto } from '../common';
import { mountRedoc } from './redoc';

export const API_KEY_SCHEME = 'X-API-Key';
/** Where Swagger UI and the JSON document are served (only when docs are enabled). */
export const DOCS_PATH = '/docs';
export const OPENAPI_JSON_PATH = '/openapi.json';

/** The OpenAPI 3 document: every route, DTO ranges and defaults, the API-key scheme, the error envelope. */
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
  return SwaggerModule.createDocument(app, builder.build(), { extraModels: [ErrorEnvelopeDto] });
}

/** Swagger UI at /docs, ReDoc at /redoc and the JSON document at /openapi.json (only when docs are enabled). */
export function mountDocs(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup(DOCS_PATH.slice(1), app, document, {
    raw: ['json'],
    jsonDocumentUrl: OPENAPI_JSON_PATH.slice(1),
    customSiteTitle: 'MyceliumFractalNet API',
    swaggerOptions: { persistAuthorization: false, displayRequestDuration: true },
  });
  mountRedoc(app, document.info.title, OPENAPI_JSON_PATH);
}
