/* eslint-disable security/detect-non-literal-fs-filename -- test code: writes only into the temporary directory the suite creates */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretsBackendError } from '../secrets.errors';
import { EnvSecretsBackend } from './env-secrets.backend';

describe('EnvSecretsBackend', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mfn-env-backend-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function file(name: string, content: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  }

  it('resolves variable, then <NAME>_FILE, then the MFN_SECRETS_FILE mapping', async () => {
    const mapping = await file('secrets.json', JSON.stringify({ MFN_API_KEY: 'from-mapping', MFN_API_KEYS: 'm1,m2', MFN_MASTER_KEY: 'mk-mapping', MFN_EXTRA: 'x' }));
    const backend = new EnvSecretsBackend(
      {
        MFN_API_KEY: ' from-env ',
        MFN_API_KEY_FILE: await file('api_key', 'from-file'),
        MFN_API_KEYS_FILE: await file('api_keys', 'f1\nf2\n'),
        MFN_SECRETS_FILE: mapping,
      },
      mapping,
    );
    const values = await backend.load();
    expect(values.get('MFN_API_KEY')).toBe('from-env');
    expect(values.get('MFN_API_KEYS')).toBe('f1\nf2');
    expect(values.get('MFN_MASTER_KEY')).toBe('mk-mapping');
    expect(values.get('MFN_EXTRA')).toBe('x');
    expect(values.has('MFN_REDIS_URL')).toBe(false);
  });

  it('does not let a set-but-empty variable hide its _FILE twin', async () => {
    const backend = new EnvSecretsBackend({ MFN_API_KEY: '', MFN_API_KEYS: '   ', MFN_API_KEY_FILE: await file('k', '  mounted-key\n'), MFN_API_KEYS_FILE: await file('ks', 'a, b') });
    const values = await backend.load();
    expect(values.get('MFN_API_KEY')).toBe('mounted-key');
    expect(values.get('MFN_API_KEYS')).toBe('a, b');
  });

  it('treats an empty _FILE as missing and falls through to the mapping', async () => {
    const mapping = await file('m.env', 'MFN_API_KEY=mapped\n');
    const backend = new EnvSecretsBackend({ MFN_API_KEY_FILE: await file('empty', '\n') }, mapping);
    expect((await backend.load()).get('MFN_API_KEY')).toBe('mapped');
  });

  it('reads only the snapshot it was given, and never serves configuration variables as secrets', async () => {
    const mapping = await file('m.env', 'MFN_API_KEY=mapped\n');
    const backend = new EnvSecretsBackend(
      {
        MFN_ENV: 'dev',
        MFN_SECRETS_FILE: mapping,
        MFN_REDIS_URL: 'redis://127.0.0.1:6379',
        MFN_FEATURE_TOKEN: ' feature-token ',
        MFN_FEATURE_KEY_FILE: await file('feature', 'from-file\n'),
        OTHER_SECRET: 'not ours',
      },
      mapping,
    );
    expect(Object.fromEntries(await backend.load())).toEqual({
      MFN_API_KEY: 'mapped',
      MFN_REDIS_URL: 'redis://127.0.0.1:6379',
      MFN_FEATURE_TOKEN: 'feature-token',
      MFN_FEATURE_KEY: 'from-file',
    });
  });

  it('picks up a rotated file on the next load', async () => {
    const path = await file('k', 'old-key');
    const backend = new EnvSecretsBackend({ MFN_API_KEY_FILE: path });
    expect((await backend.load()).get('MFN_API_KEY')).toBe('old-key');
    await writeFile(path, 'new-key');
    expect((await backend.load()).get('MFN_API_KEY')).toBe('new-key');
  });

  it('fails naming the variable when a _FILE does not exist', async () => {
    const missing = join(dir, 'missing');
    const backend = new EnvSecretsBackend({ MFN_API_KEY_FILE: missing });
    const err = await backend.load().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretsBackendError);
    expect((err as Error).message).toBe("Secrets backend 'env' failed: MFN_API_KEY_FILE names a file that does not exist");
  });

  it('does not read _FILE when the variable already has a value', async () => {
    const backend = new EnvSecretsBackend({ MFN_API_KEY: 'direct', MFN_API_KEY_FILE: join(dir, 'missing') });
    expect((await backend.load()).get('MFN_API_KEY')).toBe('direct');
  });

  it('may be empty', async () => {
    const backend = new EnvSecretsBackend({});
    expect((await backend.load()).size).toBe(0);
    expect(backend.mayBeEmpty).toBe(true);
  });
});
