"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.KeyWrapper = exports.KeyUnwrapError = void 0;
const aes_gcm_1 = require("../primitives/aes-gcm");
const CHECK_PLAINTEXT = Buffer.from('mfn-master-key-check', 'ascii');
const CHECK_AAD = Buffer.from('mfn-master-key-check:v1', 'ascii');
/** Unwrapping failed: the master key is not the one the material was wrapped under, or the record was altered. */
class KeyUnwrapError extends Error {
    constructor() {
        super('key material could not be unwrapped');
        this.name = 'KeyUnwrapError';
    }
}
exports.KeyUnwrapError = KeyUnwrapError;
/**
 * Wraps key material at rest with AES-256-GCM under the master key. The AAD binds each blob to
 * its key id, version and type, so a blob copied onto another key or version does not unwrap.
 * A key-check value (a wrapped constant) lets the service tell "wrong master key" from "damaged
 * record" before it touches any key.
 */
class KeyWrapper {
    masterKey;
    constructor(masterKey) {
        this.masterKey = (0, aes_gcm_1.createAes256Key)(masterKey);
    }
    wrap(material, id, version, type) {
        return (0, aes_gcm_1.aesGcmSeal)(this.masterKey, material, this.aad(id, version, type)).toString('base64');
    }
    unwrap(wrapped, id, version, type) {
        try {
            return (0, aes_gcm_1.aesGcmOpen)(this.masterKey, Buffer.from(wrapped, 'base64'), this.aad(id, version, type));
        }
        catch (err) {
            if (err instanceof aes_gcm_1.AuthenticationFailedError)
                throw new KeyUnwrapError();
            throw err;
        }
    }
    /** A fresh key-check value for this master key. */
    checkValue() {
        return (0, aes_gcm_1.aesGcmSeal)(this.masterKey, CHECK_PLAINTEXT, CHECK_AAD).toString('base64');
    }
    /** True when `value` was made by `checkValue()` under this same master key. */
    matches(value) {
        try {
            return (0, aes_gcm_1.aesGcmOpen)(this.masterKey, Buffer.from(value, 'base64'), CHECK_AAD).equals(CHECK_PLAINTEXT);
        }
        catch {
            return false;
        }
    }
    aad(id, version, type) {
        return Buffer.from(`mfn-key-wrap:v1|${type}|${id}|${version}`, 'utf8');
    }
}
exports.KeyWrapper = KeyWrapper;
//# sourceMappingURL=key-wrapper.js.map