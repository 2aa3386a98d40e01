/* eslint-disable security/detect-non-literal-fs-filename -- test code: writes only into the temporary directory the suite creates */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretsBackendError } from '../secrets.errors';
import { FileSecretsBackend } from './file-secrets.backend';

describe('FileSecretsBackend', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mfn-file-backend-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('requires MFN_SECRETS_FILE', async () => {
    const err = await new FileSecretsBackend(undefined).load().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretsBackendError);
    expect((err as SecretsBackendError).kind).toBe('config');
    expect((err as Error).message).toContain('MFN_SECRETS_FILE must be set when using the file secrets backend');
  });

  it('loads a JSON mapping', async () => {
    const path = join(dir, 'secrets.json');
    await writeFile(path, JSON.stringify({ MFN_API_KEY: 'json-key', MFN_API_KEYS: '["a","b"]' }));
    expect(Object.fromEntries(await new FileSecretsBackend(path).load())).toEqual({ MFN_API_KEY: 'json-key', MFN_API_KEYS: '["a","b"]' });
  });

  it('loads .env lines from a file without suffix', async () => {
    const path = join(dir, 'mfn-secrets');
    await writeFile(path, '# mounted\nMFN_API_KEY=env-key\n');
    expect((await new FileSecretsBackend(path).load()).get('MFN_API_KEY')).toBe('env-key');
  });

  it('refuses an unparsable file without quoting it', async () => {
    const path = join(dir, 'secrets.json');
    await writeFile(path, '{"MFN_API_KEY": "sk-live-123"');
    const err = (await new FileSecretsBackend(path).load().catch((e: unknown) => e)) as Error;
    expect(err.message).toBe("Secrets backend 'file' failed: MFN_SECRETS_FILE names a file that is not valid JSON");
  });

  it('is a backend that must hold secrets', () => {
    expect(new FileSecretsBackend('x').mayBeEmpty).toBe(false);
  });
});
