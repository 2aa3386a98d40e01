"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MasterKeyError = exports.MASTER_KEY_BYTES = exports.MASTER_KEY_SECRET = void 0;
exports.resolveMasterKey = resolveMasterKey;
const node_crypto_1 = require("node:crypto");
const base64_1 = require("../primitives/base64");
exports.MASTER_KEY_SECRET = 'MFN_MASTER_KEY';
exports.MASTER_KEY_BYTES = 32;
/** Start-up failure about the master key; the message is one line and never contains the key. */
class MasterKeyError extends Error {
    constructor(message) {
        super(message);
        this.name = 'MasterKeyError';
    }
}
exports.MasterKeyError = MasterKeyError;
/**
 * Resolves the master key from its secret value: base64 of exactly 32 bytes. Missing is fatal
 * in prod; elsewhere a random key is generated (the caller warns that keys will not survive).
 */
function resolveMasterKey(secretValue, env) {
    const value = secretValue?.trim();
    if (!value) {
        if (env === 'prod') {
            throw new MasterKeyError(`${exports.MASTER_KEY_SECRET} is required in prod (base64 of ${exports.MASTER_KEY_BYTES} random bytes, e.g. from \`openssl rand -base64 32\`)`);
        }
        return { bytes: (0, node_crypto_1.randomBytes)(exports.MASTER_KEY_BYTES), generated: true };
    }
    const bytes = (0, base64_1.decodeStrictBase64)(value);
    if (!bytes || bytes.length !== exports.MASTER_KEY_BYTES) {
        throw new MasterKeyError(`${exports.MASTER_KEY_SECRET} must be standard base64 of exactly ${exports.MASTER_KEY_BYTES} bytes`);
    }
    return { bytes, generated: false };
}
//# sourceMappingURL=master-key.js.map