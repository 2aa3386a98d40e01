import { RequestMethod } from '@nestjs/common';
import type { DynamicModule, Provider, Type } from '@nestjs/common';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { APP_GUARD } from '@nestjs/core';
import { AppModule } from '../../../src/app.module';
import { createRootLogger } from '../../../src/common';
import { loadConfig } from '../../../src/config';

/**
 * What the application module graph declares, read from module and controller metadata only
 * (nothing is built), so suites can decide at collection time which cases apply.
 */
type ModuleRef = Type<unknown> | DynamicModule;

function isDynamic(m: ModuleRef): m is DynamicModule {
  return typeof m === 'object' && m !== null && 'module' in m;
}

interface ModuleParts {
  providers: Provider[];
  controllers: Type<unknown>[];
}

function modulesOfApp(): ModuleParts[] {
  const config = loadConfig({});
  const root = AppModule.register(config, createRootLogger(config, { write: () => true }));
  const seen = new Set<unknown>();
  const out: ModuleParts[] = [];
  const visit = (m: ModuleRef | undefined): void => {
    if (!m || seen.has(m)) return;
    seen.add(m);
    const cls = isDynamic(m) ? m.module : m;
    const meta = <T>(key: string): T[] => (Reflect.getMetadata(key, cls) as T[] | undefined) ?? [];
    out.push({
      providers: [...meta<Provider>(MODULE_METADATA.PROVIDERS), ...(isDynamic(m) ? (m.providers ?? []) : [])],
      controllers: [...meta<Type<unknown>>(MODULE_METADATA.CONTROLLERS), ...(isDynamic(m) ? (m.controllers ?? []) : [])],
    });
    const imports = [...meta<ModuleRef>(MODULE_METADATA.IMPORTS), ...(isDynamic(m) ? ((m.imports ?? []) as ModuleRef[]) : [])];
    imports.forEach(visit);
  };
  visit(root);
  return out;
}

/** Whether global guards (APP_GUARD providers, e.g. the API-key guard and the rate limiter) are registered. */
export function appGuardsRegistered(): boolean {
  return modulesOfApp().some(({ providers }) =>
    providers.some((p) => typeof p === 'object' && p !== null && 'provide' in p && p.provide === APP_GUARD),
  );
}

/** Routes the controllers declare, as `METHOD /path`. */
export function declaredRoutes(): string[] {
  const routes: string[] = [];
  const clean = (p: unknown) => String(p ?? '').replace(/^\/+|\/+$/g, '');
  for (const { controllers } of modulesOfApp()) {
    for (const controller of controllers) {
      const prefix = clean(Reflect.getMetadata(PATH_METADATA, controller));
      const proto = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as unknown;
        if (method === undefined || path === undefined) continue;
        routes.push(`${RequestMethod[method]} /${[prefix, clean(path)].filter((s) => s !== '').join('/')}`);
      }
    }
  }
  return routes;
}
