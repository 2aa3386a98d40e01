import type { INestApplication } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeHtml } from '../common/security/input-sanitiser';

/**
 * The ReDoc reference page at /redoc (only when docs are enabled, like /docs). The page is one
 * static HTML document that loads ReDoc's standalone bundle from this service: the file
 * `bundles/redoc.standalone.js` of the installed `redoc` package, served at a versioned path of
 * its own under /redoc with a year-long cache. No request leaves the service's origin, so the
 * page works on closed networks. The bundle must be the release pinned here: the page names its
 * Subresource Integrity hash, and a bundle with any other hash is not served at all. The bundle
 * renders the `<redoc>` element from /openapi.json; the page has no inline script.
 */
export const REDOC_VERSION = '2.5.4';
/** The sha384 of `bundles/redoc.standalone.js` in the npm tarball of REDOC_VERSION. */
export const REDOC_SCRIPT_INTEGRITY = 'sha384-w447zOpYfw/1Tv/5AK9NfHTlQIqE3RVR6KY62jCyy9zNDgO64cMwGGP1Fj0zJVf5';
export const REDOC_PATH = '/redoc';
export const REDOC_SCRIPT_PATH = `${REDOC_PATH}/${REDOC_VERSION}/redoc.standalone.js`;
/** The bundle's path inside the package (its documented standalone build). */
const BUNDLE_SPECIFIER = 'redoc/bundles/redoc.standalone.js';
/**
 * The image's copy: `redoc` is a development dependency, so the image build copies the bundle
 * next to this module (Dockerfile) instead of installing the package in the runtime stage.
 */
export const REDOC_BUNDLE_COPY = 'redoc.standalone.js';
const YEAR_S = 365 * 24 * 3600;

/**
 * The page's Content-Security-Policy: scripts from this origin only (the page loads just the
 * pinned bundle, checked against its hash); ReDoc builds its search index in a worker it starts
 * from a blob URL and styles its components inline. Nothing from another origin: ReDoc's
 * attribution logo (an image on its own CDN) is refused and the link shows without it.
 */
export const REDOC_CSP_DIRECTIVES: Record<string, string[]> = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  workerSrc: ['blob:'],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  frameAncestors: ["'none'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'none'"],
};

/** Text for a double-quoted attribute: the service's HTML escape, plus the quote. */
function escapeAttribute(text: string): string {
  return escapeHtml(text).replace(/"/g, '&quot;');
}

export function redocPage(title: string, specUrl: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)} - ReDoc</title>`,
    '<style>body { margin: 0; padding: 0; }</style>',
    '</head>',
    '<body>',
    `<redoc spec-url="${escapeAttribute(specUrl)}"></redoc>`,
    `<script src="${REDOC_SCRIPT_PATH}" integrity="${REDOC_SCRIPT_INTEGRITY}" crossorigin="anonymous"></script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export type RedocBundle = { ok: true; body: Buffer } | { ok: false; reason: string };

/** The installed package's bundle where the package is installed (a development install), else the image's copy. */
export function resolveRedocBundle(specifier: string, moduleDir: string = __dirname): string {
  try {
    return require.resolve(specifier);
  } catch {
    return join(moduleDir, REDOC_BUNDLE_COPY);
  }
}

/** The bundle (resolveRedocBundle), if it is the pinned release. */
export function loadRedocBundle(resolve: (specifier: string) => string = resolveRedocBundle): RedocBundle {
  let body: Buffer;
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the path is where the module resolver finds the constant BUNDLE_SPECIFIER (tests pass their own resolver)
    body = readFileSync(resolve(BUNDLE_SPECIFIER));
  } catch {
    return { ok: false, reason: `the redoc package is not installed (${BUNDLE_SPECIFIER} not found)` };
  }
  const integrity = `sha384-${createHash('sha384').update(body).digest('base64')}`;
  if (integrity !== REDOC_SCRIPT_INTEGRITY) {
    return { ok: false, reason: `the installed ReDoc bundle is not release ${REDOC_VERSION} (its hash is ${integrity})` };
  }
  return { ok: true, body };
}

/**
 * Mounts GET (and HEAD) /redoc and the bundle on the HTTP adapter, next to Swagger UI. Without
 * the pinned bundle neither is mounted (both answer 404) and the reason is returned.
 */
export function mountRedoc(app: INestApplication, title: string, specUrl: string, bundle: RedocBundle = loadRedocBundle()): string | undefined {
  if (!bundle.ok) return bundle.reason;
  const page = Buffer.from(redocPage(title, specUrl), 'utf8');
  const http = app.getHttpAdapter();
  http.get(REDOC_PATH, (_req: Request, res: Response) => {
    res.status(200).type('html').send(page);
  });
  http.get(REDOC_SCRIPT_PATH, (_req: Request, res: Response) => {
    // Versioned path: the file behind it never changes.
    res.status(200).type('application/javascript; charset=utf-8').set('Cache-Control', `public, max-age=${YEAR_S}, immutable`).send(bundle.body);
  });
  return undefined;
}
