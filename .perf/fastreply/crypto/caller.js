"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Caller = void 0;
exports.callerOf = callerOf;
exports.ownerOf = ownerOf;
const common_1 = require("@nestjs/common");
const node_crypto_1 = require("node:crypto");
const common_2 = require("../common");
const principal_1 = require("../auth/principal");
function callerOf(req) {
    const principal = (0, principal_1.principalOf)(req);
    if (principal?.authenticated)
        return { req, userId: principal.id, identity: `key:${principal.id}` };
    return { req, identity: `ip:${(0, common_2.clientIpOf)(req)}` };
}
/**
 * The owner recorded on keys: a hash of the caller identity, so the store never holds client
 * addresses or key ids in clear.
 */
function ownerOf(caller) {
    return (0, node_crypto_1.createHash)('sha256').update(`mfn-key-owner|${caller.identity}`).digest('hex').slice(0, 32);
}
/** Handler parameter: the calling principal or client. */
exports.Caller = (0, common_1.createParamDecorator)((_data, ctx) => callerOf(ctx.switchToHttp().getRequest()));
//# sourceMappingURL=caller.js.map