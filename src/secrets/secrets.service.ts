import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { AuditService } from '../audit/audit.service';
import { ROOT_LOGGER } from '../common/logging/logging.constants';
import { AppConfig, envValue } from '../config';
import { ReadinessRegistry } from '../health/readiness.registry';
import { MetricsService } from '../metrics/metrics.service';
import { SECRETS_BACKEND } from './backends/secrets-backend';
import type { SecretsBackend } from './backends/secrets-backend';
import type { SecretMap } from './secret-files';
import { parseSecretList } from './secret-list';
import { KNOWN_SECRET_NAMES, isLoggableSecretName } from './secret-names';
import { SecretNotFoundError, SecretsBackendError } from './secrets.errors';

export { SecretFormatError, SecretNotFoundError, SecretsBackendError } from './secrets.errors';

export interface GetSecretOptions {
  required?: boolean;
}

/** While nothing could be loaded yet (dev only), retry at least this often. */
const UNLOADED_RETRY_MS = 30_000;

/**
 * The only reader of secrets (API keys, master key, Redis URL, tokens). Values are loaded from
 * the configured backend during start-up, served from memory, and reloaded every
 * MFN_SECRETS_REFRESH_S seconds so rotated values are picked up without a restart.
 *
 * Start-up: any load failure stops the service (one line naming backend and cause) — except in
 * dev, where an unreachable or slow backend is tolerated: the service starts without secrets,
 * readiness reports `secrets` down and loading is retried in the background. Misconfiguration,
 * refused credentials, missing or malformed secrets stop start-up in every profile.
 *
 * Refresh: a failed refresh keeps the last good values, logs a warning and counts
 * `mfn_secrets_refresh_failures_total`; a refresh that changes values notifies onChange
 * listeners (key rotation). Values never appear in logs or errors.
 *
 * Consumers read secrets in onModuleInit or later: this module's initialisation has loaded them
 * by then (every module that reads secrets imports SecretsModule, whose hooks Nest runs first;
 * createApp also awaits the load for its start-up checks before the app initialises).
 */
@Injectable()
export class SecretsService implements OnModuleInit, OnModuleDestroy {
  private values: SecretMap = new Map();
  private loadedOnce = false;
  private lastOk = false;
  private lastLoadedAt?: Date;
  private inflight?: Promise<boolean>;
  private initialLoad?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private destroyed = false;
  private readonly listeners = new Set<() => void>();
  private readonly log: Logger;

