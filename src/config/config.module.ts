import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './app-config';

/**
 * Owns the typed configuration. The config object is built and validated before the Nest app
 * (so a bad environment stops start-up before anything listens) and handed in here, provided once
 * as `AppConfig`, which every module injects.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
    };
  }
}
