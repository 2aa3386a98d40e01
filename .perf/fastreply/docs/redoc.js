"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.REDOC_CSP_DIRECTIVES = exports.REDOC_BADGE_ORIGIN = exports.REDOC_PATH = exports.REDOC_SCRIPT_INTEGRITY = exports.REDOC_SCRIPT_URL = exports.REDOC_SCRIPT_ORIGIN = exports.REDOC_VERSION = void 0;
exports.redocPage = redocPage;
exports.mountRedoc = mountRedoc;
/**
 * The ReDoc reference page at /redoc (dev only, like /docs). The page is one static HTML document
 * that loads ReDoc's standalone bundle, pinned to one release and checked by the browser against
 * its Subresource Integrity hash (the sha384 of `bundles/redoc.standalone.js` in the npm tarball
 * of that release, which is the file the CDN serves). The bundle renders the `<redoc>` element
 * from /openapi.json; the page has no inline script. Swagger UI at /docs is served from this
 * service itself; this page needs the browser to reach the CDN.
 */
exports.REDOC_VERSION = '2.5.4';
exports.REDOC_SCRIPT_ORIGIN = 'https://cdn.jsdelivr.net';
exports.REDOC_SCRIPT_URL = `${exports.REDOC_SCRIPT_ORIGIN}/npm/redoc@${exports.REDOC_VERSION}/bundles/redoc.standalone.js`;
exports.REDOC_SCRIPT_INTEGRITY = 'sha384-w447zOpYfw/1Tv/5AK9NfHTlQIqE3RVR6KY62jCyy9zNDgO64cMwGGP1Fj0zJVf5';
exports.REDOC_PATH = '/redoc';
/** ReDoc's own "API docs by Redocly" badge image, shown in the side menu. */
exports.REDOC_BADGE_ORIGIN = 'https://cdn.redoc.ly';
/**
 * The page's Content-Security-Policy: the pinned bundle is the only script; ReDoc builds its
 * search index in a worker it starts from a blob URL, styles its components inline and shows its
 * badge image from its own CDN.
 */
exports.REDOC_CSP_DIRECTIVES = {
    defaultSrc: ["'self'"],
    scriptSrc: [exports.REDOC_SCRIPT_URL],
    workerSrc: ['blob:'],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', exports.REDOC_BADGE_ORIGIN],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    frameAncestors: ["'none'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'none'"],
};
function escapeHtml(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
function redocPage(title, specUrl) {
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
        `<redoc spec-url="${escapeHtml(specUrl)}"></redoc>`,
        `<script src="${exports.REDOC_SCRIPT_URL}" integrity="${exports.REDOC_SCRIPT_INTEGRITY}" crossorigin="anonymous"></script>`,
        '</body>',
        '</html>',
        '',
    ].join('\n');
}
/** Mounts GET (and HEAD) /redoc on the HTTP adapter, next to Swagger UI. */
function mountRedoc(app, title, specUrl) {
    const html = redocPage(title, specUrl);
    const body = Buffer.from(html, 'utf8');
    app
        .getHttpAdapter()
        .get(exports.REDOC_PATH, (_req, res) => {
        res.status(200).type('html').send(body);
    });
}
//# sourceMappingURL=redoc.js.map