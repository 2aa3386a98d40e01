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
exports.InputScanGuard = void 0;
const common_1 = require("@nestjs/common");
const audit_service_1 = require("../../audit/audit.service");
const principal_1 = require("../../auth/principal");
const route_access_1 = require("../../auth/route-access");
const metrics_service_1 = require("../../metrics/metrics.service");
const errors_1 = require("../errors");
const fallback_controller_1 = require("../http/fallback.controller");
const input_sanitiser_1 = require("./input-sanitiser");
const payload_fields_1 = require("./payload-fields");
/**
 * Fields with their own, stricter charset. A pattern hit that still fits the charset (e.g. the key
 * id `update-2024`) is only reported; anything else is left to the field's validation.
 */
const STRICT_CHARSETS = {
    key_id: /^[A-Za-z0-9._:-]{1,64}$/,
    stream_id: /^[A-Za-z0-9._:-]{1,64}$/,
};
const MAX_DEPTH = 4;
/** Values visited per request at most; string inputs of the API sit near the top of small bodies. */
const MAX_NODES = 1024;
const MESSAGES = {
    sql_injection_attempt: 'contains a pattern that looks like SQL injection',
    xss_attempt: 'contains a pattern that looks like script injection',
};
/**
 * The last guard of the chain: scans every free-text input (body and query strings of routed
 * requests, and the raw X-Request-ID header) for SQL/XSS patterns. Each hit is reported as a
 * `suspicious_activity` audit event and counted; a hit in a field without a stricter charset is
 * refused with 400 VALIDATION_ERROR. The invalid X-Request-ID itself is replaced, not refused
 * (request-id middleware), so it is only reported.
 */
let InputScanGuard = class InputScanGuard {
    access;
    audit;
    metrics;
    constructor(access, audit, metrics) {
        this.access = access;
        this.audit = audit;
        this.metrics = metrics;
    }
    canActivate(context) {
        const req = context.switchToHttp().getRequest();
        let hits;
        const requestId = req.headers['x-request-id'];
        if (typeof requestId === 'string' && requestId.length > 0) {
            const kind = (0, input_sanitiser_1.detectInjection)(requestId);
            if (kind)
                hits = [{ field: 'header.x-request-id', kind, rejected: false }];
        }
        if (context.getClass() !== fallback_controller_1.FallbackController && !this.access.resolve(context).public) {
            const body = req.body;
            if (body !== null && typeof body === 'object')
                hits = scan(body, 'body', 0, hits, { nodes: 0 });
            if (req.url.includes('?'))
                hits = scan(req.query, 'query', 0, hits, { nodes: 0 });
        }
        if (hits === undefined)
            return true;
        const principal = (0, principal_1.principalOf)(req);
        const userId = principal?.authenticated ? principal.id : undefined;
        for (const hit of hits) {
            this.metrics.suspiciousRequest(hit.kind);
            this.audit.recordForRequest(req, {
                action: 'suspicious_activity',
                category: 'security',
                severity: 'ERROR',
                success: false,
                userId,
                details: { activity_type: hit.kind, field: hit.field, rejected: hit.rejected },
            });
        }
        const details = hits.filter((h) => h.rejected).map((h) => ({ field: h.field, message: MESSAGES[h.kind] }));
        if (details.length > 0) {
            throw new errors_1.AppException(errors_1.ErrorCode.VALIDATION_ERROR, `Validation failed: ${details.length} error(s)`, common_1.HttpStatus.BAD_REQUEST, {
                details,
            });
        }
        return true;
    }
};
exports.InputScanGuard = InputScanGuard;
exports.InputScanGuard = InputScanGuard = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [route_access_1.RouteAccessResolver,
        audit_service_1.AuditService,
        metrics_service_1.MetricsService])
], InputScanGuard);
function scan(value, path, depth, hits, budget) {
    if (depth > MAX_DEPTH || value === null || typeof value !== 'object')
        return hits;
    const isArray = Array.isArray(value);
    const keys = isArray ? undefined : Object.keys(value);
    const length = isArray ? value.length : keys.length;
    for (let i = 0; i < length; i++) {
        // Numbers and booleans cost a visit too, so a huge array cannot make the scan expensive.
        if (++budget.nodes > MAX_NODES)
            return hits;
        const key = isArray ? String(i) : keys[i];
        if (!isArray && payload_fields_1.PAYLOAD_FIELDS.has(key))
            continue;
        const v = isArray ? value[i] : value[key];
        if (typeof v === 'string') {
            const kind = (0, input_sanitiser_1.detectInjection)(v);
            if (kind) {
                // Own keys only: a body field named `constructor` or `__proto__` must not find Object's.
                const charset = isArray || !Object.hasOwn(STRICT_CHARSETS, key) ? undefined : STRICT_CHARSETS[key];
                (hits ??= []).push({ field: `${path}.${key}`, kind, rejected: charset === undefined || !charset.test(v) });
            }
        }
        else if (v !== null && typeof v === 'object') {
            hits = scan(v, `${path}.${key}`, depth + 1, hits, budget);
        }
    }
    return hits;
}
//# sourceMappingURL=input-scan.guard.js.map