"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.AppConfig = exports.SECRETS_BACKENDS = exports.PROFILES = void 0;
/**
 * The typed, validated configuration of the service. Built once at boot by `loadConfig`
 * from the process environment and injected everywhere as `AppConfig`.
 */
exports.PROFILES = ['dev', 'staging', 'prod'];
exports.SECRETS_BACKENDS = ['env', 'file', 'aws', 'vault'];
/** Injection token and runtime class for the typed config (so `constructor(cfg: AppConfig)` works). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
class AppConfig {
}
exports.AppConfig = AppConfig;
//# sourceMappingURL=app-config.js.map