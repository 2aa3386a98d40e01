import { availableParallelism } from 'node:os';
import { AddressListError, parseAddressList } from '../auth/address-lists/address-list';
import {
  AppConfig,
  DEFAULT_COMPUTE_TIMEOUT_MS,
  DEFAULT_COMPUTE_WORK_LIMIT,
  DEFAULT_CRYPTO_QUOTAS,
  DEFAULT_MAX_BODY_BYTES,
  GrantedEvents,
  LogFormat,
  LogLevel,
  PROFILES,
  Profile,
  SECRETS_BACKENDS,
  SERVICE_ROLES,
  defaultComputeMaxPerKey,
} from './app-config';
import {
  EnvValueError,
  parseBool,
  parseEnum,
  parseHostname,
  parseInteger,
  parseList,
  parseRouteLimits,
  parseTrustedProxies,
  parseUrl,
} from './env-parsers';
import { parseTracingConfig } from './tracing-config';
import { KNOWN_VARIABLES, SECRET_VARIABLES } from './variables';
import { Environment, envValue } from './environment';

import { SERVICE_VERSION } from './service-version';

export { SERVICE_VERSION } from './service-version';
export { processEnvironment } from './environment';

/** Thrown when one or more variables are invalid; `message` is a single line naming each of them. */
export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigValidationError';
  }
}

type Env = Environment;

const LOG_LEVELS: Record<string, LogLevel> = {
  DEBUG: 'debug',
  INFO: 'info',
  WARNING: 'warn',
  WARN: 'warn',
  ERROR: 'error',
};

/** Collects problems instead of stopping at the first one, so start-up can name every bad variable. */
class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  /** The raw value, or undefined when unset or blank. */
  raw(name: string): string | undefined {
    const v = envValue(this.env, name);
    return v === undefined || v.trim() === '' ? undefined : v;
  }

  read<T>(name: string, fallback: T, parse: (raw: string) => T): T {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    try {
      return parse(v);
    } catch (err) {
      if (!(err instanceof EnvValueError)) throw err;
      this.problems.push(`${name} ${err.message} (got ${quote(v)})`);
      return fallback;
    }
  }

  bool(name: string, fallback: boolean): boolean {
    return this.read(name, fallback, parseBool);
  }

  int(name: string, fallback: number, min: number, max?: number): number {
    return this.read(name, fallback, (v) => parseInteger(v, min, max));
  }

  str(name: string): string | undefined {
    return this.raw(name)?.trim();
  }

  url(name: string, protocols = ['http:', 'https:']): string | undefined {
    return this.read<string | undefined>(name, undefined, (v) => parseUrl(v, protocols));
  }

  problem(message: string): void {
    this.problems.push(message);
  }
}

/** Non-secret values are quoted (cut to 40 chars) to help the operator; secrets never pass here. */
function quote(v: string): string {
  const cut = v.length > 40 ? `${v.slice(0, 40)}…` : v;
  return JSON.stringify(cut);
}

/**
 * Reads and validates every MFN_* variable (plus PORT and HOST) once. Throws
 * ConfigValidationError listing all bad variables. Pure: the environment is an argument,
 * so tests build as many configurations as they like without touching process.env.
 */
