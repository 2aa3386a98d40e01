const { ExpressAdapter } = require('@nestjs/platform-express');
const { StreamableFile } = require('@nestjs/common');
const orig = ExpressAdapter.prototype.reply;
ExpressAdapter.prototype.reply = function (res, body, statusCode) {
  if (body !== null && typeof body === 'object' && !(body instanceof StreamableFile) && res.getHeader('Content-Type') === undefined) {
    if (statusCode) res.statusCode = statusCode;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    return res.end(JSON.stringify(body));
  }
  return orig.call(this, res, body, statusCode);
};
"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
require("reflect-metadata");
const app_factory_1 = require("./app.factory");
const config_1 = require("./config");
const lifecycle_service_1 = require("./health/lifecycle.service");
/** Entry point: validate config (exit 1 with one line on error), listen, shut down gracefully. */
async function main() {
    (0, config_1.applyProcessDefaults)();
    let config;
    try {
        config = (0, config_1.loadConfig)((0, config_1.processEnvironment)());
    }
    catch (err) {
        if (err instanceof config_1.ConfigValidationError) {
            process.stderr.write(`${err.message}\n`);
            process.exit(1);
        }
        throw err;
    }
    const { app, logger, flushLogs } = await (0, app_factory_1.createApp)(config);
    const unknown = (0, config_1.unknownVariables)((0, config_1.processEnvironment)());
    if (unknown.length > 0)
        logger.warn({ variables: unknown }, 'unknown MFN_* variables ignored (check for typos)');
    await app.listen(config.http.port, config.http.host);
    logger.info({ logger: 'mfn.main', port: config.http.port, host: config.http.host, profile: config.env, version: config.version }, 'MFN Secure Service listening');
    const lifecycle = app.get(lifecycle_service_1.LifecycleService);
    const server = app.getHttpServer();
    const onSignal = (signal) => {
        logger.info({ logger: 'mfn.main', signal }, 'signal received, shutting down');
        lifecycle
            .shutdown(server, () => app.close())
            .then(() => {
            flushLogs();
            process.exit(0);
        })
            .catch((err) => {
            logger.error({ logger: 'mfn.main', error: err instanceof Error ? err.name : 'unknown' }, 'shutdown failed');
            flushLogs();
            process.exit(1);
        });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
}
main().catch((err) => {
    const reason = err instanceof Error ? err.message.split('\n')[0] : 'unknown error';
    process.stderr.write(`Start-up failed: ${reason}\n`);
    process.exit(1);
});
//# sourceMappingURL=main.js.map