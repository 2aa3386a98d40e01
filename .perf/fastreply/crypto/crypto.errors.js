"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CryptoErrors = void 0;
const common_1 = require("@nestjs/common");
const common_2 = require("../common");
/**
 * The crypto module's client-facing errors. Messages are fixed texts: they never carry key
 * material, plaintext or library error text, and decryption failures do not say which check
 * failed (no oracle for tampering).
 */
exports.CryptoErrors = {
    disabled: () => common_2.AppException.unavailable('Cryptographic operations are disabled'),
    keyNotFound: (id) => common_2.AppException.notFound(`Key '${id}' not found`),
    wrongKeyType: (id, wanted) => common_2.AppException.notFound(`Key '${id}' is not ${wanted} key`),
    keyExists: (id) => new common_2.AppException(common_2.ErrorCode.INVALID_REQUEST, `Key '${id}' already exists`, common_1.HttpStatus.CONFLICT),
    quotaExceeded: (max) => new common_2.AppException(common_2.ErrorCode.INVALID_REQUEST, `Key limit reached: at most ${max} keys per caller`, common_1.HttpStatus.CONFLICT),
    decryptionFailed: (message = 'Decryption failed') => common_2.AppException.badRequest(message, common_2.ErrorCode.DECRYPTION_FAILED),
    noDecryptionKey: () => common_2.AppException.badRequest('No encryption key available for decryption', common_2.ErrorCode.DECRYPTION_FAILED),
    noVerificationKey: () => common_2.AppException.badRequest('No public key provided and no key_id matches stored keys', common_2.ErrorCode.VERIFICATION_FAILED),
    tooLarge: (what, max) => common_2.AppException.badRequest(`${what} exceeds maximum size of ${max} bytes`),
    versionOutOfRange: (latest) => common_2.AppException.badRequest(`min_decryption_version must be between 1 and the latest version (${latest})`),
    storeUnavailable: () => common_2.AppException.unavailable('Key store unavailable', 1),
    masterKeyMismatch: () => common_2.AppException.unavailable('Key store cannot be read with the configured master key'),
    keyMaterialUnreadable: () => new common_2.AppException(common_2.ErrorCode.CRYPTO_ERROR, 'Key material could not be read', common_1.HttpStatus.INTERNAL_SERVER_ERROR),
};
//# sourceMappingURL=crypto.errors.js.map