"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.API_KEY_SECURITY = exports.REQUIRED_ROLES_KEY = void 0;
exports.RequireRoles = RequireRoles;
const common_1 = require("@nestjs/common");
const swagger_1 = require("@nestjs/swagger");
const error_envelope_dto_1 = require("../common/dto/error-envelope.dto");
exports.REQUIRED_ROLES_KEY = 'mfn:requiredRoles';
exports.API_KEY_SECURITY = 'X-API-Key';
/**
 * One decorator carries both the access rule and its documentation, so they cannot drift: the
 * route needs an API key holding any of `roles` (admin always passes).
 */
function RequireRoles(...roles) {
    return (0, common_1.applyDecorators)((0, common_1.SetMetadata)(exports.REQUIRED_ROLES_KEY, roles), (0, swagger_1.ApiSecurity)(exports.API_KEY_SECURITY), (0, swagger_1.ApiForbiddenResponse)({ description: `Requires role: ${roles.join(' or ')} (FORBIDDEN)`, type: error_envelope_dto_1.ErrorEnvelopeDto }));
}
//# sourceMappingURL=require-roles.decorator.js.map