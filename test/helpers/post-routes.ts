import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface OpenApiPaths {
  paths: Record<string, Record<string, unknown>>;
}

/**
 * Every POST route of the service, read from the committed OpenAPI document (so a new route is
 * covered the day it is documented), path parameters filled in with `some-key`.
 */
// eslint-disable-next-line security/detect-non-literal-fs-filename -- the project's own committed openapi.json
export const POST_ROUTES: readonly string[] = Object.entries((JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8')) as OpenApiPaths).paths)
  .filter(([, operations]) => 'post' in operations)
  .map(([path]) => path.replace(/\{[^}]+\}/g, 'some-key'));

export const UNKNOWN_POST_ROUTE = '/no/such/route';
