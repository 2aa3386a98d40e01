'use strict';
/**
 * Start URLs of the DAST scan, read from the service's own OpenAPI document: one GET URL per
 * documented path, its path parameters filled in and, for paths with a GET, every query
 * parameter it declares given a sample value, so the scanner has parameters to attack. (Debian's wapiti 3.0.4 has no option
 * that reads an API description, and it attacks query strings and form fields, not JSON bodies.)
 */

/** Sample values by parameter name; `dast-key` is the key the scan creates before it starts. */
const SAMPLE_VALUES = new Map([
  ['key_id', 'dast-key'],
  ['grantee', 'dast-tenant'],
  ['tenant', 'default'],
  ['limit', '10'],
  ['after', 'a'],
]);

/** Paths the service serves outside its document (the docs pages, dev only) and the root. */
const UNDOCUMENTED_PATHS = ['/', '/docs', '/redoc', '/openapi.json'];

function sampleFor(name) {
  return SAMPLE_VALUES.get(name) ?? 'x';
}

/**
 * Names of the query parameters a GET of the path takes (the path's own and its GET operation's).
 * A path without a GET gets none: the service answers 405 before reading the query, so attacking
 * it would only spend the time budget.
 */
function queryParameters(item) {
  if (item.get === undefined) return [];
  const names = new Set();
  for (const holder of [item, item.get]) {
    for (const p of holder.parameters ?? []) if (p.in === 'query') names.add(p.name);
  }
  return [...names].sort();
}

/**
 * @param {string} baseUrl e.g. http://127.0.0.1:8000
 * @param {{ paths?: Record<string, object> }} document the service's /openapi.json
 * @returns {string[]} absolute GET URLs, documented paths first, without duplicates
 */
function seedUrls(baseUrl, document) {
  const urls = new Set();
  for (const [template, item] of Object.entries(document.paths ?? {})) {
    const path = template.replace(/\{([^}/]+)\}/g, (_all, name) => encodeURIComponent(sampleFor(name)));
    const query = new URLSearchParams(queryParameters(item).map((name) => [name, sampleFor(name)])).toString();
    urls.add(`${baseUrl}${path}${query ? `?${query}` : ''}`);
  }
  for (const path of UNDOCUMENTED_PATHS) urls.add(`${baseUrl}${path}`);
  return [...urls];
}

module.exports = { seedUrls };
