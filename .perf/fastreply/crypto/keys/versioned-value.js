"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.VERSIONED_PREFIX = void 0;
exports.formatVersioned = formatVersioned;
exports.parseVersioned = parseVersioned;
exports.looksVersioned = looksVersioned;
/**
 * Ciphertexts and signatures name the key version that made them, as in Vault's transit engine:
 * `mfn:v<version>:<base64 payload>`. The prefix is plain ASCII so clients can split it off; a
 * value without it is treated as "version unknown" and every usable version is tried.
 */
exports.VERSIONED_PREFIX = 'mfn';
const VERSIONED = /^mfn:v([1-9][0-9]{0,8}):(.*)$/s;
function formatVersioned(version, payloadBase64) {
    return `${exports.VERSIONED_PREFIX}:v${version}:${payloadBase64}`;
}
function parseVersioned(value) {
    const m = VERSIONED.exec(value);
    if (!m)
        return { payload: value };
    return { version: Number(m[1]), payload: m[2] };
}
/** True when the value starts like a versioned string, even if the version part is malformed. */
function looksVersioned(value) {
    return value.startsWith(`${exports.VERSIONED_PREFIX}:`);
}
//# sourceMappingURL=versioned-value.js.map