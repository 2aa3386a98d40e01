"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ALL_ROLES = exports.Role = void 0;
/** Roles an API key may carry. A key without explicit roles holds all of them. */
var Role;
(function (Role) {
    /** /nernst, /simulate, /validate, /federated/aggregate */
    Role["COMPUTE"] = "compute";
    /** /api/encrypt, /api/decrypt, /api/sign, /api/verify */
    Role["CRYPTO"] = "crypto";
    /** key pair creation, rotation, key metadata */
    Role["KEYS"] = "keys";
    /** /metrics when it is protected */
    Role["METRICS"] = "metrics";
    /** everything */
    Role["ADMIN"] = "admin";
})(Role || (exports.Role = Role = {}));
exports.ALL_ROLES = new Set(Object.values(Role));
//# sourceMappingURL=roles.js.map