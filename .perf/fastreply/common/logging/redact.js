"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.REDACTED = void 0;
exports.redactIp = redactIp;
exports.redactUserId = redactUserId;
exports.redactDetails = redactDetails;
exports.isSecretKeyName = isSecretKeyName;
const node_net_1 = require("node:net");
exports.REDACTED = '<redacted>';
/** IPv4 keeps its first octet (`192.xxx.xxx.xxx`); anything else keeps 8 characters. */
function redactIp(ip) {
    if (!ip)
        return ip;
    const plain = ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
    if ((0, node_net_1.isIP)(plain) === 4)
        return `${plain.split('.')[0]}.xxx.xxx.xxx`;
    return plain.length > 8 ? `${plain.slice(0, 8)}...` : `${plain}...`;
}
/** User ids keep their first 4 characters; shorter ids are fully masked. */
function redactUserId(id) {
    if (id === undefined || id === null)
        return id;
    if (id.length <= 4)
        return '*'.repeat(id.length);
    return id.slice(0, 4) + '*'.repeat(id.length - 4);
}
const SECRET_KEYS = new Set(['api_key', 'x-api-key', 'apikey', 'password', 'secret', 'token', 'private_key', 'plaintext', 'authorization', 'cookie']);
/** Replaces secret-like keys at any depth (objects and arrays) with `<redacted>`. */
function redactDetails(value, depth = 0) {
    if (depth > 8 || value === null || typeof value !== 'object')
        return value;
    if (Array.isArray(value))
        return value.map((v) => redactDetails(v, depth + 1));
    const out = {};
    for (const [k, v] of Object.entries(value)) {
        out[k] = SECRET_KEYS.has(k.toLowerCase()) ? exports.REDACTED : redactDetails(v, depth + 1);
    }
    return out;
}
function isSecretKeyName(name) {
    return SECRET_KEYS.has(name.toLowerCase());
}
//# sourceMappingURL=redact.js.map