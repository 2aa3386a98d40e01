export * from './app-config';
export * from './config.module';
export * from './environment';
export { ConfigValidationError, SERVICE_VERSION, applyProcessDefaults, loadConfig, processEnvironment, unknownVariables } from './load-config';
