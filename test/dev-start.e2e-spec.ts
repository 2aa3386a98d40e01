import { freePort, startServiceProcess, waitUntilUp } from './helpers/service-process';
import { TempDir } from './helpers/temp-dir';

const DEV_SECRET = 'dev-only-api-key-from-dot-env-0123456789';
const MASTER_KEY = Buffer.alloc(32, 9).toString('base64');

/**
 * The first run of a new user, as the built process (`npm run build` first): the dev profile's
 * text log carries every field (the URL it listens on, the names of unknown variables), warns
 * once that API keys are not enforced, and says which .env it read without printing a value.
 */
describe('dev start-up', () => {
  let dir: TempDir;

  beforeAll(async () => {
    dir = await TempDir.create('mfn-dev-start-');
    // PORT from the file loses to the real one; the typo and the key come from the file only.
    await dir.write('.env', `PORT=1\nMFN_RATE_LIMT=5\nMFN_API_KEY=${DEV_SECRET}\nMFN_MASTER_KEY=${MASTER_KEY}\nMFN_DOCS_ENABLED=false\n`);
  });
  afterAll(async () => {
    await dir.remove();
  });

  it('text log: .env read (names only), unknown variables named, keys not enforced, listening URL', async () => {
    const port = await freePort();
    const svc = startServiceProcess({ PORT: String(port), MFN_LOG_FORMAT: 'text', MFN_LOG_LEVL: 'debug' }, { cwd: dir.path });
    try {
      await waitUntilUp(svc);
      // The file's values apply (docs off) and the real PORT won.
      const index = (await (await fetch(`${svc.baseUrl}/`)).json()) as { links: Record<string, string> };
      expect(index.links).toEqual({ health: '/health', ready: '/health/ready' });
    } finally {
      expect(await svc.stop('SIGTERM')).toBe(0);
    }
    const lines = svc.stdout().split('\n');
    const line = (text: string) => lines.filter((l) => l.includes(text));

    // PORT is not among them: the real environment set it.
    expect(line('mfn.main: read .env')).toEqual([
      expect.stringMatching(/ INFO mfn\.main: read \.env \(dev profile only; .*\) file=\S+\.env variables=\["MFN_API_KEY","MFN_DOCS_ENABLED","MFN_MASTER_KEY","MFN_RATE_LIMT"\]$/),
    ]);
    expect(line('unknown MFN_* variables')).toEqual([expect.stringMatching(/ WARNING mfn\.main: .* variables=\["MFN_LOG_LEVL","MFN_RATE_LIMT"\]$/)]);
    expect(line('API keys are not enforced')).toEqual([expect.stringMatching(/ WARNING mfn\.main: API keys are not enforced: .* profile=dev variable=MFN_API_KEY_REQUIRED$/)]);
    expect(line('MFN Secure Service listening')).toEqual([
      // eslint-disable-next-line security/detect-non-literal-regexp -- built from the test's own port number
      expect.stringMatching(new RegExp(` INFO mfn\\.main: MFN Secure Service listening url=http://127\\.0\\.0\\.1:${port} port=${port} host=127\\.0\\.0\\.1 profile=dev `)),
    ]);
    // The master key came from .env: no random-key warning.
    expect(line('MFN_MASTER_KEY is not set')).toEqual([]);
    expect(svc.stdout() + svc.stderr()).not.toContain(DEV_SECRET);
    expect(svc.stdout() + svc.stderr()).not.toContain(MASTER_KEY);
  });

  it('no warning about keys when they are enforced', async () => {
    const svc = startServiceProcess({ PORT: String(await freePort()), MFN_API_KEY_REQUIRED: 'true' }, { cwd: dir.path });
    try {
      await waitUntilUp(svc);
    } finally {
      expect(await svc.stop('SIGTERM')).toBe(0);
    }
    expect(svc.stdout()).toContain('"message":"read .env');
    expect(svc.stdout()).not.toContain('API keys are not enforced');
  });

  it('prod never reads .env: the keys it holds do not count', async () => {
    const svc = startServiceProcess({ MFN_ENV: 'prod', PORT: String(await freePort()) }, { cwd: dir.path });
    expect(await svc.exited).toBe(1);
    expect(svc.stderr()).toMatch(/^Invalid configuration: MFN_API_KEY or MFN_API_KEYS .*; MFN_MASTER_KEY \(or MFN_MASTER_KEY_FILE\) must be set/);
    expect(svc.stdout()).toBe('');
  });
});
