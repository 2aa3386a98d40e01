/* eslint-disable security/detect-non-literal-fs-filename -- test code: lays out fake module trees only inside the temporary directory the suite creates */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveWorkerFile } from './compute-pool.service';

describe('resolveWorkerFile', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'mfn-worker-'));
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('prefers the compiled worker beside the pool module (running from dist/)', () => {
    const dir = join(root, 'dist', 'simulation');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'compute.worker.js'), '');
    expect(resolveWorkerFile(dir)).toBe(join(dir, 'compute.worker.js'));
  });

  it('falls back to <project>/dist/simulation when the pool runs from the TypeScript sources', () => {
    const sources = join(root, 'src', 'simulation');
    const dist = join(root, 'dist', 'simulation');
    mkdirSync(sources, { recursive: true });
    mkdirSync(dist, { recursive: true });
    writeFileSync(join(dist, 'compute.worker.js'), '');
    expect(resolveWorkerFile(sources)).toBe(join(dist, 'compute.worker.js'));
  });

  it('fails with a clear instruction when nothing was built', () => {
    const sources = join(root, 'src', 'simulation');
    mkdirSync(sources, { recursive: true });
    expect(() => resolveWorkerFile(sources)).toThrow(/run npm run build/);
    // eslint-disable-next-line security/detect-non-literal-regexp -- the temporary directory's path, every regex metacharacter escaped
    expect(() => resolveWorkerFile(sources)).not.toThrow(new RegExp(root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });
});
