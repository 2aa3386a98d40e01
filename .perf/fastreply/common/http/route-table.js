"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.RouteTable = exports.UNMATCHED_ROUTE_LABEL = exports.FALLBACK_ROUTE_TEMPLATE = void 0;
exports.normalisePath = normalisePath;
const common_1 = require("@nestjs/common");
const constants_1 = require("@nestjs/common/constants");
const core_1 = require("@nestjs/core");
/** Marker for the catch-all route (it must not count as a known route). */
exports.FALLBACK_ROUTE_TEMPLATE = '{*path}';
exports.UNMATCHED_ROUTE_LABEL = 'unmatched';
function joinPath(...parts) {
    const joined = parts
        .map((p) => p.replace(/^\/+|\/+$/g, ''))
        .filter((p) => p.length > 0)
        .join('/');
    return `/${joined}`;
}
/** Lower-cased, one trailing slash dropped: the way Express matches routes by default. */
function normalisePath(path) {
    const p = path.toLowerCase();
    return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}
/**
 * The service's routes (template + methods) read from controller metadata at start-up. Used to
 * answer 405 with an Allow header, and to label logs and metrics with the route template even
 * when a request never reached a handler (body errors, 401/429 before routing).
 */
let RouteTable = class RouteTable {
    discovery;
    scanner;
    entries = [];
    extra = [];
    constructor(discovery, scanner) {
        this.discovery = discovery;
        this.scanner = scanner;
    }
    onModuleInit() {
        for (const wrapper of this.discovery.getControllers()) {
            const instance = wrapper.instance;
            if (!instance || !wrapper.metatype)
                continue;
            const prefixes = this.pathsOf(Reflect.getMetadata(constants_1.PATH_METADATA, wrapper.metatype));
            const proto = Object.getPrototypeOf(instance);
            for (const name of this.scanner.getAllMethodNames(proto)) {
                const handler = proto[name];
                if (typeof handler !== 'function')
                    continue;
                const method = Reflect.getMetadata(constants_1.METHOD_METADATA, handler);
                const paths = Reflect.getMetadata(constants_1.PATH_METADATA, handler);
                if (method === undefined || paths === undefined)
                    continue;
                for (const prefix of prefixes) {
                    for (const p of this.pathsOf(paths))
                        this.add(common_1.RequestMethod[method], joinPath(prefix, p));
                }
            }
        }
    }
    pathsOf(value) {
        if (Array.isArray(value))
            return value.map(String);
        return [typeof value === 'string' ? value : '/'];
    }
    add(method, template) {
        if (template.includes(exports.FALLBACK_ROUTE_TEMPLATE))
            return;
        let entry = this.entries.find((e) => e.template === template);
        if (!entry) {
            entry = { template, segments: normalisePath(template).split('/'), methods: new Set() };
            this.entries.push(entry);
        }
        const m = method.toUpperCase();
        if (m === 'ALL') {
            ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].forEach((x) => entry.methods.add(x));
        }
        else {
            entry.methods.add(m);
            if (m === 'GET')
                entry.methods.add('HEAD');
        }
    }
    /** Path prefixes served outside controllers (e.g. the docs UI) that still deserve a label. */
    addPrefix(prefix) {
        this.extra.push(normalisePath(prefix));
    }
    match(path) {
        const segments = normalisePath(path).split('/');
        for (const e of this.entries) {
            if (e.segments.length !== segments.length)
                continue;
            if (e.segments.every((s, i) => (s.startsWith(':') ? segments[i].length > 0 : s === segments[i]))) {
                return { template: e.template, methods: [...e.methods].sort() };
            }
        }
        return undefined;
    }
    /** Template for labels: a known route, a registered prefix, or `unmatched`. */
    labelFor(path) {
        const hit = this.match(path);
        if (hit)
            return hit.template;
        const p = normalisePath(path);
        const prefix = this.extra.find((x) => p === x || p.startsWith(`${x}/`));
        return prefix ?? exports.UNMATCHED_ROUTE_LABEL;
    }
    templates() {
        return this.entries.map((e) => e.template);
    }
};
exports.RouteTable = RouteTable;
exports.RouteTable = RouteTable = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [core_1.DiscoveryService,
        core_1.MetadataScanner])
], RouteTable);
//# sourceMappingURL=route-table.js.map