export function loadConfig(env: Env): AppConfig {
  const r = new EnvReader(env);

  const profile: Profile = r.read<Profile>('MFN_ENV', 'dev', (v) => parseEnum(v, PROFILES, (s) => s.toLowerCase()));
  const isDev = profile === 'dev';

  const logLevel = r.read<LogLevel>('MFN_LOG_LEVEL', 'info', (v) => {
    const lvl = LOG_LEVELS[v.trim().toUpperCase()];
    if (!lvl) throw new EnvValueError('must be one of DEBUG, INFO, WARNING, ERROR');
    return lvl;
  });
  const logFormat = r.read<LogFormat>('MFN_LOG_FORMAT', isDev ? 'text' : 'json', (v) =>
    parseEnum(v, ['json', 'text'] as const, (s) => s.toLowerCase()),
  );

  const grantedEvents = r.read<GrantedEvents>('MFN_AUDIT_GRANTED_EVENTS', 'separate', (v) =>
    parseEnum(v, ['separate', 'folded'] as const, (s) => s.toLowerCase()),
  );

  const trustProxyHeaders = r.bool('MFN_TRUST_PROXY_HEADERS', false);
  const trustedProxies = r.read<number | string[]>('MFN_TRUSTED_PROXIES', 1, parseTrustedProxies);

  const corsList = r.read<string[] | undefined>('MFN_CORS_ORIGINS', undefined, (v) => {
    const list = parseList(v);
    for (const origin of list) {
      if (origin !== '*' && !/^https?:\/\/[^\s/]+$/.test(origin)) {
        throw new EnvValueError('must be a comma list of origins like https://app.example.com, or *');
      }
    }
    return list;
  });
  let cors: AppConfig['cors'];
  if (corsList && corsList.includes('*')) {
    cors = { origins: '*', credentials: false };
    if (profile === 'prod') r.problem('MFN_CORS_ORIGINS must not contain * in prod');
  } else if (corsList) {
    cors = { origins: corsList, credentials: corsList.length > 0 };
  } else if (profile === 'dev') {
    cors = { origins: '*', credentials: false };
  } else if (profile === 'staging') {
    cors = { origins: ['http://localhost:3000', 'http://localhost:8080'], credentials: true };
  } else {
    cors = { origins: [], credentials: false };
  }

  const authRequired = r.bool('MFN_API_KEY_REQUIRED', !isDev);
  const addressList = (name: string): string[] =>
    r.read<string[]>(name, [], (v) => {
      try {
        return parseAddressList(v);
      } catch (err) {
        if (!(err instanceof AddressListError)) throw err;
        throw new EnvValueError(`must be a comma list of IPv4/IPv6 addresses and CIDR subnets: ${err.message}`);
      }
    });

  const secretsBackend = r.read('MFN_SECRETS_BACKEND', 'env' as const, (v) => {
    try {
      return parseEnum(v, SECRETS_BACKENDS, (s) => s.toLowerCase());
    } catch {
      throw new EnvValueError(`is invalid: Unsupported secrets backend; must be one of ${SECRETS_BACKENDS.join(', ')}`);
    }
  });

  const algorithm = r.read('MFN_CRYPTO_ALGORITHM', 'AES-256-GCM' as const, (v) =>
    parseEnum(v, ['AES-256-GCM'] as const),
  );
  const keySize = r.read('MFN_CRYPTO_KEY_SIZE', 256 as const, (v) => {
    if (parseInteger(v, 1) !== 256) throw new EnvValueError('must be 256 (AES-256-GCM is the only cipher offered)');
    return 256 as const;
  });
  const signatureAlgorithm = r.read('MFN_CRYPTO_SIGNATURE_ALG', 'Ed25519' as const, (v) =>
    parseEnum(v, ['Ed25519'] as const),
  );

  const computeWorkers = r.int('MFN_COMPUTE_WORKERS', availableParallelism(), 1, 256);
  const computeQueueMax = r.int('MFN_COMPUTE_QUEUE_MAX', 64, 1, 100_000);

  const tracing = parseTracingConfig(env);
  for (const problem of tracing.problems) r.problem(problem);

  const config = {
    env: profile,
    version: SERVICE_VERSION,
    http: {
      port: r.int('PORT', 8000, 0, 65535),
      // Dev listens on loopback only; staging and prod run in containers, where only 0.0.0.0 is reachable.
      host: r.str('HOST') ?? (isDev ? '127.0.0.1' : '0.0.0.0'),
      maxBodyBytes: r.int('MFN_MAX_BODY_BYTES', DEFAULT_MAX_BODY_BYTES, 1024, 64 * 1024 * 1024),
      aggregateMaxBytes: r.int('MFN_AGGREGATE_MAX_BYTES', 8 * 1024 * 1024, 1024, 256 * 1024 * 1024),
      maxInflateRatio: r.int('MFN_MAX_INFLATE_RATIO', 32, 1, 1024),
      bodyInflightBytes: r.int('MFN_BODY_INFLIGHT_BYTES', 32 * 1024 * 1024, 1024, 4 * 1024 * 1024 * 1024),
      bodyTimeoutMs: r.int('MFN_BODY_TIMEOUT_MS', 30_000, 100, 600_000),
      shutdownTimeoutMs: r.int('MFN_SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
      shutdownDelayMs: r.int('MFN_SHUTDOWN_DELAY_MS', 0, 0, 600_000),
      trustProxyHeaders,
      trustedProxies,
    },
    cors,
    docsEnabled: r.bool('MFN_DOCS_ENABLED', isDev),
    logging: { level: logLevel, format: logFormat },
    audit: { grantedEvents },
    auth: {
      required: authRequired,
      lockout: {
        enabled: r.bool('MFN_AUTH_LOCKOUT_ENABLED', authRequired),
        maxFailures: r.int('MFN_AUTH_LOCKOUT_FAILURES', 10, 1, 10_000),
        windowSeconds: r.int('MFN_AUTH_LOCKOUT_WINDOW_S', 300, 1, 86_400),
        lockoutSeconds: r.int('MFN_AUTH_LOCKOUT_S', 900, 1, 86_400),
      },
    },
    addressLists: { allow: addressList('MFN_IP_ALLOWLIST'), deny: addressList('MFN_IP_DENYLIST') },
    rateLimit: {
      enabled: r.bool('MFN_RATE_LIMIT_ENABLED', !isDev),
      requests: r.int('MFN_RATE_LIMIT_REQUESTS', 100, 1, 1_000_000),
      windowSeconds: r.int('MFN_RATE_LIMIT_WINDOW', 60, 1, 86_400),
      routes: r.read('MFN_RATE_LIMIT_ROUTES', {}, parseRouteLimits),
      backend: r.read('MFN_RATE_LIMIT_BACKEND', 'auto' as const, (v) =>
        parseEnum(v, ['auto', 'memory', 'redis'] as const, (s) => s.toLowerCase()),
      ),
      failOpen: r.bool('MFN_RATE_LIMIT_FAIL_OPEN', true),
      keyPrefix: r.read('MFN_RATE_LIMIT_KEY_PREFIX', 'mfn:rl', (v) => {
        if (!/^[A-Za-z0-9:._-]{1,64}$/.test(v.trim())) throw new EnvValueError('must be 1-64 characters of A-Z a-z 0-9 : . _ -');
        return v.trim();
      }),
    },
    redis: {
      tlsCaFile: r.str('MFN_REDIS_TLS_CA_FILE'),
      tlsServername: r.read<string | undefined>('MFN_REDIS_TLS_SERVERNAME', undefined, parseHostname),
    },
    metrics: {
      enabled: r.bool('MFN_METRICS_ENABLED', true),
      includeInAuth: r.bool('MFN_METRICS_INCLUDE_IN_AUTH', false),
    },
    crypto: {
      enabled: r.bool('MFN_CRYPTO_ENABLED', true),
      algorithm,
      keySize,
      signatureAlgorithm,
      auditLog: r.bool('MFN_CRYPTO_AUDIT_LOG', true),
      maxKeysPerTenant: r.int('MFN_CRYPTO_MAX_KEYS_PER_TENANT', DEFAULT_CRYPTO_QUOTAS.keysPerTenant, 1, 100_000),
      maxVersionsPerKey: r.int('MFN_CRYPTO_MAX_VERSIONS_PER_KEY', DEFAULT_CRYPTO_QUOTAS.versionsPerKey, 1, 10_000),
      maxVersionsPerTenant: r.int('MFN_CRYPTO_MAX_VERSIONS_PER_TENANT', DEFAULT_CRYPTO_QUOTAS.versionsPerTenant, 1, 10_000_000),
      maxBatchItems: r.int('MFN_CRYPTO_MAX_BATCH_ITEMS', 1000, 1, 10_000),
      acceptUnversioned: r.bool('MFN_CRYPTO_ACCEPT_UNVERSIONED', false),
      autoRotateCheckSeconds: r.int('MFN_CRYPTO_AUTO_ROTATE_CHECK_S', 60, 0, 86_400),
      pbkdf2Iterations: r.int('MFN_CRYPTO_PBKDF2_ITERATIONS', 100_000, 100_000, 10_000_000),
      redisPrefix: r.read('MFN_CRYPTO_REDIS_PREFIX', 'mfn:crypto:', (v) => {
        if (!/^[A-Za-z0-9._:-]{1,64}$/.test(v.trim())) throw new EnvValueError('must be 1-64 characters of A-Z a-z 0-9 . _ : -');
        return v.trim();
      }),
    },
    secrets: {
      backend: secretsBackend,
      file: r.str('MFN_SECRETS_FILE'),
      aws: {
        name: r.str('MFN_SECRETS_AWS_NAME'),
        region: r.str('MFN_SECRETS_AWS_REGION') ?? r.str('AWS_REGION'),
        endpoint: r.url('MFN_SECRETS_AWS_ENDPOINT'),
      },
      vault: {
        url: r.url('MFN_SECRETS_VAULT_URL'),
        path: r.read<string | undefined>('MFN_SECRETS_VAULT_PATH', undefined, (v) => {
          const p = v.trim().replace(/^\/+|\/+$/g, '');
          if (!/^[A-Za-z0-9._/-]+$/.test(p) || p.split('/').includes('..')) {
            throw new EnvValueError('must be a path like mfn/prod');
          }
          return p;
        }),
        mount: r.read('MFN_SECRETS_VAULT_MOUNT', 'secret', (v) => {
          const m = v.trim().replace(/^\/+|\/+$/g, '');
          // eslint-disable-next-line security/detect-unsafe-regex -- operator configuration; segments are separated by `/`, which the class excludes, so they split one way only: linear
          if (!/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(m)) throw new EnvValueError('must be a mount path like secret');
          return m;
        }),
        namespace: r.str('MFN_SECRETS_VAULT_NAMESPACE'),
        tokenEnv: r.read('MFN_VAULT_TOKEN_ENV', 'MFN_VAULT_TOKEN', (v) => {
          if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(v.trim())) throw new EnvValueError('must be an environment variable name');
          return v.trim();
        }),
      },
      refreshSeconds: r.int('MFN_SECRETS_REFRESH_S', 300, 0, 86_400),
      timeoutMs: r.int('MFN_SECRETS_TIMEOUT_MS', 5_000, 100, 60_000),
      retries: r.int('MFN_SECRETS_RETRIES', 2, 0, 10),
    },
    compute: {
      workers: computeWorkers,
      // eslint-disable-next-line security/detect-object-injection -- `profile` is the validated MFN_ENV: dev, staging or prod
      timeoutMs: r.int('MFN_COMPUTE_TIMEOUT_MS', DEFAULT_COMPUTE_TIMEOUT_MS[profile], 100, 3_600_000),
      queueMax: computeQueueMax,
      maxPerKey: r.int('MFN_COMPUTE_MAX_PER_KEY', defaultComputeMaxPerKey(computeWorkers, computeQueueMax), 1, 1_000_000),
      workLimit: r.int('MFN_COMPUTE_WORK_LIMIT', DEFAULT_COMPUTE_WORK_LIMIT, 1, 1_000_000_000),
    },
    tracing: tracing.config,
    ws: {
      maxConnections: r.int('MFN_WS_MAX_CONNECTIONS', 1000, 1, 1_000_000),
      maxConnectionsPerKey: r.int('MFN_WS_MAX_CONNECTIONS_PER_KEY', 10, 1, 1_000_000),
      maxMessageBytes: r.int('MFN_WS_MAX_MESSAGE_BYTES', 65_536, 256, 16 * 1024 * 1024),
      messagesPerSecond: r.int('MFN_WS_MESSAGES_PER_S', 20, 1, 100_000),
      maxStreams: r.int('MFN_WS_MAX_STREAMS', 4, 1, 1000),
      sendQueueMax: r.int('MFN_WS_SEND_QUEUE_MAX', 256, 4, 100_000),
      maxBufferedBytes: r.int('MFN_WS_MAX_BUFFERED_BYTES', 1_048_576, 1024, 256 * 1024 * 1024),
      heartbeatMs: r.int('MFN_WS_HEARTBEAT_MS', 30_000, 100, 3_600_000),
      idleTimeoutMs: r.int('MFN_WS_IDLE_TIMEOUT_MS', 60_000, 200, 3_600_000),
      authTimeoutMs: r.int('MFN_WS_AUTH_TIMEOUT_MS', 10_000, 100, 600_000),
    },
    jobs: {
      role: r.read('MFN_ROLE', 'all' as const, (v) => parseEnum(v, SERVICE_ROLES, (s) => s.toLowerCase())),
      backend: r.read('MFN_JOBS_BACKEND', 'auto' as const, (v) => parseEnum(v, ['auto', 'memory', 'redis'] as const, (s) => s.toLowerCase())),
      keyPrefix: r.read('MFN_JOBS_KEY_PREFIX', 'mfn', (v) => {
        if (!/^[A-Za-z0-9:._-]{1,64}$/.test(v.trim())) throw new EnvValueError('must be 1-64 characters of A-Z a-z 0-9 : . _ -');
        return v.trim();
      }),
      resultTtlSeconds: r.int('MFN_JOBS_RESULT_TTL_S', 3600, 1, 30 * 86_400),
      maxQueuedPerTenant: r.int('MFN_JOBS_MAX_QUEUED_PER_TENANT', 100, 1, 100_000),
      maxResultBytes: r.int('MFN_JOBS_MAX_RESULT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
      concurrency: r.int('MFN_JOBS_CONCURRENCY', computeWorkers, 1, 256),
      attempts: r.int('MFN_JOBS_ATTEMPTS', 3, 1, 20),
      backoffMs: r.int('MFN_JOBS_BACKOFF_MS', 1000, 0, 600_000),
      stalledIntervalMs: r.int('MFN_JOBS_STALLED_INTERVAL_MS', 30_000, 500, 600_000),
    },
  } as unknown as AppConfig;

  // MFN_SEED and MFN_CONFIG_OVERRIDES are accepted for compatibility; nothing reads them.
  Object.defineProperty(config, 'environment', { value: Object.freeze({ ...env }), enumerable: false });

  checkProdApiKeysPresent(r, config, env);
  resolveJobsBackend(r, config, env);
  // A refused configuration stops start-up before the secrets are read, so the secrets stage
  // (src/startup-checks.ts), which names every missing secret, cannot run: name the master key here too.
  if (r.problems.length > 0) checkProdMasterKeyPresent(r, config, env);

  if (r.problems.length > 0) throw new ConfigValidationError(r.problems);
  return config;
}

/**
 * `auto` queues jobs on BullMQ when the env secrets backend has a Redis URL (MFN_REDIS_URL or its
 * _FILE variant; presence only, the value is the secrets module's), else in this process. The
 * roles that split the API from the workers need the shared queue.
 */
function resolveJobsBackend(r: EnvReader, config: AppConfig, env: Env): void {
  const jobs = config.jobs as Omit<AppConfig['jobs'], 'backend'> & { backend: 'auto' | 'memory' | 'redis' };
  if (jobs.backend === 'auto') {
    const redisUrl = ['MFN_REDIS_URL', 'MFN_REDIS_URL_FILE'].some((name) => (envValue(env, name) ?? '').trim() !== '');
    jobs.backend = config.secrets.backend === 'env' && redisUrl ? 'redis' : 'memory';
  }
  if (jobs.role !== 'all' && jobs.backend !== 'redis') {
    r.problem(`MFN_ROLE=${jobs.role} needs the Redis job queue (MFN_REDIS_URL, or MFN_JOBS_BACKEND=redis with the URL in the secrets backend)`);
  }
}

/**
 * Authentication required with the env backend and no key source at all cannot work: refuse early.
 * The secrets/auth layer re-checks after loading (empty files, other backends, weak keys).
 */
function checkProdApiKeysPresent(r: EnvReader, config: AppConfig, env: Env): void {
  if (!config.auth.required || config.secrets.backend !== 'env') return;
  const sources = ['MFN_API_KEY', 'MFN_API_KEYS', 'MFN_API_KEY_FILE', 'MFN_API_KEYS_FILE', 'MFN_SECRETS_FILE'];
  if (!sources.some((name) => (envValue(env, name) ?? '').trim() !== '')) {
    r.problem(
      'MFN_API_KEY or MFN_API_KEYS (or their _FILE variants) must be set: API key authentication is required ' +
        `in ${config.env} but no API keys were provided`,
    );
  }
}

/** Prod with crypto on and the env backend, but no master key source at all. */
function checkProdMasterKeyPresent(r: EnvReader, config: AppConfig, env: Env): void {
  if (config.env !== 'prod' || !config.crypto.enabled || config.secrets.backend !== 'env') return;
  const sources = ['MFN_MASTER_KEY', 'MFN_MASTER_KEY_FILE', 'MFN_SECRETS_FILE'];
  if (!sources.some((name) => (envValue(env, name) ?? '').trim() !== '')) {
    r.problem('MFN_MASTER_KEY (or MFN_MASTER_KEY_FILE) must be set: prod requires a master key while MFN_CRYPTO_ENABLED is true');
  }
}

/** Names of MFN_* variables present in the environment that the service does not know (likely typos). */
export function unknownVariables(env: Env): string[] {
  return Object.keys(env)
    .filter((k) => k.startsWith('MFN_') && !KNOWN_VARIABLES.has(k) && !SECRET_VARIABLES.has(k))
    .sort();
}


/**
 * Process-wide defaults set before anything else loads. The AWS SDK prints a multi-line notice
 * when it runs on a Node.js version it is about to drop; the runtime is pinned on purpose
 * (package.json engines), and the notice would break the one-line start-up error contract, so
 * it is silenced unless set.
 */
export function applyProcessDefaults(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}
