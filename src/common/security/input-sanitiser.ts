/**
 * Injection detection and escaping for free-text inputs. Pure functions, no Nest:
 * the input-scan guard applies them to requests, and anything that echoes client text uses
 * `escapeHtml` / `sanitizeString`.
 *
 * The SQL rules follow the seed with two deliberate narrowings (the reference flagged any `@` or
 * `;`, which rejected e-mail addresses and ordinary punctuation): `@` counts only at the start of a
 * token (`@version`, `@@rowcount`), never inside `user@example.com`; a lone `;` is not flagged
 * (a stacked statement still is, through its keyword or a trailing `--`).
 */

import { isWord, skipLetters, skipSpaces } from './scan-chars';

export type InjectionKind = 'sql_injection_attempt' | 'xss_attempt';

/**
 * One detection rule. Every `test` runs in time linear in the length of its input, whatever the
 * input. A backtracking regex is linear when each of its quantified parts can be entered from
 * one start position only: the run a quantifier reads must not contain the token that starts
 * the rule, so two attempts never read the same run (and backtracking inside one attempt costs
 * at most twice its run). The rules below that keep a regex satisfy that, each with its reason
 * beside it; the one that did not (`<[^>]*\bon…`) is a hand-written scan.
 * `input-sanitiser.property.spec.ts` checks every rule against the former regexes and counts the
 * characters the hand-written scan reads; `bench/scan.js` times every rule on 2 MiB adversarial
 * inputs against 2 MiB of benign text.
 */
export interface ScanPattern {
  /** Stable name, used by the tests and `bench/scan.js`. */
  readonly name: string;
  readonly kind: InjectionKind;
  readonly test: (value: string) => boolean;
}

/** No quantifier: ≤ 7 fixed words of ≤ 6 letters per start position. */
const SQL_KEYWORD = /\b(?:select|insert|update|delete|drop|union|alter)\b/i;
/** No quantifier: four two-character tokens per start position. */
const SQL_COMMENT = /--|\/\*|\*\/|@@/;
/** No quantifier: a three-character window per start position. */
const SQL_VARIABLE = /(?:^|[^\w@.])@\w/;
/**
 * `OR 1=1` and `' OR 'a'='a`. The former two rules merged: `\b(?:or|and)\s+\d+\s*=\s*\d+` is a
 * special case of this one (`\d` is part of `\w`), and the final `\w+` became `\w` (one
 * character decides). Linear: the quantifiers are entered only behind `or`/`and` at a word start,
 * and read spaces, one word and spaces again — runs holding no word start, except the word
 * itself, which is the keyword of at most one next attempt. So each run is read by at most two
 * attempts.
 */
const SQL_COMPARISON = /\b(?:or|and)\s+['"]?\w+['"]?\s*=\s*['"]?\w/i;
/** Linear: `\s*` is entered only right after a `<`, and a run of spaces holds no `<`. */
const SCRIPT_TAG = /<\s*script\b/i;
/** Linear: as the script tag. */
const IFRAME_TAG = /<\s*iframe\b/i;
/** Linear: `\s*` is entered only right after the word, and a run of spaces holds none of it. */
const JAVASCRIPT_SCHEME = /javascript\s*:/i;
/**
 * Linear: the quantifiers are entered only after a quote (spaces, then `on` and letters, then
 * spaces), and none of those runs holds a quote.
 */
const HANDLER_AFTER_QUOTE = /["'`]\s*on[a-z]+\s*=/i;

const LT = 60; // <
const GT = 62; // >
const EQ = 61; // =

/**
 * `<[^>]*\bon[a-z]+\s*=` — quadratic as a regex: `[^>]*` was entered from every `<` and read up
 * to the next `>`, so n `<` without a `>` cost n²/2 steps. One left-to-right pass instead:
 * `open` says whether a `<` came since the last `>` (exactly the places `<[^>]*` reaches), and
 * at a word start inside a tag the handler shape is read greedily (letters, then spaces, then
 * `=`; each run is followed by something it cannot contain, so there is nothing to backtrack).
 * Bound: a failed handler resumes where it stopped (its letters and spaces hold no `<`, `>` or
 * word start): ≤ 2 reads per character. Strings without `<` are not scanned at all.
 */
function hasHandlerInTag(s: string): boolean {
  const first = s.indexOf('<');
  if (first < 0) return false;
  let open = true;
  for (let i = first + 1; i < s.length; ) {
    const c = s.charCodeAt(i);
    if (c === LT) open = true;
    else if (c === GT) open = false;
    else if (open && (c | 0x20) === 111 && (s.charCodeAt(i + 1) | 0x20) === 110 && !isWord(s.charCodeAt(i - 1))) {
      const letters = i + 2;
      const spaces = skipLetters(s, letters);
      if (spaces > letters) {
        const end = skipSpaces(s, spaces);
        if (s.charCodeAt(end) === EQ) return true;
        i = end;
        continue;
      }
    }
    i++;
  }
  return false;
}

const regexRule = (name: string, kind: InjectionKind, re: RegExp): ScanPattern => ({ name, kind, test: (v) => re.test(v) });

export const SQL_PATTERNS: readonly ScanPattern[] = [
  regexRule('sql-keyword', 'sql_injection_attempt', SQL_KEYWORD),
  regexRule('sql-comment', 'sql_injection_attempt', SQL_COMMENT),
  regexRule('sql-variable', 'sql_injection_attempt', SQL_VARIABLE),
  regexRule('sql-comparison', 'sql_injection_attempt', SQL_COMPARISON),
];

export const XSS_PATTERNS: readonly ScanPattern[] = [
  regexRule('xss-script-tag', 'xss_attempt', SCRIPT_TAG),
  regexRule('xss-javascript-scheme', 'xss_attempt', JAVASCRIPT_SCHEME),
  regexRule('xss-iframe-tag', 'xss_attempt', IFRAME_TAG),
  { name: 'xss-handler-in-tag', kind: 'xss_attempt', test: hasHandlerInTag },
  regexRule('xss-handler-after-quote', 'xss_attempt', HANDLER_AFTER_QUOTE),
];

/** Every rule, SQL first (the order `detectInjection` reports in). */
export const SCAN_PATTERNS: readonly ScanPattern[] = [...SQL_PATTERNS, ...XSS_PATTERNS];

/**
 * Characters every SQL or XSS rule needs at least one of; strings without any skip the rules.
 * No quantifier: one class test or ≤ 7 fixed words per start position.
 */
const TRIGGER = /[-/*@=<:'"`]|\b(?:select|insert|update|delete|drop|union|alter)\b/i;

export function looksLikeSqlInjection(value: string): boolean {
  return SQL_PATTERNS.some((p) => p.test(value));
}

export function looksLikeXss(value: string): boolean {
  return XSS_PATTERNS.some((p) => p.test(value));
}

/** The first injection kind a string matches, if any (SQL is checked first). Linear in `value`. */
export function detectInjection(value: string): InjectionKind | undefined {
  if (!TRIGGER.test(value)) return undefined;
  if (looksLikeSqlInjection(value)) return 'sql_injection_attempt';
  if (looksLikeXss(value)) return 'xss_attempt';
  return undefined;
}

const HTML_ESCAPES: ReadonlyMap<string, string> = new Map([
  ['&', '&amp;'],
  ['<', '&lt;'],
  ['>', '&gt;'],
]);

/** `&`, `<`, `>` only; quotes stay as they are (the seed's rule). */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>]/g, (c) => HTML_ESCAPES.get(c) ?? c);
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
