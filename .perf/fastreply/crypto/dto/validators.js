"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.KeyIdPipe = exports.KEY_ID_RULE = exports.MAX_PUBLIC_KEY_CHARS = exports.MAX_SIGNATURE_CHARS = exports.MAX_AAD_CHARS = exports.MAX_DECODED_BYTES = exports.MAX_BASE64_CHARS = void 0;
exports.IsStrictBase64 = IsStrictBase64;
const class_validator_1 = require("class-validator");
const common_1 = require("../../common");
const key_types_1 = require("../keys/key-types");
const base64_1 = require("../primitives/base64");
/** Longest base64 field (plaintext, message, ciphertext), in characters (SERVICE.md §1.3). */
exports.MAX_BASE64_CHARS = 1_048_576;
/** Largest decoded plaintext or message, in bytes. */
exports.MAX_DECODED_BYTES = 1_048_576;
exports.MAX_AAD_CHARS = 4096;
exports.MAX_SIGNATURE_CHARS = 256;
exports.MAX_PUBLIC_KEY_CHARS = 256;
exports.KEY_ID_RULE = 'key_id must be 1-64 characters of A-Z a-z 0-9 . _ : -';
/**
 * Strict standard base64 (RFC 4648 §4). Non-strings pass here so that IsString reports them
 * once instead of every constraint complaining.
 */
function IsStrictBase64(options) {
    return (0, class_validator_1.ValidateBy)({
        name: 'isStrictBase64',
        validator: {
            validate: (value) => typeof value !== 'string' || (0, base64_1.isStrictBase64)(value),
            defaultMessage: (0, class_validator_1.buildMessage)((each) => `${each}$property must be standard base64 (RFC 4648 §4: A-Z a-z 0-9 + /, = padding)`, options),
        },
    }, options);
}
/** Key ids in URL paths: same rule as in bodies, 422 with the path location otherwise. */
class KeyIdPipe {
    transform(value) {
        if (typeof value !== 'string' || !key_types_1.KEY_ID_PATTERN.test(value)) {
            throw common_1.AppException.validation([{ field: 'path.key_id', message: exports.KEY_ID_RULE }]);
        }
        return value;
    }
}
exports.KeyIdPipe = KeyIdPipe;
//# sourceMappingURL=validators.js.map