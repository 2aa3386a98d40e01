import { SecretFormatError } from './secrets.errors';

/**
 * Splits a list secret: a JSON array when the trimmed text starts with `[`, else newline- and
 * comma-separated items. A text starting with `[` that is not a valid JSON array (a truncated
 * one, say) is refused rather than split: read as CSV its pieces would become items. Items are
 * trimmed, empties dropped, order kept. Non-string array items are kept as their JSON text (so
 * `{"key":…,"roles":[…]}` entries survive for the auth layer to interpret).
 */
export function parseSecretList(name: string, raw: string | undefined): string[] {
  if (raw === undefined) return [];
  const text = raw.trim();
  if (text.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // The parser's own message quotes the input, so it is never passed on.
      throw new SecretFormatError(name, 'contains invalid JSON array');
    }
    if (!Array.isArray(parsed)) throw new SecretFormatError(name, 'contains invalid JSON array');
    return parsed
      .filter((item) => item !== null && item !== undefined)
      .map((item) => (typeof item === 'string' ? item : JSON.stringify(item)).trim())
      .filter((item) => item !== '');
  }
  return text
    .replace(/\r/g, '')
    .split('\n')
    .flatMap((line) => line.split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
