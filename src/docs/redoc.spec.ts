import type { INestApplication } from '@nestjs/common';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REDOC_BUNDLE_COPY, REDOC_PATH, REDOC_SCRIPT_INTEGRITY, REDOC_SCRIPT_PATH, loadRedocBundle, mountRedoc, redocPage, resolveRedocBundle } from './redoc';

/** An app whose HTTP adapter only records the routes mounted on it. */
function recordingApp(): { app: INestApplication; routes: string[] } {
  const routes: string[] = [];
  const adapter = { get: (path: string) => routes.push(path) };
  return { app: { getHttpAdapter: () => adapter } as unknown as INestApplication, routes };
}

describe('ReDoc page', () => {
  it('loads the installed bundle of the pinned release', () => {
    const bundle = loadRedocBundle();
    expect(bundle.ok).toBe(true);
  });

  it('without the package (an image with production dependencies only) reads the copy next to the module', () => {
    const dir = mkdtempSync(join(tmpdir(), 'redoc-copy-'));
    expect(resolveRedocBundle('redoc/no-such-file.js', dir)).toBe(join(dir, REDOC_BUNDLE_COPY));
    expect(loadRedocBundle((s) => resolveRedocBundle(`${s}.absent`, dir))).toEqual({ ok: false, reason: expect.stringMatching(/not installed/) });
    copyFileSync(require.resolve('redoc/bundles/redoc.standalone.js'), join(dir, REDOC_BUNDLE_COPY));
    expect(loadRedocBundle((s) => resolveRedocBundle(`${s}.absent`, dir)).ok).toBe(true);
  });

  it('refuses a bundle that is not the pinned release, and a package that is not installed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'redoc-'));
    const other = join(dir, 'redoc.standalone.js');
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- test code: writes only into the temporary directory the test creates
    writeFileSync(other, 'console.log("not redoc")');
    expect(loadRedocBundle(() => other)).toEqual({ ok: false, reason: expect.stringMatching(/is not release \d+\.\d+\.\d+ \(its hash is sha384-/) });
    const missing = () => {
      throw Object.assign(new Error('Cannot find module'), { code: 'MODULE_NOT_FOUND' });
    };
    expect(loadRedocBundle(missing)).toEqual({ ok: false, reason: expect.stringMatching(/not installed/) });
  });

  it('mounts the page and the bundle only with the pinned bundle', () => {
    const served = recordingApp();
    expect(mountRedoc(served.app, 'API', '/openapi.json', { ok: true, body: Buffer.from('x') })).toBeUndefined();
    expect(served.routes).toEqual([REDOC_PATH, REDOC_SCRIPT_PATH]);
    const refused = recordingApp();
    expect(mountRedoc(refused.app, 'API', '/openapi.json', { ok: false, reason: 'missing' })).toBe('missing');
    expect(refused.routes).toEqual([]);
  });

  it('names the bundle by its path under /redoc and its hash, and escapes the title', () => {
    const page = redocPage('<API> "x"', '/openapi.json');
    expect(page).toContain(`<script src="${REDOC_SCRIPT_PATH}" integrity="${REDOC_SCRIPT_INTEGRITY}" crossorigin="anonymous"></script>`);
    expect(REDOC_SCRIPT_PATH.startsWith(`${REDOC_PATH}/`)).toBe(true);
    expect(page).not.toContain('<API>');
    expect(page).not.toMatch(/https?:\/\//);
  });
});
