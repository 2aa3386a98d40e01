import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { trustsProxyHeaders } from '../http/request-context';

/** Swagger UI and its document: served with the docs CSP below. */
const SWAGGER_PREFIXES = ['/docs', '/openapi.json'];

/** HSTS for a year, subdomains included (helmet's default policy). */
const hsts = helmet.strictTransportSecurity({ maxAge: 31_536_000, includeSubDomains: true });

export interface SecurityHeadersOptions {
  /** Swagger UI and the other docs pages are mounted: they get their own CSP. */
  docsEnabled?: boolean;
  /**
   * Further docs paths with a CSP of their own (helmet directive names), matched like the
   * Swagger UI prefixes, e.g. the ReDoc page and the bundle served under it.
   */
  docsPages?: Record<string, Record<string, string[]>>;
}

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
  return (req: Request, res: Response, next: NextFunction) => {
    const docsHeaders = docsEnabled ? docsHeadersFor(req.path, docsPrefixes) : undefined;
    const headers = docsHeaders ?? api;
    if (docsHeaders === undefined) res.setHeader('Cache-Control', 'no-store');
    if (!arrivedOverHttps(req)) return headers(req, res, next);
    hsts(req, res, (err?: unknown) => (err === undefined ? headers(req, res, next) : next(err)));
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
