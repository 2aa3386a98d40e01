import type { AppConfig } from '../config';
import { ApiKeyConfigError, ApiKeyEntry, checkKeyPolicy, collectEntries, dedupeEntries, parseKeyringObject, parseListEntry, parseSingleKey } from './api-key-entries';

/** The part of the SecretsService the key ring reads. */
export interface KeySecrets {
  getSecret(name: string): string | undefined;
  getList(name: string): string[];
}

/**
 * The configured keys (MFN_API_KEY, then the MFN_API_KEYS entries), duplicates dropped, checked
 * against the start-up rules. Throws one ApiKeyConfigError naming every bad entry; never quotes a
 * key. Used by the key ring and by the start-up checks (src/startup-checks.ts).
 */
export function readApiKeyEntries(secrets: KeySecrets, config: AppConfig): ApiKeyEntry[] {
  const problems: string[] = [];
  const single = secrets.getSecret('MFN_API_KEY');
  const entries = single !== undefined && single.trim() !== '' ? collectEntries([single], (key) => parseSingleKey(key), problems) : [];
  try {
    entries.push(...readKeyList(secrets, problems));
  } catch (err) {
    if (!(err instanceof ApiKeyConfigError)) throw err;
    problems.push(...err.problems);
  }
  // Entries that did not parse are named already: "no keys" would only repeat them.
  if (problems.length > 0) throw new ApiKeyConfigError(problems);
  const unique = dedupeEntries(entries);
  checkKeyPolicy(unique, { required: config.auth.required, prod: config.env === 'prod', env: config.env });
  return unique;
}

function readKeyList(secrets: KeySecrets, problems: string[]): ApiKeyEntry[] {
  const raw = secrets.getSecret('MFN_API_KEYS');
  if (raw === undefined || raw.trim() === '') return [];
  const text = raw.trim();
  if (text.startsWith('{')) return parseKeyringObject(text);
  let items: string[];
  try {
    items = secrets.getList('MFN_API_KEYS');
  } catch {
    // Parser messages can quote the input; never let a key fragment reach the log.
    throw new ApiKeyConfigError(
      text.startsWith('[')
        ? "MFN_API_KEYS starts with '[' but is not a valid JSON array (truncated?); it is not read as a CSV list"
        : 'MFN_API_KEYS could not be parsed as a key list (CSV, newline or JSON array)',
    );
  }
  return collectEntries(items, (item, i) => parseListEntry(item, `MFN_API_KEYS entry ${i + 1}`), problems);
}