  /** The backend is the one SecretsModule builds from MFN_SECRETS_BACKEND (SECRETS_BACKEND). */
  constructor(
    private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) logger: Logger,
    @Inject(SECRETS_BACKEND) private readonly backend: SecretsBackend,
    private readonly metrics: MetricsService,
    private readonly readiness: ReadinessRegistry,
    private readonly audit: AuditService,
  ) {
    this.log = logger.child({ logger: 'mfn.secrets' });
  }

  /**
   * Loads the secrets once; later calls wait for the same load. Providers whose construction
   * depends on a secret (e.g. which key store to use) await it from their factory.
   */
  whenLoaded(): Promise<void> {
    this.initialLoad ??= this.load();
    return this.initialLoad;
  }

  async onModuleInit(): Promise<void> {
    await this.whenLoaded();
  }

  private async load(): Promise<void> {
    this.readiness.register('secrets', () => this.readinessResult());
    this.checkTransportSecurity();
    this.warnAboutIgnoredVariables();
    try {
      this.apply(await this.fetch());
      this.lastOk = true;
    } catch (err) {
      const failure = asBackendError(this.backend.name, err);
      if (!(failure.transient && this.config.env === 'dev')) throw failure;
      this.lastOk = false;
      this.metrics.secretsRefreshFailed(this.backend.name);
      this.log.error(
        { backend: this.backend.name, kind: failure.kind, error: failure.message },
        'secrets backend unavailable at start-up (dev): starting without secrets and retrying in the background',
      );
    }
    this.scheduleRefresh();
  }

  onModuleDestroy(): void {
    this.destroyed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.backend.close?.();
  }

  get backendName(): string {
    return this.backend.name;
  }

  /** True once a load has succeeded (values may since have been refreshed). */
  get loaded(): boolean {
    return this.loadedOnce;
  }

  /** Outcome of the latest load or refresh. */
  get lastRefreshOk(): boolean {
    return this.lastOk;
  }

  /** When values were last loaded successfully. */
  get lastRefreshAt(): Date | undefined {
    return this.lastLoadedAt;
  }

  getSecret(name: string, options: GetSecretOptions = {}): string | undefined {
    const value = this.values.get(name);
    if (value === undefined && options.required) throw new SecretNotFoundError(name, this.backend.name);
    return value;
  }

  /** Comma/newline list or JSON array, trimmed, empties dropped, order kept. */
  getList(name: string): string[] {
    return parseSecretList(name, this.values.get(name));
  }

  /** Called after every load that changed at least one value (key rotation). Returns an unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Reloads now (also what the timer calls). Resolves true when fresh values were loaded,
   * false when the backend failed and the last good values were kept. Concurrent calls share
   * one load.
   */
  refresh(): Promise<boolean> {
    this.inflight ??= this.runRefresh().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async runRefresh(): Promise<boolean> {
    try {
      this.apply(await this.fetch());
      this.lastOk = true;
      return true;
    } catch (err) {
      const failure = asBackendError(this.backend.name, err);
      this.lastOk = false;
      this.metrics.secretsRefreshFailed(this.backend.name);
      this.log.warn(
        { backend: this.backend.name, kind: failure.kind, error: failure.message, loaded: this.loadedOnce },
        this.loadedOnce ? 'secrets refresh failed: keeping the last good values' : 'secrets still unavailable: retrying later',
      );
      return false;
    }
  }

  private async fetch(): Promise<SecretMap> {
    const values = await this.backend.load();
    if (values.size === 0 && !this.backend.mayBeEmpty) {
      throw new SecretsBackendError(this.backend.name, 'empty', 'the backend holds no secrets');
    }
    return values;
  }

  private apply(next: SecretMap): void {
    const changed = changedNames(this.values, next);
    const firstLoad = !this.loadedOnce;
    this.values = next;
    this.loadedOnce = true;
    this.lastLoadedAt = new Date();
    if (firstLoad) {
      this.log.info({ backend: this.backend.name, count: next.size }, 'secrets loaded');
    } else if (changed.length > 0) {
      const names = changed.filter(isLoggableSecretName);
      this.log.info({ backend: this.backend.name, changed: names, changed_count: changed.length }, 'secrets changed on refresh');
      this.audit.record({
        action: 'secrets_rotated',
        category: 'configuration',
        severity: 'INFO',
        details: { backend: this.backend.name, changed: names, changed_count: changed.length },
      });
    }
    if (changed.length > 0) this.notifyListeners();
  }

  private notifyListeners(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (err) {
        this.log.error({ error: err instanceof Error ? err.name : 'unknown' }, 'secrets change listener failed');
      }
    }
  }

  private scheduleRefresh(): void {
    if (this.destroyed) return;
    const periodMs = this.config.secrets.refreshSeconds * 1000;
    const delayMs = this.loadedOnce ? periodMs : Math.min(periodMs || UNLOADED_RETRY_MS, UNLOADED_RETRY_MS);
    if (delayMs <= 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh().finally(() => this.scheduleRefresh());
    }, delayMs);
    this.timer.unref();
  }

  private readinessResult() {
    const backend = this.backend.name;
    return this.loadedOnce
      ? { secrets: { status: 'up' as const, backend, last_refresh_ok: this.lastOk } }
      : { secrets: { status: 'down' as const, backend, state: 'not_loaded' } };
  }

  /** Secrets must not travel over unverified TLS; prod refuses, other profiles warn. */
  private checkTransportSecurity(): void {
    const remote = this.backend.name === 'aws' || this.backend.name === 'vault';
    if (!remote) return;
    if (this.config.environment.NODE_TLS_REJECT_UNAUTHORIZED === '0') {
      if (this.config.env === 'prod') {
        throw new SecretsBackendError(this.backend.name, 'config', 'TLS certificate verification is disabled (NODE_TLS_REJECT_UNAUTHORIZED=0)');
      }
      this.log.warn({ backend: this.backend.name }, 'TLS certificate verification is disabled (NODE_TLS_REJECT_UNAUTHORIZED=0)');
    }
    const url = this.backend.name === 'vault' ? this.config.secrets.vault.url : this.config.secrets.aws.endpoint;
    if (url && url.startsWith('http://') && !isLoopbackUrl(url) && this.config.env !== 'dev') {
      this.log.warn({ backend: this.backend.name }, 'secrets backend URL uses plain http: secrets travel unencrypted');
    }
  }

  /** Remote and mapping backends are the only source: say so when env secrets are also set. */
  private warnAboutIgnoredVariables(): void {
    if (this.backend.name === 'env') return;
    const env = this.config.environment;
    const vaultToken = this.config.secrets.vault.tokenEnv;
    const ignored = KNOWN_SECRET_NAMES.flatMap((name) => [name, `${name}_FILE`]).filter((variable) => {
      if (this.backend.name === 'vault' && (variable === vaultToken || variable === `${vaultToken}_FILE`)) return false;
      return (envValue(env, variable) ?? '').trim() !== '';
    });
    if (ignored.length > 0) {
      this.log.warn(
        { backend: this.backend.name, variables: ignored },
        `these variables are ignored: the ${this.backend.name} secrets backend is the only source of secrets`,
      );
    }
  }
}

function asBackendError(backend: string, err: unknown): SecretsBackendError {
  if (err instanceof SecretsBackendError) return err;
  return new SecretsBackendError(backend, 'invalid', `unexpected error while loading secrets (${err instanceof Error ? err.name : 'unknown'})`);
}

function changedNames(before: SecretMap, after: SecretMap): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((name) => before.get(name) !== after.get(name)).sort();
}

function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
  } catch {
    return false;
  }
}
