import { Injectable, OnModuleInit, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';

interface RouteEntry {
  template: string;
  segments: string[];
  methods: Set<string>;
}

/** Marker for the catch-all route (it must not count as a known route). */
export const FALLBACK_ROUTE_TEMPLATE = '{*path}';
export const UNMATCHED_ROUTE_LABEL = 'unmatched';

function joinPath(...parts: string[]): string {
  const joined = parts
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter((p) => p.length > 0)
    .join('/');
  return `/${joined}`;
}

/** Lower-cased, one trailing slash dropped: the way Express matches routes by default. */
export function normalisePath(path: string): string {
  const p = path.toLowerCase();
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

/**
 * The service's routes (template + methods) read from controller metadata at start-up. Used to
 * answer 405 with an Allow header, and to label logs and metrics with the route template even
 * when a request never reached a handler (body errors, 401/429 before routing).
 */
@Injectable()
export class RouteTable implements OnModuleInit {
  private readonly entries: RouteEntry[] = [];
  private readonly extra: string[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getControllers()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || !wrapper.metatype) continue;
      const prefixes = this.pathsOf(Reflect.getMetadata(PATH_METADATA, wrapper.metatype));
      const proto = Object.getPrototypeOf(instance) as object;
      for (const name of this.scanner.getAllMethodNames(proto)) {
        const handler = (proto as Record<string, unknown>)[name];
        if (typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (method === undefined || paths === undefined) continue;
        for (const prefix of prefixes) {
          for (const p of this.pathsOf(paths)) this.add(RequestMethod[method], joinPath(prefix, p));
        }
      }
    }
  }

  private pathsOf(value: unknown): string[] {
    if (Array.isArray(value)) return value.map(String);
    return [typeof value === 'string' ? value : '/'];
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
