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
Object.defineProperty(exports, "__esModule", { value: true });
exports.MetricsTokenGuard = void 0;
exports.bearerTokenOf = bearerTokenOf;
exports.tokensMatch = tokensMatch;
const common_1 = require("@nestjs/common");
const node_crypto_1 = require("node:crypto");
const audit_service_1 = require("../audit/audit.service");
const common_2 = require("../common");
const secrets_service_1 = require("../secrets/secrets.service");
const metrics_constants_1 = require("./metrics.constants");
const metrics_service_1 = require("./metrics.service");
/** Longest Authorization header looked at; anything longer cannot hold a sane token. */
const MAX_AUTHORIZATION_LENGTH = 4096;
const BEARER = /^Bearer[ \t]+([!-~]+)[ \t]*$/i;
/** The token of an `Authorization: Bearer <token>` header, or undefined when there is none. */
function bearerTokenOf(header) {
    if (typeof header !== 'string' || header.length > MAX_AUTHORIZATION_LENGTH)
        return undefined;
    return BEARER.exec(header.trim())?.[1];
}
/**
 * Constant-time comparison: both sides are hashed first so neither their contents nor their
 * lengths show in the time taken.
 */
function tokensMatch(presented, expected) {
    const a = (0, node_crypto_1.createHash)('sha256').update(presented, 'utf8').digest();
    const b = (0, node_crypto_1.createHash)('sha256').update(expected, 'utf8').digest();
    return (0, node_crypto_1.timingSafeEqual)(a, b);
}
/**
 * Optional protection of the scrape route: when the MFN_METRICS_TOKEN secret is set, /metrics
 * needs `Authorization: Bearer <token>`, else 401 in the error envelope. The secret is read on
 * every scrape so a rotated value applies without a restart. Runs after the global guards, so
 * with MFN_METRICS_INCLUDE_IN_AUTH=true a scraper needs both an API key and the token.
 */
let MetricsTokenGuard = class MetricsTokenGuard {
    secrets;
    metrics;
    audit;
    constructor(secrets, metrics, audit) {
        this.secrets = secrets;
        this.metrics = metrics;
        this.audit = audit;
    }
    canActivate(context) {
        const expected = this.secrets.getSecret(metrics_constants_1.METRICS_TOKEN_SECRET)?.trim();
        if (!expected)
            return true;
        const req = context.switchToHttp().getRequest();
        const presented = bearerTokenOf(req.headers.authorization);
        if (presented === undefined) {
            this.reject(req, 'missing_metrics_token');
            throw unauthorized(common_2.ErrorCode.AUTHENTICATION_REQUIRED, 'Metrics token required: send Authorization: Bearer <token>');
        }
        if (!tokensMatch(presented, expected)) {
            this.reject(req, 'invalid_metrics_token');
            throw unauthorized(common_2.ErrorCode.INVALID_API_KEY, 'Invalid metrics token');
        }
        return true;
    }
    reject(req, reason) {
        this.metrics.authFailure(reason);
        this.audit.authenticationFailure(req, reason);
    }
};
exports.MetricsTokenGuard = MetricsTokenGuard;
exports.MetricsTokenGuard = MetricsTokenGuard = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [secrets_service_1.SecretsService,
        metrics_service_1.MetricsService,
        audit_service_1.AuditService])
], MetricsTokenGuard);
function unauthorized(code, message) {
    return new common_2.AppException(code, message, common_1.HttpStatus.UNAUTHORIZED, {
        headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' },
    });
}
//# sourceMappingURL=metrics-token.guard.js.map