"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MAX_KEY_LENGTH = exports.MIN_PROD_KEY_LENGTH = exports.PLACEHOLDER_KEYS = exports.ApiKeyConfigError = void 0;
exports.fingerprintOf = fingerprintOf;
exports.isPresentableKey = isPresentableKey;
exports.parseSingleKey = parseSingleKey;
exports.parseListEntry = parseListEntry;
exports.parseKeyringObject = parseKeyringObject;
exports.dedupeEntries = dedupeEntries;
exports.checkKeyPolicy = checkKeyPolicy;
const node_crypto_1 = require("node:crypto");
const roles_1 = require("./roles");
class ApiKeyConfigError extends Error {
    constructor(message) {
        super(message);
        this.name = 'ApiKeyConfigError';
    }
}
exports.ApiKeyConfigError = ApiKeyConfigError;
/** Values from the seed documents and the reference's manifests that must never guard production. */
exports.PLACEHOLDER_KEYS = new Set([
    'placeholder-api-key',
    'dev-key-for-testing',
    'your-api-key',
    'your-generated-key-here',
]);
exports.MIN_PROD_KEY_LENGTH = 32;
/** Longer presented keys are rejected without hashing (SERVICE.md §3). */
exports.MAX_KEY_LENGTH = 256;
/** Printable ASCII without space: everything a key can be while still travelling in a header. */
const KEY_CHARSET = /^[\x21-\x7e]+$/;
const ID_CHARSET = /^[A-Za-z0-9._@-]{1,64}$/;
const ROLE_NAMES = new Map([...roles_1.ALL_ROLES].map((r) => [r, r]));
/** First 8 hex characters of SHA-256(key): a stable, non-reversible name for a key without an id. */
function fingerprintOf(key) {
    return (0, node_crypto_1.createHash)('sha256').update(key, 'utf8').digest('hex').slice(0, 8);
}
function isPresentableKey(key) {
    return key.length <= exports.MAX_KEY_LENGTH && KEY_CHARSET.test(key);
}
function parseRoles(raw, source) {
    const names = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split('+') : undefined;
    if (names === undefined)
        throw new ApiKeyConfigError(`${source}: roles must be a list or a '+'-joined string`);
    const roles = new Set();
    for (const name of names) {
        const role = typeof name === 'string' ? ROLE_NAMES.get(name.trim().toLowerCase()) : undefined;
        // The offending text is not quoted: a malformed entry may have shifted part of a key into it.
        if (role === undefined) {
            throw new ApiKeyConfigError(`${source}: unknown role (allowed: ${[...roles_1.ALL_ROLES].join(', ')})`);
        }
        roles.add(role);
    }
    if (roles.size === 0)
        throw new ApiKeyConfigError(`${source}: the role list is empty`);
    return roles;
}
function makeEntry(key, id, roles, source) {
    if (key.length === 0)
        throw new ApiKeyConfigError(`${source}: the key is empty`);
    if (!isPresentableKey(key)) {
        throw new ApiKeyConfigError(`${source}: the key must be 1-${exports.MAX_KEY_LENGTH} printable ASCII characters without spaces (it could never be sent in X-API-Key)`);
    }
    if (id !== undefined && !ID_CHARSET.test(id)) {
        throw new ApiKeyConfigError(`${source}: the key name must be 1-64 characters of A-Z a-z 0-9 . _ @ -`);
    }
    return { key, id: id ?? fingerprintOf(key), roles, source };
}
function entryFromObject(value, source) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new ApiKeyConfigError(`${source}: expected an object with "key", optional "id" and "roles"`);
    }
    const obj = value;
    if (typeof obj.key !== 'string')
        throw new ApiKeyConfigError(`${source}: "key" must be a string`);
    if (obj.id !== undefined && typeof obj.id !== 'string')
        throw new ApiKeyConfigError(`${source}: "id" must be a string`);
    const roles = obj.roles === undefined ? roles_1.ALL_ROLES : parseRoles(obj.roles, source);
    return makeEntry(obj.key.trim(), obj.id?.trim(), roles, source);
}
/** The single key of MFN_API_KEY: taken as is (a bare key, all roles). */
function parseSingleKey(value, source = 'MFN_API_KEY') {
    return makeEntry(value.trim(), undefined, roles_1.ALL_ROLES, source);
}
/** One item of the MFN_API_KEYS list. */
function parseListEntry(item, source) {
    const text = item.trim();
    if (text.startsWith('{')) {
        let parsed;
        try {
            parsed = JSON.parse(text);
        }
        catch {
            throw new ApiKeyConfigError(`${source}: invalid JSON object`);
        }
        return entryFromObject(parsed, source);
    }
    const parts = text.split(':');
    if (parts.length === 1)
        return makeEntry(text, undefined, roles_1.ALL_ROLES, source);
    if (parts.length === 2)
        return makeEntry(parts[1].trim(), parts[0].trim(), roles_1.ALL_ROLES, source);
    if (parts.length === 3)
        return makeEntry(parts[1].trim(), parts[0].trim(), parseRoles(parts[2], source), source);
    throw new ApiKeyConfigError(`${source}: expected key, name:key or name:key:role1+role2`);
}
/** MFN_API_KEYS holding one JSON object: a single entry or `{"keys": [...]}`. */
function parseKeyringObject(text, source = 'MFN_API_KEYS') {
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch {
        throw new ApiKeyConfigError(`${source}: invalid JSON object`);
    }
    const keys = parsed?.keys;
    if (Array.isArray(keys))
        return keys.map((k, i) => entryFromObject(k, `${source} entry ${i + 1}`));
    return [entryFromObject(parsed, source)];
}
/** Same key twice: the first entry wins (its id and roles), so a list cannot silently widen a key. */
function dedupeEntries(entries) {
    const seen = new Set();
    return entries.filter((e) => {
        if (seen.has(e.key))
            return false;
        seen.add(e.key);
        return true;
    });
}
/**
 * Start-up rules: with authentication required the set must not be empty; in prod every key must
 * be at least 32 characters and not a known placeholder (SERVICE.md §2.1 "never use placeholder
 * keys", "min 32 bytes").
 */
function checkKeyPolicy(entries, options) {
    if (options.required && entries.length === 0) {
        throw new ApiKeyConfigError(`API key authentication is required but no API keys were provided (set MFN_API_KEY or MFN_API_KEYS, or their _FILE variants; MFN_ENV=${options.env})`);
    }
    if (!options.prod)
        return;
    for (const e of entries) {
        if (exports.PLACEHOLDER_KEYS.has(e.key.toLowerCase())) {
            throw new ApiKeyConfigError(`${e.source} (id ${e.id}) is a known placeholder value; generate a real key for prod`);
        }
        if (e.key.length < exports.MIN_PROD_KEY_LENGTH) {
            throw new ApiKeyConfigError(`${e.source} (id ${e.id}) is shorter than ${exports.MIN_PROD_KEY_LENGTH} characters; prod requires at least ${exports.MIN_PROD_KEY_LENGTH}`);
        }
    }
}
//# sourceMappingURL=api-key-entries.js.map