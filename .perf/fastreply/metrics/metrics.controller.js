"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.MetricsController = void 0;
exports.normaliseExposition = normaliseExposition;
const common_1 = require("@nestjs/common");
const swagger_1 = require("@nestjs/swagger");
const prom_client_1 = require("prom-client");
const common_2 = require("../common");
const metrics_constants_1 = require("./metrics.constants");
const metrics_token_guard_1 = require("./metrics-token.guard");
/**
 * prom-client writes NaN sample values as `Nan`; the text format spells it `NaN`, and strict
 * parsers reject anything else. Sample values end their line (no timestamps are written).
 */
function normaliseExposition(text) {
    return text.replace(/ Nan$/gm, ' NaN');
}
/**
 * GET /metrics: the process-wide registry in Prometheus text format. The path comes from
 * PrometheusModule.register (see MetricsModule). Public like the probes unless
 * MFN_METRICS_INCLUDE_IN_AUTH=true; MFN_METRICS_TOKEN adds a bearer token on top.
 */
let MetricsController = class MetricsController {
    async scrape(res) {
        const body = normaliseExposition(await prom_client_1.register.metrics());
        // Written directly: Express would re-serialise the header and reorder its parameters.
        res.status(200);
        res.setHeader('Content-Type', metrics_constants_1.PROMETHEUS_CONTENT_TYPE);
        res.setHeader('Cache-Control', 'no-store');
        res.end(body);
    }
};
exports.MetricsController = MetricsController;
__decorate([
    (0, common_1.Get)(),
    (0, common_1.UseGuards)(metrics_token_guard_1.MetricsTokenGuard),
    (0, swagger_1.ApiOperation)({
        summary: 'Prometheus metrics',
        description: 'Prometheus text exposition format 0.0.4. When the MFN_METRICS_TOKEN secret is set, send ' +
            '`Authorization: Bearer <token>`; with MFN_METRICS_INCLUDE_IN_AUTH=true an API key with the metrics role is needed too.',
    }),
    (0, swagger_1.ApiProduces)(metrics_constants_1.PROMETHEUS_CONTENT_TYPE),
    (0, swagger_1.ApiOkResponse)({ description: 'Metrics in Prometheus text format', schema: { type: 'string' } }),
    (0, swagger_1.ApiUnauthorizedResponse)({ description: 'Metrics token missing or wrong', type: common_2.ErrorEnvelopeDto }),
    __param(0, (0, common_1.Res)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object]),
    __metadata("design:returntype", Promise)
], MetricsController.prototype, "scrape", null);
exports.MetricsController = MetricsController = __decorate([
    (0, swagger_1.ApiTags)('metrics'),
    (0, common_2.Public)(),
    (0, common_2.MetricsRoute)(),
    (0, common_1.Controller)()
], MetricsController);
//# sourceMappingURL=metrics.controller.js.map