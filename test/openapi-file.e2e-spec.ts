import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderOpenApiFile } from '../src/docs/openapi-file';

// The committed openapi.json and the client types generated from it (client/src/schema.d.ts)
// must be what the current sources produce. Neither is edited by hand.

const ROOT = join(__dirname, '..');
const REGENERATE = 'Regenerate both with `npm run openapi` (it builds, writes openapi.json, then runs `npm run client:generate`) and commit the result.';

/** The first line where two texts differ, for the failure message. */
function firstDifference(committed: string, expected: string): string {
  const a = committed.split('\n');
  const b = expected.split('\n');
  const line = a.findIndex((text, i) => text !== b.at(i));
  const at = line === -1 ? a.length : line;
  return `line ${at + 1}: committed ${JSON.stringify(a.at(at) ?? '<end of file>')}, expected ${JSON.stringify(b.at(at) ?? '<end of file>')}`;
}

describe('generated files are current', () => {
  it('openapi.json is the document the service builds', async () => {
    const expected = await renderOpenApiFile();
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- test code: the fixed path of the committed openapi.json
    const committed = readFileSync(join(ROOT, 'openapi.json'), 'utf8');
    if (committed !== expected) {
      throw new Error(`openapi.json is stale (${firstDifference(committed, expected)}). ${REGENERATE}`);
    }
  });

  it('client/src/schema.d.ts is what `npm run client:generate` makes of openapi.json', () => {
    // The package script itself, with openapi-typescript's --check: exit 1 when the output would differ.
    const run = spawnSync('npm', ['run', '--silent', 'client:generate', '--', '--check'], { cwd: ROOT, encoding: 'utf8' });
    if (run.error) throw run.error;
    if (run.status !== 0) {
      throw new Error(`client/src/schema.d.ts is stale (openapi-typescript: ${(run.stderr.trim() || run.stdout.trim())}). ${REGENERATE}`);
    }
  });
});
