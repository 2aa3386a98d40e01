// Writes openapi.json at the top of the repository from the built service (dist/): `npm run openapi`
// builds first, then runs this, then regenerates client/src/schema.d.ts from the file.
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { renderOpenApiFile } = require('../dist/docs/openapi-file');

const target = join(__dirname, '..', 'openapi.json');

renderOpenApiFile()
  .then((text) => {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- `target` is the fixed path of openapi.json at the top of the repository
    writeFileSync(target, text);
    process.stdout.write(`wrote ${target}\n`);
  })
  .catch((err) => {
    process.stderr.write(`openapi.json not written: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  });
