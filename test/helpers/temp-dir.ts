import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A private directory under the system temp dir for files a suite hands to the service. */
export class TempDir {
  private constructor(readonly path: string) {}

  static async create(prefix: string): Promise<TempDir> {
    return new TempDir(await mkdtemp(join(tmpdir(), prefix)));
  }

  /** The path of `name` in the directory (nothing is created). */
  join(name: string): string {
    return join(this.path, name);
  }

  /** Writes `content` to `name` and returns the file's path. */
  async write(name: string, content: string | Buffer): Promise<string> {
    const path = this.join(name);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- a file inside the temporary directory this helper creates
    await writeFile(path, content);
    return path;
  }

  remove(): Promise<void> {
    return rm(this.path, { recursive: true, force: true });
  }
}
