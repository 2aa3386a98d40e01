import type { DynamicModule, Provider, Type } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants';
import { APP_GUARD } from '@nestjs/core';
import { AppModule } from '../../../src/app.module';
import { createRootLogger } from '../../../src/common';
import { loadConfig } from '../../../src/config';

type ModuleRef = Type<unknown> | DynamicModule;

function isDynamic(m: ModuleRef): m is DynamicModule {
  return typeof m === 'object' && m !== null && 'module' in m;
}

/**
 * Whether the application module graph registers global guards (APP_GUARD providers): the API-key
 * guard and the rate limiter are such guards. Read from module metadata only, nothing is built.
 */
export function appGuardsRegistered(): boolean {
  const config = loadConfig({});
  const root = AppModule.register(config, createRootLogger(config, { write: () => true }));
  const seen = new Set<unknown>();
  const visit = (m: ModuleRef | undefined): boolean => {
    if (!m || seen.has(m)) return false;
    seen.add(m);
    const cls = isDynamic(m) ? m.module : m;
    const providers: Provider[] = [
      ...((Reflect.getMetadata(MODULE_METADATA.PROVIDERS, cls) as Provider[] | undefined) ?? []),
      ...(isDynamic(m) ? (m.providers ?? []) : []),
    ];
    if (providers.some((p) => typeof p === 'object' && p !== null && 'provide' in p && p.provide === APP_GUARD)) return true;
    const imports = [
      ...((Reflect.getMetadata(MODULE_METADATA.IMPORTS, cls) as ModuleRef[] | undefined) ?? []),
      ...(isDynamic(m) ? ((m.imports ?? []) as ModuleRef[]) : []),
    ];
    return imports.some((i) => visit(i));
  };
  return visit(root);
}
