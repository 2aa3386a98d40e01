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
exports.FallbackController = void 0;
const common_1 = require("@nestjs/common");
const swagger_1 = require("@nestjs/swagger");
const errors_1 = require("../errors");
const route_table_1 = require("./route-table");
/**
 * The last route: everything no controller claimed. Because it is a real route, the global
 * guards (rate limit, API key) run for unknown paths too — no route enumeration without a key.
 * A known path with the wrong method answers 405 with Allow.
 */
let FallbackController = class FallbackController {
    routes;
    constructor(routes) {
        this.routes = routes;
    }
    unmatched(req) {
        const hit = this.routes.match(req.path);
        if (hit) {
            throw new errors_1.AppException(errors_1.ErrorCode.METHOD_NOT_ALLOWED, `Method ${req.method} is not allowed on ${hit.template}`, common_1.HttpStatus.METHOD_NOT_ALLOWED, { headers: { Allow: hit.methods.join(', ') } });
        }
        throw errors_1.AppException.notFound('Resource not found');
    }
};
exports.FallbackController = FallbackController;
__decorate([
    (0, common_1.All)(route_table_1.FALLBACK_ROUTE_TEMPLATE),
    __param(0, (0, common_1.Req)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object]),
    __metadata("design:returntype", void 0)
], FallbackController.prototype, "unmatched", null);
exports.FallbackController = FallbackController = __decorate([
    (0, swagger_1.ApiExcludeController)(),
    (0, common_1.Controller)(),
    __metadata("design:paramtypes", [route_table_1.RouteTable])
], FallbackController);
//# sourceMappingURL=fallback.controller.js.map