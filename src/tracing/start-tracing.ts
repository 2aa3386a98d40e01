import { withDotEnv } from '../config/dot-env';
import type { Environment } from '../config/environment';
import { otlpExportHeaders, parseTracingConfig } from '../config/tracing-config';
import { setTracingHandle, tracingActive } from './tracing-state';

/**
 * Starts OpenTelemetry tracing when the OTEL_* variables ask for it. Runs before the service's
 * own modules load (src/tracing/register.ts is main.ts's first import): the instrumentations
 * patch http, express, ioredis and pino as they are first required, so they must be registered
 * first. Reads the variables with the configuration's pure parser (no framework loaded yet);
 * invalid values leave tracing off here and stop start-up a moment later, when main.ts validates
 * the whole configuration. With tracing off the SDK is never loaded.
 */
export function startTracing(env: Environment, dir: string, serviceVersion: string): boolean {
  if (tracingActive()) return true;
  const { env: environment } = withDotEnv(env, dir);
  const { config, problems } = parseTracingConfig(environment);
  if (!config.enabled || problems.length > 0) return false;
  const profile = (environment.MFN_ENV ?? '').trim().toLowerCase() || 'dev';
  // Loaded only here: with tracing off none of the SDK's modules is ever required.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy, synchronous load is the point: it must finish before the instrumented modules are required
  const { startSdk } = require('./tracing-sdk') as typeof import('./tracing-sdk');
  try {
    setTracingHandle(startSdk(config, otlpExportHeaders(environment), { version: serviceVersion, profile }));
    return true;
  } catch (err) {
    process.stderr.write(`Tracing not started: ${err instanceof Error ? err.message.split('\n')[0] : 'unknown error'}\n`);
    return false;
  }
}
