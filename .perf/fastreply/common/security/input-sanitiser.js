"use strict";
/**
 * Injection detection and escaping for free-text inputs (SERVICE.md §8). Pure functions, no Nest:
 * the input-scan guard applies them to requests, and anything that echoes client text uses
 * `escapeHtml` / `sanitizeString`.
 *
 * The SQL rules follow the seed with two deliberate narrowings (the reference flagged any `@` or
 * `;`, which rejected e-mail addresses and ordinary punctuation): `@` counts only at the start of a
 * token (`@version`, `@@rowcount`), never inside `user@example.com`; a lone `;` is not flagged
 * (a stacked statement still is, through its keyword or a trailing `--`).
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.UnsafeInputError = exports.DEFAULT_SANITISE_LENGTH = void 0;
exports.looksLikeSqlInjection = looksLikeSqlInjection;
exports.looksLikeXss = looksLikeXss;
exports.detectInjection = detectInjection;
exports.escapeHtml = escapeHtml;
exports.sanitizeString = sanitizeString;
exports.validateStrictString = validateStrictString;
exports.isApiKeyFormat = isApiKeyFormat;
const SQL_PATTERNS = [
    /\b(?:select|insert|update|delete|drop|union|alter)\b/i,
    /--|\/\*|\*\/|@@/,
    /(?:^|[^\w@.])@\w/,
    /\b(?:or|and)\s+\d+\s*=\s*\d+/i,
    /\b(?:or|and)\s+['"]?\w+['"]?\s*=\s*['"]?\w+/i,
];
const XSS_PATTERNS = [
    /<\s*script\b/i,
    /javascript\s*:/i,
    /<\s*iframe\b/i,
    /<[^>]*\bon[a-z]+\s*=/i,
    /["'`]\s*on[a-z]+\s*=/i,
];
/** Characters every SQL or XSS pattern needs at least one of; strings without any skip the regexes. */
const TRIGGER = /[-/*@=<:'"`]|\b(?:select|insert|update|delete|drop|union|alter)\b/i;
function looksLikeSqlInjection(value) {
    return SQL_PATTERNS.some((p) => p.test(value));
}
function looksLikeXss(value) {
    return XSS_PATTERNS.some((p) => p.test(value));
}
/** The first injection kind a string matches, if any (SQL is checked first). */
function detectInjection(value) {
    if (!TRIGGER.test(value))
        return undefined;
    if (looksLikeSqlInjection(value))
        return 'sql_injection_attempt';
    if (looksLikeXss(value))
        return 'xss_attempt';
    return undefined;
}
const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
/** `&`, `<`, `>` only; quotes stay as they are (the seed's rule). */
function escapeHtml(value) {
    return value.replace(/[&<>]/g, (c) => HTML_ESCAPES[c]);
}
exports.DEFAULT_SANITISE_LENGTH = 1000;
/** Trim, cut to `maxLength`, then escape: the order matters so an escape is never cut in half. */
function sanitizeString(value, maxLength = exports.DEFAULT_SANITISE_LENGTH) {
    return escapeHtml(value.trim().slice(0, maxLength));
}
class UnsafeInputError extends Error {
    kind;
    constructor(message, kind) {
        super(message);
        this.kind = kind;
        this.name = 'UnsafeInputError';
    }
}
exports.UnsafeInputError = UnsafeInputError;
/** Strict validator: bounded length, non-empty unless allowed, no SQL/XSS pattern. Returns the input. */
function validateStrictString(value, options = {}) {
    const maxLength = options.maxLength ?? 10_000;
    if (value.length === 0 && !options.allowEmpty)
        throw new UnsafeInputError('must not be empty');
    if (value.length > maxLength)
        throw new UnsafeInputError(`must be at most ${maxLength} characters`);
    const kind = detectInjection(value);
    if (kind === 'sql_injection_attempt')
        throw new UnsafeInputError('contains a pattern that looks like SQL injection', kind);
    if (kind === 'xss_attempt')
        throw new UnsafeInputError('contains a pattern that looks like script injection', kind);
    return value;
}
const API_KEY_FORMAT = /^[A-Za-z0-9_-]{20,64}$/;
/** Shape check for generated API keys (URL-safe alphabet, 20–64 chars). */
function isApiKeyFormat(value) {
    return API_KEY_FORMAT.test(value);
}
//# sourceMappingURL=input-sanitiser.js.map