"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CurrentPrincipal = void 0;
exports.setPrincipal = setPrincipal;
exports.principalOf = principalOf;
const common_1 = require("@nestjs/common");
const request_context_1 = require("../common/http/request-context");
function setPrincipal(req, principal) {
    (0, request_context_1.requestState)(req).principal = principal;
}
function principalOf(req) {
    return (0, request_context_1.requestState)(req).principal;
}
/** Handler parameter: the caller's principal (set by the API-key guard). */
exports.CurrentPrincipal = (0, common_1.createParamDecorator)((_data, ctx) => principalOf(ctx.switchToHttp().getRequest()));
//# sourceMappingURL=principal.js.map