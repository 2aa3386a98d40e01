"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.securityHeadersMiddleware = securityHeadersMiddleware;
const helmet_1 = __importDefault(require("helmet"));
const request_context_1 = require("../http/request-context");
const DOCS_PREFIXES = ['/docs', '/openapi.json'];
function isDocsPath(path) {
    const p = path.toLowerCase();
    return DOCS_PREFIXES.some((d) => p === d || p.startsWith(`${d}/`) || p.startsWith(`${d}-`));
}
function securityHeadersMiddleware(options = {}) {
    const docsEnabled = options.docsEnabled ?? true;
    const common = {
        frameguard: { action: 'deny' },
        referrerPolicy: { policy: 'no-referrer' },
        hsts: false,
    };
    // JSON API responses get the set recommended for REST services (OWASP REST Security cheat
    // sheet): no sniffing, no framing, no referrer, a deny-all CSP. The cross-origin isolation,
    // DNS-prefetch, download and XSS-auditor headers only mean something for HTML documents; the
    // docs page below keeps helmet's full set.
    const api = (0, helmet_1.default)({
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
    const docs = (0, helmet_1.default)({
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
    const pages = new Map();
    for (const [path, directives] of Object.entries(options.docsPages ?? {})) {
        pages.set(path.toLowerCase(), (0, helmet_1.default)({ ...common, contentSecurityPolicy: { useDefaults: false, directives } }));
    }
    const apiHeaders = staticHeadersOf(api);
    return (req, res, next) => {
        if (arrivedOverHttps(req))
            res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
        if (docsEnabled) {
            if (isDocsPath(req.path))
                return docs(req, res, next);
            if (pages.size > 0) {
                const page = pages.get(req.path.toLowerCase().replace(/(.)\/$/, '$1'));
                if (page !== undefined)
                    return page(req, res, next);
            }
        }
        res.setHeader('Cache-Control', 'no-store');
        for (const [name, value] of apiHeaders)
            res.setHeader(name, value);
        return next();
    };
}
/**
 * HTTPS directly (a TLS socket) or, only when proxy headers are trusted, through the proxy's
 * X-Forwarded-Proto. Express's req.secure would parse the forwarding headers on every request.
 */
function arrivedOverHttps(req) {
    if (req.socket?.encrypted === true)
        return true;
    return (0, request_context_1.trustsProxyHeaders)(req) && req.secure;
}
/**
 * The headers a helmet instance sets, captured once: with this configuration they do not depend
 * on the request, and replaying them skips helmet's chain of a dozen middlewares on every call.
 */
function staticHeadersOf(middleware) {
    const headers = [];
    const recorder = {
        setHeader: (name, value) => headers.push([name, String(value)]),
        removeHeader: () => undefined,
        getHeader: () => undefined,
    };
    middleware({}, recorder, () => undefined);
    return headers;
}
//# sourceMappingURL=security-headers.middleware.js.map