import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule } from '@nestjs/config';
import { AppConfig } from './app-config';

/**
 * Owns the typed configuration. The config object is built before the Nest app (so a bad
 * environment stops start-up before anything listens) and handed in here; every module injects
 * `AppConfig`. @nestjs/config's ConfigService exposes the same object under the key `mfn`.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      imports: [
        NestConfigModule.forRoot({
          ignoreEnvFile: true,
          skipProcessEnv: true,
          load: [() => ({ mfn: config })],
        }),
      ],
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig, NestConfigModule],
    };
  }
}
