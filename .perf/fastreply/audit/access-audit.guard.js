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
exports.AccessAuditGuard = void 0;
const common_1 = require("@nestjs/common");
const principal_1 = require("../auth/principal");
const fallback_controller_1 = require("../common/http/fallback.controller");
const audit_service_1 = require("./audit.service");
/**
 * Emits `access_granted` once an authenticated caller has passed every check of the guard chain
 * and the protected handler is about to run (resource = the path). Unknown paths are not
 * resources, so the catch-all route is skipped.
 *
 * A guard rather than an interceptor on purpose: in Nest 11 every global interceptor wraps each
 * handler call in rxjs plus AsyncResource bindings, which measured at about a sixth of the CPU of
 * a guarded POST /nernst; the last guard sees exactly the same decision for free.
 */
let AccessAuditGuard = class AccessAuditGuard {
    audit;
    constructor(audit) {
        this.audit = audit;
    }
    canActivate(context) {
        const req = context.switchToHttp().getRequest();
        const principal = (0, principal_1.principalOf)(req);
        if (principal?.authenticated && context.getClass() !== fallback_controller_1.FallbackController) {
            this.audit.recordForRequest(req, {
                action: 'access_granted',
                category: 'authorization',
                userId: principal.id,
            });
        }
        return true;
    }
};
exports.AccessAuditGuard = AccessAuditGuard;
exports.AccessAuditGuard = AccessAuditGuard = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [audit_service_1.AuditService])
], AccessAuditGuard);
//# sourceMappingURL=access-audit.guard.js.map