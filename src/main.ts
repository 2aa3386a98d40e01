import 'reflect-metadata';
import { createApp } from './app.factory';
import { ConfigValidationError, applyProcessDefaults, loadConfig, processEnvironment, unknownVariables } from './config';
import { LifecycleService } from './health/lifecycle.service';

/** Entry point: validate config (exit 1 with one line on error), listen, shut down gracefully. */
async function main(): Promise<void> {
  applyProcessDefaults();
  let config;
  try {
    config = loadConfig(processEnvironment());
  } catch (err) {
    if (err instanceof ConfigValidationError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }

  const service = await createApp(config);
  const { app, logger, flushLogs } = service;
  const unknown = unknownVariables(processEnvironment());
  if (unknown.length > 0) logger.warn({ variables: unknown }, 'unknown MFN_* variables ignored (check for typos)');

  await service.listen(config.http.port, config.http.host);
  logger.info(
    { logger: 'mfn.main', port: config.http.port, host: config.http.host, profile: config.env, version: config.version },
    'MFN Secure Service listening',
  );

  const lifecycle = app.get(LifecycleService);
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info({ logger: 'mfn.main', signal }, 'signal received, shutting down');
    lifecycle
      .shutdown(service.server, () => app.close())
      .then(() => {
        flushLogs();
        process.exit(0);
      })
      .catch((err: unknown) => {
        logger.error({ logger: 'mfn.main', error: err instanceof Error ? err.name : 'unknown' }, 'shutdown failed');
        flushLogs();
        process.exit(1);
      });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

main().catch((err: unknown) => {
  const reason = err instanceof Error ? err.message.split('\n')[0] : 'unknown error';
  process.stderr.write(`Start-up failed: ${reason}\n`);
  process.exit(1);
});
