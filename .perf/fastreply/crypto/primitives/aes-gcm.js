"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.AuthenticationFailedError = exports.GCM_MIN_SEALED_BYTES = exports.GCM_TAG_BYTES = exports.GCM_NONCE_BYTES = exports.AES_256_KEY_BYTES = void 0;
exports.createAes256Key = createAes256Key;
exports.aesGcmSeal = aesGcmSeal;
exports.aesGcmOpen = aesGcmOpen;
const node_crypto_1 = require("node:crypto");
const random_pool_1 = require("./random-pool");
/**
 * AES-256-GCM with the service's wire layout: nonce (12 random bytes) ‖ ciphertext ‖ tag (16 bytes).
 * A random 96-bit nonce per message keeps the nonce-reuse probability negligible for up to 2^32
 * messages per key version; rotate keys long before that.
 */
exports.AES_256_KEY_BYTES = 32;
exports.GCM_NONCE_BYTES = 12;
exports.GCM_TAG_BYTES = 16;
/** Shortest sealed value: nonce and tag around an empty ciphertext. */
exports.GCM_MIN_SEALED_BYTES = exports.GCM_NONCE_BYTES + exports.GCM_TAG_BYTES;
/** The tag did not verify: wrong key, wrong AAD, tampered or truncated data. Deliberately says no more. */
class AuthenticationFailedError extends Error {
    constructor() {
        super('authentication failed');
        this.name = 'AuthenticationFailedError';
    }
}
exports.AuthenticationFailedError = AuthenticationFailedError;
/** An AES-256 key object from 32 raw bytes (random when omitted). */
function createAes256Key(raw = (0, node_crypto_1.randomBytes)(exports.AES_256_KEY_BYTES)) {
    if (raw.length !== exports.AES_256_KEY_BYTES)
        throw new RangeError(`AES-256 keys are ${exports.AES_256_KEY_BYTES} bytes`);
    return (0, node_crypto_1.createSecretKey)(raw);
}
function aesGcmSeal(key, plaintext, aad) {
    const nonce = (0, random_pool_1.randomNonce)(exports.GCM_NONCE_BYTES);
    const cipher = (0, node_crypto_1.createCipheriv)('aes-256-gcm', key, nonce, { authTagLength: exports.GCM_TAG_BYTES });
    if (aad && aad.length > 0)
        cipher.setAAD(aad);
    const body = cipher.update(plaintext);
    const tail = cipher.final();
    return Buffer.concat([nonce, body, tail, cipher.getAuthTag()]);
}
/** Opens `nonce ‖ ciphertext ‖ tag`; throws AuthenticationFailedError for anything that does not verify. */
function aesGcmOpen(key, sealed, aad) {
    if (sealed.length < exports.GCM_MIN_SEALED_BYTES)
        throw new AuthenticationFailedError();
    const nonce = sealed.subarray(0, exports.GCM_NONCE_BYTES);
    const tag = sealed.subarray(sealed.length - exports.GCM_TAG_BYTES);
    const body = sealed.subarray(exports.GCM_NONCE_BYTES, sealed.length - exports.GCM_TAG_BYTES);
    const decipher = (0, node_crypto_1.createDecipheriv)('aes-256-gcm', key, nonce, { authTagLength: exports.GCM_TAG_BYTES });
    decipher.setAuthTag(tag);
    if (aad && aad.length > 0)
        decipher.setAAD(aad);
    try {
        const head = decipher.update(body);
        return Buffer.concat([head, decipher.final()]);
    }
    catch {
        throw new AuthenticationFailedError();
    }
}
//# sourceMappingURL=aes-gcm.js.map