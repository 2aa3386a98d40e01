"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.API_KEY_SCHEME = void 0;
exports.buildOpenApiDocument = buildOpenApiDocument;
exports.mountDocs = mountDocs;
const swagger_1 = require("@nestjs/swagger");
const common_1 = require("../common");
const redoc_1 = require("./redoc");
exports.API_KEY_SCHEME = 'X-API-Key';
/** The OpenAPI 3 document: every route, DTO ranges and defaults, the API-key scheme, the error envelope. */
function buildOpenApiDocument(app, config) {
    const builder = new swagger_1.DocumentBuilder()
        .setTitle('MyceliumFractalNet API')
        .setDescription('Compute (Nernst potential, field simulation with fractal analysis, validation cycle, Byzantine-robust ' +
        'aggregation) and crypto-as-a-service. Every error uses the same JSON envelope (ErrorEnvelopeDto) and ' +
        'carries the request id that is also returned in the X-Request-ID header.')
        .setVersion(config.version)
        .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'API key' }, exports.API_KEY_SCHEME);
    return swagger_1.SwaggerModule.createDocument(app, builder.build(), { extraModels: [common_1.ErrorEnvelopeDto] });
}
/** Swagger UI at /docs, ReDoc at /redoc and the JSON document at /openapi.json (only when docs are enabled). */
function mountDocs(app, config) {
    const document = buildOpenApiDocument(app, config);
    swagger_1.SwaggerModule.setup('docs', app, document, {
        raw: ['json'],
        jsonDocumentUrl: 'openapi.json',
        customSiteTitle: 'MyceliumFractalNet API',
        swaggerOptions: { persistAuthorization: false, displayRequestDuration: true },
    });
    (0, redoc_1.mountRedoc)(app, document.info.title, '/openapi.json');
}
//# sourceMappingURL=openapi.js.map