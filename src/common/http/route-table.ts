import { Injectable } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';

interface RouteEntry {
  template: string;
  segments: string[];
  methods: Set<string>;
}

/** Marker for the catch-all route (it must not count as a known route). */
export const FALLBACK_ROUTE_TEMPLATE = '{*path}';
export const UNMATCHED_ROUTE_LABEL = 'unmatched';

/** Lower-cased, one trailing slash dropped: the way Express matches routes by default. */
export function normalisePath(path: string): string {
  const p = path.toLowerCase();
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

/** The HTTP methods an OpenAPI path item can hold. */
const OPERATION_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * The service's routes (template + methods), read at start-up from the service's own OpenAPI
 * document (`SwaggerModule.createDocument`, built in app.factory.ts whether or not the docs pages
 * are served), so the routes this table knows and the routes the API documents cannot differ.
 * Used to answer 405 with an Allow header, and to label logs and metrics with the route template
 * even when a request never reached a handler (body errors, 401/429 before routing).
 * Templates keep Express's spelling (`/api/keys/:id`), as Nest declares them.
 */
@Injectable()
export class RouteTable {
  private readonly entries: RouteEntry[] = [];
  private readonly extra: string[] = [];

  /** Adds every operation of the document (`{id}` path parameters become `:id`). */
  addDocument(document: OpenAPIObject): void {
    for (const [path, item] of Object.entries(document.paths)) {
      const template = path.replace(/\{([^}/]+)\}/g, ':$1');
      for (const method of OPERATION_METHODS) {
        // eslint-disable-next-line security/detect-object-injection -- `method` comes from the fixed OPERATION_METHODS list
        if (item[method] !== undefined) this.add(method, template);
      }
    }
  }

  add(method: string, template: string): void {
    if (template.includes(FALLBACK_ROUTE_TEMPLATE)) return;
    let entry = this.entries.find((e) => e.template === template);
    if (!entry) {
      entry = { template, segments: normalisePath(template).split('/'), methods: new Set() };
      this.entries.push(entry);
    }
    const m = method.toUpperCase();
    if (m === 'ALL') {
      ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].forEach((x) => entry.methods.add(x));
    } else {
      entry.methods.add(m);
      if (m === 'GET') entry.methods.add('HEAD');
    }
  }

  /** Path prefixes served outside controllers (e.g. the docs UI) that still deserve a label. */
  addPrefix(prefix: string): void {
    this.extra.push(normalisePath(prefix));
  }

  match(path: string): { template: string; methods: string[] } | undefined {
    const segments = normalisePath(path).split('/');
    for (const e of this.entries) {
      if (e.segments.length !== segments.length) continue;
      // eslint-disable-next-line security/detect-object-injection -- integer index into the path's segments (same count checked above)
      if (e.segments.every((s, i) => (s.startsWith(':') ? segments[i].length > 0 : s === segments[i]))) {
        return { template: e.template, methods: [...e.methods].sort() };
      }
    }
    return undefined;
  }

  /** Template for labels: a known route, a registered prefix, or `unmatched`. */
  labelFor(path: string): string {
    const hit = this.match(path);
    if (hit) return hit.template;
    const p = normalisePath(path);
    const prefix = this.extra.find((x) => p === x || p.startsWith(`${x}/`));
    return prefix ?? UNMATCHED_ROUTE_LABEL;
  }

  templates(): string[] {
    return this.entries.map((e) => e.template);
  }
}
