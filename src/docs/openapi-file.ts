import { Writable } from 'node:stream';
import { createApp } from '../app.factory';
import { loadConfig } from '../config';
import { buildOpenApiDocument } from './openapi';

/**
 * The configuration the committed openapi.json is built with: the dev profile from the service's
 * own defaults, not the caller's environment (loadConfig reads only this object), one compute
 * worker and no log output. Routes and schemas do not depend on configuration; only the version does.
 */
const DOCUMENT_ENV: Readonly<Record<string, string>> = {
  MFN_ENV: 'dev',
  MFN_LOG_FORMAT: 'json',
  MFN_LOG_LEVEL: 'ERROR',
  MFN_COMPUTE_WORKERS: '1',
};

/** A copy of a JSON value with every object's keys in code-point order (arrays keep theirs). */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, item]) => [key, sortKeys(item)]));
}

/**
 * The text of openapi.json: the document of the service built (not listening) with DOCUMENT_ENV,
 * keys sorted, 2-space indentation and a trailing newline. scripts/openapi.js writes it;
 * test/openapi-file.e2e-spec.ts compares it with the committed file.
 */
export async function renderOpenApiFile(): Promise<string> {
  const config = loadConfig(DOCUMENT_ENV);
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  const service = await createApp(config, { logDestination: discard });
  try {
    const document = buildOpenApiDocument(service.app, config);
    return `${JSON.stringify(sortKeys(document), null, 2)}\n`;
  } finally {
    await service.close();
  }
}
