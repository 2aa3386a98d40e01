"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PBKDF2_SALT_BYTES = exports.PBKDF2_MIN_ITERATIONS = exports.PBKDF2_DEFAULT_ITERATIONS = void 0;
exports.pbkdf2Sha256 = pbkdf2Sha256;
exports.randomSalt = randomSalt;
const node_crypto_1 = require("node:crypto");
/**
 * PBKDF2-HMAC-SHA256. Runs on libuv's thread pool (async), so a 100,000-iteration derivation does
 * not stall the event loop.
 */
exports.PBKDF2_DEFAULT_ITERATIONS = 100_000;
/** Below this the derivation is too cheap to slow down a password guesser; refused outright. */
exports.PBKDF2_MIN_ITERATIONS = 10_000;
exports.PBKDF2_SALT_BYTES = 16;
function pbkdf2Sha256(password, salt, iterations = exports.PBKDF2_DEFAULT_ITERATIONS, length = 32) {
    if (!Number.isInteger(iterations) || iterations < exports.PBKDF2_MIN_ITERATIONS) {
        return Promise.reject(new RangeError(`PBKDF2 needs at least ${exports.PBKDF2_MIN_ITERATIONS} iterations`));
    }
    return new Promise((resolve, reject) => {
        (0, node_crypto_1.pbkdf2)(password, salt, iterations, length, 'sha256', (err, key) => (err ? reject(err) : resolve(key)));
    });
}
function randomSalt(bytes = exports.PBKDF2_SALT_BYTES) {
    return (0, node_crypto_1.randomBytes)(bytes);
}
//# sourceMappingURL=pbkdf2.js.map