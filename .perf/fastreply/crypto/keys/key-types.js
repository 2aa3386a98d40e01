"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.KEY_ID_PATTERN = exports.GENERATED_KEY_ID = exports.KeyType = void 0;
/** The kinds of key the store holds and what is persisted for each (SERVICE.md §9). */
var KeyType;
(function (KeyType) {
    KeyType["AES_256_GCM"] = "AES-256-GCM";
    KeyType["ED25519"] = "Ed25519";
    KeyType["X25519"] = "X25519";
})(KeyType || (exports.KeyType = KeyType = {}));
/** `key_` + 32 lowercase hex characters, as generated ids look. */
exports.GENERATED_KEY_ID = /^key_[0-9a-f]{32}$/;
/**
 * Accepted key ids: 1–64 of A-Z a-z 0-9 . _ : - (SERVICE.md §8). Wide enough for ids like
 * `billing:2024.q1` and safe in URL paths, Redis key names and logs.
 */
exports.KEY_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;
//# sourceMappingURL=key-types.js.map