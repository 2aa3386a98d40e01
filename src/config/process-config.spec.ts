import { chmod, mkdir } from 'node:fs/promises';
import { TempDir } from '../../test/helpers/temp-dir';
import { withDotEnv } from './dot-env';
import { ConfigValidationError } from './load-config';
import { loadProcessConfig } from './process-config';

describe('.env in the dev profile', () => {
  let dir: TempDir;

  beforeEach(async () => {
    dir = await TempDir.create('mfn-dotenv-');
  });
  afterEach(async () => {
    await dir.remove();
  });

  const errorOf = (env: Record<string, string>): ConfigValidationError => {
    try {
      loadProcessConfig(env, dir.path);
    } catch (err) {
      if (err instanceof ConfigValidationError) return err;
      throw err;
    }
    throw new Error('expected loadProcessConfig to fail');
  };

  it('completes the environment in dev; a real variable wins over the file', async () => {
    await dir.write('.env', 'PORT=9100\nMFN_LOG_LEVEL=debug\n# a comment\nMFN_API_KEY="dev key with spaces"\n');
    const loaded = loadProcessConfig({ MFN_LOG_LEVEL: 'ERROR' }, dir.path);
    expect(loaded.config.http.port).toBe(9100);
    expect(loaded.config.logging.level).toBe('error');
    expect(loaded.environment.MFN_API_KEY).toBe('dev key with spaces');
    expect(loaded.config.environment.MFN_API_KEY).toBe('dev key with spaces');
    // Names only, and only those the file supplied.
    expect(loaded.dotEnv).toEqual({ path: dir.join('.env'), variables: ['MFN_API_KEY', 'PORT'] });
  });

  it('is never read in staging or prod, nor when there is none', async () => {
    await dir.write('.env', 'MFN_API_KEY_REQUIRED=false\nPORT=9100\n');
    for (const profile of ['staging', 'prod', ' PROD ']) {
      const result = withDotEnv({ MFN_ENV: profile }, dir.path);
      expect(result).toEqual({ env: { MFN_ENV: profile }, problems: [] });
    }
    expect(withDotEnv({ MFN_ENV: 'Dev' }, dir.path).dotEnv?.variables).toEqual(['MFN_API_KEY_REQUIRED', 'PORT']);
    const empty = await TempDir.create('mfn-dotenv-none-');
    try {
      expect(loadProcessConfig({}, empty.path).dotEnv).toBeUndefined();
    } finally {
      await empty.remove();
    }
  });

  it('sends its values through the same validation, reported with the other problems', async () => {
    await dir.write('.env', 'MFN_RATE_LIMIT_REQUESTS=lots\n');
    const err = errorOf({ MFN_LOG_LEVEL: 'LOUD' });
    expect(err.problems).toHaveLength(2);
    expect(err.message).toContain('MFN_RATE_LIMIT_REQUESTS');
    expect(err.message).toContain('MFN_LOG_LEVEL');
  });

  it('refuses a .env that names another profile, without applying it', async () => {
    await dir.write('.env', 'MFN_ENV=prod\nMFN_API_KEY=k\n');
    const err = errorOf({});
    expect(err.message).toMatch(/MFN_ENV in \.env must be dev or unset/);
    await dir.write('.env', 'MFN_ENV=dev\n');
    expect(loadProcessConfig({}, dir.path).config.env).toBe('dev');
  });

  it('reports a .env it cannot read, never its content', async () => {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- inside the test's own temporary directory
    await mkdir(dir.join('.env'));
    expect(errorOf({}).message).toBe('Invalid configuration: .env cannot be read (EISDIR)');
    await dir.remove();
    dir = await TempDir.create('mfn-dotenv-');
    const file = await dir.write('.env', 'MFN_API_KEY=hidden-value\n');
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- inside the test's own temporary directory
    await chmod(file, 0o000);
    if (process.getuid?.() === 0) return; // root reads it anyway
    expect(errorOf({}).message).toBe('Invalid configuration: .env cannot be read (EACCES)');
  });
});
