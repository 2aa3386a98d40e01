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
exports.AuditService = void 0;
const common_1 = require("@nestjs/common");
const common_2 = require("../common");
const MAX_EVENT_KINDS = 256;
const LEVEL = {
    DEBUG: 'debug',
    INFO: 'info',
    WARNING: 'warn',
    ERROR: 'error',
    CRITICAL: 'fatal',
};
/**
 * Security audit events (SERVICE.md §7.2) as structured JSON lines on the `mfn.security.audit`
 * logger, always at INFO or below whatever MFN_LOG_LEVEL says. User ids, IPs and details are
 * redacted here, whatever the caller passes. Events: authentication_success/failure,
 * access_granted/denied, rate_limit_exceeded, suspicious_activity, and the crypto module's own.
 */
let AuditService = class AuditService {
    log;
    byKind = new Map();
    constructor(logger) {
        // The audit trail does not disappear when operators quieten the application log to WARNING.
        const level = logger.level === 'debug' || logger.level === 'trace' ? logger.level : 'info';
        // record() builds every field itself and redacts ids, addresses and details, so the root
        // logger's path redaction (the costliest step of a log line) would only repeat that work.
        this.log = logger.child({ logger: 'mfn.security.audit' }, { level, redact: [] });
    }
    record(event) {
        this.write(event, event.requestId, event.sourceIp === undefined ? undefined : (0, common_2.redactIp)(event.sourceIp), event.resource);
    }
    /** Same, filling request id, source address and resource (the path) from the request. */
    recordForRequest(req, event) {
        this.write(event, event.requestId ?? (0, common_2.requestIdOf)(req), event.sourceIp === undefined ? (0, common_2.redactedClientIpOf)(req) : (0, common_2.redactIp)(event.sourceIp), event.resource ?? req.path);
    }
    /** `authentication_failure` (WARNING) with its reason: a missing or wrong API key or metrics token. */
    authenticationFailure(req, reason) {
        this.recordForRequest(req, {
            action: 'authentication_failure',
            category: 'authentication',
            severity: 'WARNING',
            success: false,
            details: { reason },
        });
    }
    write(event, requestId, sourceIp, resource) {
        const severity = event.severity ?? 'INFO';
        const log = this.eventLogger(event.action, event.category ?? 'api', severity, event.success ?? true);
        const record = {};
        if (event.userId !== undefined)
            record.user_id = (0, common_2.redactUserId)(event.userId);
        if (resource !== undefined)
            record.resource = resource;
        if (sourceIp !== undefined)
            record.source_ip = sourceIp;
        if (requestId !== undefined)
            record.request_id = requestId;
        if (event.details !== undefined)
            record.details = (0, common_2.redactDetails)(event.details);
        log[LEVEL[severity]](record, event.action);
    }
    /**
     * The fixed fields of an event kind (`audit_event`, action, severity, category, success) as a
     * child logger's bindings: pino serialises them once, not on every event of that kind.
     */
    eventLogger(action, category, severity, success) {
        const key = `${action}|${category}|${severity}|${success}`;
        let log = this.byKind.get(key);
        if (log === undefined) {
            log = this.log.child({ audit_event: true, action, severity, category, success });
            // Event kinds are a fixed vocabulary in code; the bound only guards against misuse.
            if (this.byKind.size < MAX_EVENT_KINDS)
                this.byKind.set(key, log);
        }
        return log;
    }
};
exports.AuditService = AuditService;
exports.AuditService = AuditService = __decorate([
    (0, common_1.Injectable)(),
    __param(0, (0, common_1.Inject)(common_2.ROOT_LOGGER)),
    __metadata("design:paramtypes", [Object])
], AuditService);
//# sourceMappingURL=audit.service.js.map