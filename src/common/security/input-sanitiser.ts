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

export type InjectionKind = 'sql_injection_attempt' | 'xss_attempt';

const SQL_PATTERNS: readonly RegExp[] = [
  /\b(?:select|insert|update|delete|drop|union|alter)\b/i,
  /--|\/\*|\*\/|@@/,
  /(?:^|[^\w@.])@\w/,
  /\b(?:or|and)\s+\d+\s*=\s*\d+/i,
  /\b(?:or|and)\s+['"]?\w+['"]?\s*=\s*['"]?\w+/i,
];

const XSS_PATTERNS: readonly RegExp[] = [
  /<\s*script\b/i,
  /javascript\s*:/i,
  /<\s*iframe\b/i,
  /<[^>]*\bon[a-z]+\s*=/i,
  /["'`]\s*on[a-z]+\s*=/i,
];

/** Characters every SQL or XSS pattern needs at least one of; strings without any skip the regexes. */
const TRIGGER = /[-/*@=<:'"`]|\b(?:select|insert|update|delete|drop|union|alter)\b/i;

export function looksLikeSqlInjection(value: string): boolean {
  return SQL_PATTERNS.some((p) => p.test(value));
}

export function looksLikeXss(value: string): boolean {
  return XSS_PATTERNS.some((p) => p.test(value));
}

/** The first injection kind a string matches, if any (SQL is checked first). */
export function detectInjection(value: string): InjectionKind | undefined {
  if (!TRIGGER.test(value)) return undefined;
  if (looksLikeSqlInjection(value)) return 'sql_injection_attempt';
  if (looksLikeXss(value)) return 'xss_attempt';
  return undefined;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** `&`, `<`, `>` only; quotes stay as they are (the seed's rule). */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>]/g, (c) => HTML_ESCAPES[c]);
}

export const DEFAULT_SANITISE_LENGTH = 1000;

/** Trim, cut to `maxLength`, then escape: the order matters so an escape is never cut in half. */
export function sanitizeString(value: string, maxLength = DEFAULT_SANITISE_LENGTH): string {
  return escapeHtml(value.trim().slice(0, maxLength));
}

export interface StrictStringOptions {
  maxLength?: number;
  allowEmpty?: boolean;
}

export class UnsafeInputError extends Error {
  constructor(
    message: string,
    readonly kind?: InjectionKind,
  ) {
    super(message);
    this.name = 'UnsafeInputError';
  }
}

/** Strict validator: bounded length, non-empty unless allowed, no SQL/XSS pattern. Returns the input. */
export function validateStrictString(value: string, options: StrictStringOptions = {}): string {
  const maxLength = options.maxLength ?? 10_000;
  if (value.length === 0 && !options.allowEmpty) throw new UnsafeInputError('must not be empty');
  if (value.length > maxLength) throw new UnsafeInputError(`must be at most ${maxLength} characters`);
  const kind = detectInjection(value);
  if (kind === 'sql_injection_attempt') throw new UnsafeInputError('contains a pattern that looks like SQL injection', kind);
  if (kind === 'xss_attempt') throw new UnsafeInputError('contains a pattern that looks like script injection', kind);
  return value;
}

const API_KEY_FORMAT = /^[A-Za-z0-9_-]{20,64}$/;

/** Shape check for generated API keys (URL-safe alphabet, 20–64 chars). */
export function isApiKeyFormat(value: string): boolean {
  return API_KEY_FORMAT.test(value);
}
