import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { trustsProxyHeaders } from '../http/request-context';

/** Swagger UI and its document: served with the docs CSP below. */
const SWAGGER_PREFIXES = ['/docs', '/openapi.json'];

/** The headers of the first docs prefix `path` falls under (any case), if any. */
function docsHeadersFor(path: string, prefixes: readonly [string, RequestHandler][]): RequestHandler | undefined {
  const p = path.toLowerCase();
  for (const [d, headers] of prefixes) {
    if (p === d || p.startsWith(`${d}/`) || p.startsWith(`${d}-`)) return headers;
  }
  return undefined;
}

/**
 * Helmet with a strict CSP for the JSON API and a CSP that lets the Swagger UI page load its own
 * scripts and styles. Frames are denied, referrers dropped, MIME sniffing off. HSTS is sent only
 * for requests that arrived over HTTPS (directly or through a trusted proxy). API responses are
 * never cached.
 */
export interface SecurityHeadersOptions {
  docsEnabled?: boolean;
  /**
   * Further docs paths with a CSP of their own (helmet directive names), matched like the
   * Swagger UI prefixes, e.g. the ReDoc page and the CDN script it loads.
   */
  docsPages?: Record<string, Record<string, string[]>>;
}

export function securityHeadersMiddleware(options: SecurityHeadersOptions = {}): RequestHandler {
  const docsEnabled = options.docsEnabled ?? true;
  const common = {
    frameguard: { action: 'deny' as const },
    referrerPolicy: { policy: 'no-referrer' as const },
    hsts: false,
  };
  // JSON API responses get the set recommended for REST services (OWASP REST Security cheat
  // sheet): no sniffing, no framing, no referrer, a deny-all CSP. The cross-origin isolation,
  // DNS-prefetch, download and XSS-auditor headers only mean something for HTML documents; the
  // docs page below keeps helmet's full set.
  const api = helmet({
    ...common,
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginOpenerPolicy: false,
    crossOriginResourcePolicy: false,
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  });
  const docs = helmet({
    ...common,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
      },
    },
  });
  const docsPrefixes: [string, RequestHandler][] = [
    ...SWAGGER_PREFIXES.map((prefix): [string, RequestHandler] => [prefix, docs]),
    ...Object.entries(options.docsPages ?? {}).map(([prefix, directives]): [string, RequestHandler] => [
      prefix.toLowerCase(),
      helmet({ ...common, contentSecurityPolicy: { useDefaults: false, directives } }),
    ]),
  ];
  const apiHeaders = staticHeadersOf(api);
  return (req: Request, res: Response, next: NextFunction) => {
    if (arrivedOverHttps(req)) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    const docsHeaders = docsEnabled ? docsHeadersFor(req.path, docsPrefixes) : undefined;
    if (docsHeaders !== undefined) return docsHeaders(req, res, next);
    res.setHeader('Cache-Control', 'no-store');
    for (const [name, value] of apiHeaders) res.setHeader(name, value);
    return next();
  };
}

/**
 * HTTPS directly (a TLS socket) or, only when proxy headers are trusted, through the proxy's
 * X-Forwarded-Proto. Express's req.secure would parse the forwarding headers on every request.
 */
function arrivedOverHttps(req: Request): boolean {
  if ((req.socket as { encrypted?: boolean } | undefined)?.encrypted === true) return true;
  return trustsProxyHeaders(req) && req.secure;
}

/**
 * The headers a helmet instance sets, captured once: with this configuration they do not depend
 * on the request, and replaying them skips helmet's chain of a dozen middlewares on every call.
 */
function staticHeadersOf(middleware: RequestHandler): [string, string][] {
  const headers: [string, string][] = [];
  const recorder = {
    setHeader: (name: string, value: string) => headers.push([name, String(value)]),
    removeHeader: () => undefined,
    getHeader: () => undefined,
  };
  middleware({} as Request, recorder as unknown as Response, () => undefined);
  return headers;
}
