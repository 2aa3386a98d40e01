/* eslint-disable security/detect-non-literal-fs-filename -- test code: writes, links and chmods only inside the temporary directory the suite creates */
import { mkdtemp, rm, symlink, writeFile, chmod, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_SECRET_FILE_BYTES, mappingFormatFor, parseSecretMapping, readSecretMappingFile, readSecretText } from './secret-files';
import { SecretsBackendError } from './secrets.errors';

const SECRET = 'sk-live-do-not-print-0123456789abcdef';

/** Runs fn, expects a SecretsBackendError, and checks it never leaks the secret, the path or the content. */
async function failure(fn: () => Promise<unknown> | unknown, ...forbidden: string[]): Promise<SecretsBackendError> {
  let caught: unknown;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(SecretsBackendError);
  const err = caught as SecretsBackendError;
  for (const text of [SECRET, ...forbidden]) expect(err.message).not.toContain(text);
  expect(err.message).not.toMatch(/\n/);
  return err;
}

describe('secret files', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mfn-secret-files-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('readSecretText', () => {
    it('reads UTF-8 text and drops a leading BOM', async () => {
      const path = join(dir, 'api_key');
      await writeFile(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('clé-ü\n')]));
      await expect(readSecretText(path, 'MFN_API_KEY_FILE', 'env')).resolves.toBe('clé-ü\n');
    });

    it('follows symlinks, as Kubernetes mounts secrets through ..data links', async () => {
      await mkdir(join(dir, '..data'));
      await writeFile(join(dir, '..data', 'api_key'), SECRET);
      await symlink(join(dir, '..data', 'api_key'), join(dir, 'api_key'));
      await expect(readSecretText(join(dir, 'api_key'), 'MFN_API_KEY_FILE', 'env')).resolves.toBe(SECRET);
    });

    it('accepts exactly 64 KiB and refuses one byte more', async () => {
      const path = join(dir, 'big');
      await writeFile(path, 'a'.repeat(MAX_SECRET_FILE_BYTES));
      await expect(readSecretText(path, 'MFN_API_KEYS_FILE', 'env')).resolves.toHaveLength(MAX_SECRET_FILE_BYTES);
      await writeFile(path, `${SECRET}${'a'.repeat(MAX_SECRET_FILE_BYTES)}`);
      const err = await failure(() => readSecretText(path, 'MFN_API_KEYS_FILE', 'env'), path);
      expect(err.message).toBe("Secrets backend 'env' failed: MFN_API_KEYS_FILE names a file larger than 65536 bytes");
      expect(err.kind).toBe('invalid');
    });

    it('refuses binary content and invalid UTF-8 without quoting it', async () => {
      const binary = join(dir, 'binary');
      await writeFile(binary, Buffer.concat([Buffer.from(SECRET), Buffer.from([0, 1, 2])]));
      expect((await failure(() => readSecretText(binary, 'MFN_MASTER_KEY_FILE', 'env'), binary)).message).toContain(
        'MFN_MASTER_KEY_FILE names a binary file',
      );
      const latin1 = join(dir, 'latin1');
      await writeFile(latin1, Buffer.concat([Buffer.from(SECRET), Buffer.from([0xe9, 0x41])]));
      expect((await failure(() => readSecretText(latin1, 'MFN_MASTER_KEY_FILE', 'env'), latin1)).message).toContain(
        'not valid UTF-8 text',
      );
    });

    it('names the variable, not the path, for a missing file or a directory', async () => {
      const missing = join(dir, 'nope');
      const err = await failure(() => readSecretText(missing, 'MFN_API_KEY_FILE', 'env'), missing, dir);
      expect(err.message).toBe("Secrets backend 'env' failed: MFN_API_KEY_FILE names a file that does not exist");
      expect(err.kind).toBe('not_found');
      const dirErr = await failure(() => readSecretText(dir, 'MFN_API_KEY_FILE', 'env'), dir);
      expect(dirErr.message).toContain('MFN_API_KEY_FILE does not name a regular file');
    });

    if (process.getuid && process.getuid() !== 0) {
      it('reports an unreadable file as a permission problem', async () => {
        const path = join(dir, 'locked');
        await writeFile(path, SECRET);
        await chmod(path, 0o000);
        const err = await failure(() => readSecretText(path, 'MFN_API_KEY_FILE', 'env'), path);
        expect(err.message).toContain('permission denied');
      });
    }
  });

  describe('mappingFormatFor', () => {
    it('uses the suffix, else sniffs a JSON object', () => {
      expect(mappingFormatFor('/s/secrets.json', 'A=b')).toBe('json');
      expect(mappingFormatFor('/s/secrets.JSN', 'A=b')).toBe('json');
      expect(mappingFormatFor('/s/secrets.env', '{')).toBe('dotenv');
      expect(mappingFormatFor('/s/mfn-secrets', '  \n{"A":"b"}')).toBe('json');
      expect(mappingFormatFor('/s/mfn-secrets', 'A=b')).toBe('dotenv');
    });
  });

  describe('parseSecretMapping (json)', () => {
    it('returns trimmed string values and leaves empty ones out', () => {
      const map = parseSecretMapping('{"MFN_API_KEY": " k1 ", "MFN_API_KEYS": "a,b", "MFN_REDIS_URL": "  "}', 'json', 'MFN_SECRETS_FILE', 'file');
      expect([...map]).toEqual([
        ['MFN_API_KEY', 'k1'],
        ['MFN_API_KEYS', 'a,b'],
      ]);
    });

    it('refuses invalid JSON, non-objects and non-string values without quoting content', async () => {
      const broken = `{"MFN_API_KEY": "${SECRET}"`;
      expect((await failure(() => parseSecretMapping(broken, 'json', 'MFN_SECRETS_FILE', 'file'))).message).toBe(
        "Secrets backend 'file' failed: MFN_SECRETS_FILE names a file that is not valid JSON",
      );
      expect((await failure(() => parseSecretMapping(`["${SECRET}"]`, 'json', 'MFN_SECRETS_FILE', 'file'))).message).toContain(
        'is not a JSON object of names to strings',
      );
      const nested = `{"MFN_API_KEY": "x", "${SECRET}": {"v": 1}}`;
      expect((await failure(() => parseSecretMapping(nested, 'json', 'MFN_SECRETS_FILE', 'file'))).message).toContain(
        'entry #2 is not a string',
      );
    });
  });

  describe('parseSecretMapping (dotenv)', () => {
    it('skips blanks and comments, splits at the first =, trims, keeps quotes', () => {
      const text = ['# comment', '', 'MFN_API_KEY = abc=def ', '  MFN_API_KEYS="q1,q2"', '\r', 'MFN_MASTER_KEY=\r', 'MFN_REDIS_URL=redis://h:6379/0\r'].join('\n');
      const map = parseSecretMapping(text, 'dotenv', 'MFN_SECRETS_FILE', 'file');
      expect(Object.fromEntries(map)).toEqual({
        MFN_API_KEY: 'abc=def',
        MFN_API_KEYS: '"q1,q2"',
        MFN_REDIS_URL: 'redis://h:6379/0',
      });
    });

    it('reports a line without = or without a name by number, never by content', async () => {
      const err = await failure(() => parseSecretMapping(`A=b\n${SECRET}\n`, 'dotenv', 'MFN_SECRETS_FILE', 'file'));
      expect(err.message).toBe("Secrets backend 'file' failed: MFN_SECRETS_FILE names a file whose line 2 has no '='");
      expect((await failure(() => parseSecretMapping(`# x\n = ${SECRET}`, 'dotenv', 'MFN_SECRETS_FILE', 'file'))).message).toContain(
        'line 2 has an empty name',
      );
    });
  });

  it('readSecretMappingFile reads and parses in one step', async () => {
    const path = join(dir, 'secrets.env');
    await writeFile(path, `MFN_API_KEY=${SECRET}\n`);
    expect((await readSecretMappingFile(path, 'MFN_SECRETS_FILE', 'file')).get('MFN_API_KEY')).toBe(SECRET);
  });
});
