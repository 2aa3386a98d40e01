export * from './app-config';
export * from './config.module';
export * from './environment';
export { DOT_ENV_FILE } from './dot-env';
export type { DotEnvUse } from './dot-env';
export { ConfigValidationError, SERVICE_VERSION, applyProcessDefaults, loadConfig, processEnvironment, unknownVariables } from './load-config';
export { loadProcessConfig } from './process-config';
export type { ProcessConfig } from './process-config';
