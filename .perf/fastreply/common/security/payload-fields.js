"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PAYLOAD_FIELDS = void 0;
/**
 * Request fields that carry payloads — binary data as base64 (checked by its strict alphabet)
 * or gradient numbers — rather than text: never scanned for injection patterns (only false
 * positives) and never echoed in validation details.
 */
exports.PAYLOAD_FIELDS = new Set([
    'plaintext',
    'ciphertext',
    'message',
    'signature',
    'associated_data',
    'public_key',
    'private_key',
    'gradients',
]);
//# sourceMappingURL=payload-fields.js.map