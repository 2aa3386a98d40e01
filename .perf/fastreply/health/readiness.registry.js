"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.ReadinessRegistry = void 0;
const common_1 = require("@nestjs/common");
/**
 * Modules register their readiness checks here (Redis, secrets, worker pool) so the health
 * module does not depend on them. Liveness never runs these.
 */
let ReadinessRegistry = class ReadinessRegistry {
    checks = new Map();
    register(name, check) {
        this.checks.set(name, check);
    }
    all() {
        return [...this.checks.values()];
    }
};
exports.ReadinessRegistry = ReadinessRegistry;
exports.ReadinessRegistry = ReadinessRegistry = __decorate([
    (0, common_1.Injectable)()
], ReadinessRegistry);
//# sourceMappingURL=readiness.registry.js.map