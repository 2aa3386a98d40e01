import type { INestApplication } from '@nestjs/common';
import type { Request, Response } from 'express';
import { escapeHtml } from '../common/security/input-sanitiser';

/**
 * The ReDoc reference page at /redoc (dev only, like /docs). The page is one static HTML document
 * that loads ReDoc's standalone bundle, pinned to one release and checked by the browser against
 * its Subresource Integrity hash (the sha384 of `bundles/redoc.standalone.js` in the npm tarball
 * of that release, which is the file the CDN serves). The bundle renders the `<redoc>` element
 * from /openapi.json; the page has no inline script. Swagger UI at /docs is served from this
 * service itself; this page needs the browser to reach the CDN.
 */
export const REDOC_VERSION = '2.5.4';
export const REDOC_SCRIPT_ORIGIN = 'https://cdn.jsdelivr.net';
export const REDOC_SCRIPT_URL = `${REDOC_SCRIPT_ORIGIN}/npm/redoc@${REDOC_VERSION}/bundles/redoc.standalone.js`;
export const REDOC_SCRIPT_INTEGRITY = 'sha384-w447zOpYfw/1Tv/5AK9NfHTlQIqE3RVR6KY62jCyy9zNDgO64cMwGGP1Fj0zJVf5';
export const REDOC_PATH = '/redoc';
/** ReDoc's own "API docs by Redocly" badge image, shown in the side menu. */
export const REDOC_BADGE_ORIGIN = 'https://cdn.redoc.ly';

/**
 * The page's Content-Security-Policy: the pinned bundle is the only script; ReDoc builds its
 * search index in a worker it starts from a blob URL, styles its components inline and shows its
 * badge image from its own CDN.
 */
export const REDOC_CSP_DIRECTIVES: Record<string, string[]> = {
  defaultSrc: ["'self'"],
  scriptSrc: [REDOC_SCRIPT_URL],
  workerSrc: ['blob:'],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', REDOC_BADGE_ORIGIN],
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
    `<script src="${REDOC_SCRIPT_URL}" integrity="${REDOC_SCRIPT_INTEGRITY}" crossorigin="anonymous"></script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Mounts GET (and HEAD) /redoc on the HTTP adapter, next to Swagger UI. */
export function mountRedoc(app: INestApplication, title: string, specUrl: string): void {
  const html = redocPage(title, specUrl);
  const body = Buffer.from(html, 'utf8');
  app
    .getHttpAdapter()
    .get(REDOC_PATH, (_req: Request, res: Response) => {
      res.status(200).type('html').send(body);
    });
}
