// First: tracing, when configured, must be running before http, express, ioredis or pino load.
import './tracing/register';
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.factory';
import { ConfigValidationError, ProcessConfig, applyProcessDefaults, loadProcessConfig, processEnvironment, unknownVariables } from './config';
import { LifecycleService } from './health/lifecycle.service';
import { shutdownTracing } from './tracing/tracing-state';

/** Entry point: validate config (exit 1 with one line on error), listen, shut down gracefully. */
async function main(): Promise<void> {
  applyProcessDefaults();
  let loaded: ProcessConfig;
  try {
    loaded = loadProcessConfig(processEnvironment(), process.cwd());
  } catch (err) {
    if (err instanceof ConfigValidationError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const { config, environment, dotEnv } = loaded;

  const service = await createApp(config);
  const { app, logger, flushLogs } = service;
  const log = logger.child({ logger: 'mfn.main' });
  if (dotEnv) {
    // Names only: a .env holds secrets too.
    log.info({ file: dotEnv.path, variables: dotEnv.variables }, 'read .env (dev profile only; variables set in the environment win over it)');
  }
  const unknown = unknownVariables(environment);
  if (unknown.length > 0) log.warn({ variables: unknown }, 'unknown MFN_* variables ignored (check for typos)');
  if (!config.auth.required) {
    log.warn(
      { profile: config.env, variable: 'MFN_API_KEY_REQUIRED' },
      'API keys are not enforced: every caller is served with every role (MFN_API_KEY_REQUIRED=true requires a key)',
    );
  }

  await service.listen(config.http.port, config.http.host);
  const port = (service.server.address() as AddressInfo).port;
  log.info(
    { url: listenUrl(config.http.host, port), port, host: config.http.host, profile: config.env, version: config.version },
    'MFN Secure Service listening',
  );

  const lifecycle = app.get(LifecycleService);
  const onSignal = (signal: NodeJS.Signals) => {
    log.info({ signal }, 'signal received, shutting down');
    // Stream connections are long-lived: closed at once (1001) so clients reconnect elsewhere.
    service.closeStreams();
    lifecycle
      .shutdown(service.server, () => closeWithin(app.close(), config.http.shutdownTimeoutMs, log))
      // The last spans (this request's included) are exported before the process goes.
      .then(() => shutdownTracing())
      .then(() => {
        flushLogs();
        process.exit(0);
      })
      .catch((err: unknown) => {
        log.error({ error: err instanceof Error ? err.name : 'unknown' }, 'shutdown failed');
        flushLogs();
        process.exit(1);
      });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/**
 * The application's close, bounded: a component that cannot finish closing (the job queue's
 * event stream waits for its Redis while that is unreachable) must not keep the process from
 * exiting after SIGTERM.
 */
async function closeWithin(closing: Promise<void>, timeoutMs: number, log: { warn(fields: object, message: string): void }): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), timeoutMs);
  });
  const outcome = await Promise.race([closing.then(() => 'closed' as const), late]);
  clearTimeout(timer);
  if (outcome === 'late') log.warn({ timeout_ms: timeoutMs }, 'shutdown: components still closing after the timeout, exiting anyway');
}

/** The address the service answers on, as a URL (IPv6 hosts in brackets). */
function listenUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

main().catch((err: unknown) => {
  const reason = err instanceof Error ? err.message.split('\n')[0] : 'unknown error';
  process.stderr.write(`Start-up failed: ${reason}\n`);
  process.exit(1);
});
