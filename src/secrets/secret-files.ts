import { constants as fsConstants } from 'node:fs';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { SecretsBackendError } from './secrets.errors';

/**
 * Reading secrets from files: single-value files (`<NAME>_FILE`, Kubernetes mounted secrets)
 * and mapping files (`MFN_SECRETS_FILE`, JSON or `.env` lines). Errors name the variable that
 * pointed at the file — never the path or any of the content, which may hold secrets.
 */

/** Upper bound for any secret file. */
export const MAX_SECRET_FILE_BYTES = 65_536;

export type SecretMap = ReadonlyMap<string, string>;
export type MappingFormat = 'json' | 'dotenv';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Reads a whole secret file as UTF-8 text. Refuses anything that is not a regular file (after
 * following symlinks: Kubernetes mounts secrets as links into `..data/`), larger than 64 KiB,
 * binary (NUL bytes) or not valid UTF-8. A leading BOM is dropped.
 */
export async function readSecretText(path: string, variable: string, backend: string): Promise<string> {
  const fail = (kind: 'config' | 'not_found' | 'invalid', problem: string) =>
    new SecretsBackendError(backend, kind, `${variable} ${problem}`);

  let handle;
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the path is an operator's *_FILE or MFN_SECRETS_FILE setting, never request data
    handle = await open(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  } catch (err) {
    throw fail(...describeOpenError(err));
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw fail('invalid', 'does not name a regular file');
    if (info.size > MAX_SECRET_FILE_BYTES) throw fail('invalid', `names a file larger than ${MAX_SECRET_FILE_BYTES} bytes`);
    // Read one byte more than allowed: the file may have grown since stat.
    const buffer = Buffer.alloc(MAX_SECRET_FILE_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > MAX_SECRET_FILE_BYTES) throw fail('invalid', `names a file larger than ${MAX_SECRET_FILE_BYTES} bytes`);
    const bytes = buffer.subarray(0, length);
    if (bytes.includes(0)) throw fail('invalid', 'names a binary file (expected UTF-8 text)');
    try {
      return UTF8.decode(bytes);
    } catch {
      throw fail('invalid', 'names a file that is not valid UTF-8 text');
    }
  } catch (err) {
    if (err instanceof SecretsBackendError) throw err;
    throw fail(...describeOpenError(err));
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function describeOpenError(err: unknown): ['config' | 'not_found' | 'invalid', string] {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return ['not_found', 'names a file that does not exist'];
    case 'EACCES':
    case 'EPERM':
      return ['config', 'names a file the service may not read (permission denied)'];
    case 'EISDIR':
      return ['invalid', 'does not name a regular file'];
    default:
      return ['invalid', `names a file that cannot be read (${typeof code === 'string' ? code : 'I/O error'})`];
  }
}

/**
 * `.json`/`.jsn` → JSON, `.env` → dotenv; any other name (Kubernetes secret keys usually have
 * no suffix) is JSON when the content starts with `{`, else dotenv lines.
 */
export function mappingFormatFor(path: string, text: string): MappingFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.json' || ext === '.jsn') return 'json';
  if (ext === '.env') return 'dotenv';
  return text.trimStart().startsWith('{') ? 'json' : 'dotenv';
}

/**
 * Parses a mapping of secret names to values. Values are trimmed; empty values count as
 * missing and are left out. Problems are reported by line or entry number, never by content.
 */
export function parseSecretMapping(text: string, format: MappingFormat, variable: string, backend: string): Map<string, string> {
  return format === 'json' ? parseJsonMapping(text, variable, backend) : parseDotenvMapping(text, variable, backend);
}

function parseJsonMapping(text: string, variable: string, backend: string): Map<string, string> {
  const invalid = (problem: string) => new SecretsBackendError(backend, 'invalid', `${variable} ${problem}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid('names a file that is not valid JSON');
  }
  return mapFromJsonObject(parsed, (problem) => invalid(`names a file whose ${problem}`));
}

/**
 * Checks that a parsed JSON value is an object of names to strings and returns its non-empty,
 * trimmed entries. Shared by the file, AWS and Vault backends, which all carry such maps.
 */
export function mapFromJsonObject(parsed: unknown, invalid: (problem: string) => Error): Map<string, string> {
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalid('content is not a JSON object of names to strings');
  }
  const out = new Map<string, string>();
  let position = 0;
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    position++;
    if (typeof value !== 'string') throw invalid(`entry #${position} is not a string`);
    const name = key.trim();
    if (name === '') throw invalid(`entry #${position} has an empty name`);
    const trimmed = value.trim();
    if (trimmed !== '') out.set(name, trimmed);
  }
  return out;
}

function parseDotenvMapping(text: string, variable: string, backend: string): Map<string, string> {
  const invalid = (problem: string) => new SecretsBackendError(backend, 'invalid', `${variable} names a file whose ${problem}`);
  const out = new Map<string, string>();
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.replace(/\r$/, '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) throw invalid(`line ${i + 1} has no '='`);
    const name = line.slice(0, eq).trim();
    if (name === '') throw invalid(`line ${i + 1} has an empty name`);
    const value = line.slice(eq + 1).trim();
    if (value === '') out.delete(name);
    else out.set(name, value);
  }
  return out;
}

/** Reads and parses a mapping file in one step. */
export async function readSecretMappingFile(path: string, variable: string, backend: string): Promise<Map<string, string>> {
  const text = await readSecretText(path, variable, backend);
  return parseSecretMapping(text, mappingFormatFor(path, text), variable, backend);
}
