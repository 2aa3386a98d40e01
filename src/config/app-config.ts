import type { TracingConfig } from './tracing-config';

/**
 * The typed, validated configuration of the service. Built once at boot by `loadConfig`
 * from the process environment and injected everywhere as `AppConfig`.
 */
export const PROFILES = ['dev', 'staging', 'prod'] as const;
export type Profile = (typeof PROFILES)[number];

export const SECRETS_BACKENDS = ['env', 'file', 'aws', 'vault'] as const;
export type SecretsBackendName = (typeof SECRETS_BACKENDS)[number];

/** pino level names; the spec's DEBUG/INFO/WARNING/ERROR map onto them. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'json' | 'text';
/**
 * Where the audit events of a granted request go: `separate` lines (authentication_success and
 * access_granted) or `folded` into the request's access record (one line per served request).
 */
export type GrantedEvents = 'separate' | 'folded';

export interface HttpConfig {
  port: number;
  host: string;
  /** General JSON body limit in bytes. */
  maxBodyBytes: number;
  /** Body limit of POST /federated/aggregate in bytes. */
  aggregateMaxBytes: number;
  /** A gzip/deflate body may inflate to at most this many times its compressed length. */
  maxInflateRatio: number;
  /** Bytes of request bodies admitted at once (being read, parsed or held by requests in flight). */
  bodyInflightBytes: number;
  /** Time an admitted body has to arrive in full. */
  bodyTimeoutMs: number;
  /** Upper bound for finishing in-flight requests after SIGTERM. */
  shutdownTimeoutMs: number;
  /** Time the listener stays open after SIGTERM (readiness already 503) before it closes. */
  shutdownDelayMs: number;
  /** Use X-Forwarded-For to find the client address. */
  trustProxyHeaders: boolean;
  /** Express `trust proxy` value used when trustProxyHeaders is on: hop count or address/subnet list. */
  trustedProxies: number | string[];
}

export interface CorsConfig {
  /** '*' = any origin, [] = CORS off (no headers at all). */
  origins: '*' | string[];
  credentials: boolean;
}

export interface RateLimitConfig {
  enabled: boolean;
  /** Default bucket capacity per window. */
  requests: number;
  windowSeconds: number;
  /** Per-route capacity overrides from MFN_RATE_LIMIT_ROUTES (per window). */
  routes: Record<string, number>;
  /** 'auto' = Redis when a Redis URL secret is present, else memory. */
  backend: 'auto' | 'memory' | 'redis';
  failOpen: boolean;
  /** Prefix of the Redis bucket keys (several services or environments can share one Redis). */
  keyPrefix: string;
}

/** Brute-force lockout: too many failed authentications from one address lock it out for a while. */
export interface AuthLockoutConfig {
  enabled: boolean;
  /** Failed authentications within the window that lock the address. */
  maxFailures: number;
  windowSeconds: number;
  /** How long a locked address is refused. */
  lockoutSeconds: number;
}

/** Client address lists (MFN_IP_ALLOWLIST / MFN_IP_DENYLIST): validated entries; empty = not set. */
export interface AddressListsConfig {
  allow: string[];
  deny: string[];
}

/**
 * TLS settings of the Redis connection. The URL itself (scheme `rediss://` for TLS, credentials)
 * is the MFN_REDIS_URL secret; these are the non-secret parts next to it.
 */
export interface RedisConfig {
  /** PEM bundle of the CAs trusted for the Redis server certificate (replaces the system CAs). */
  tlsCaFile?: string;
  /** Name checked against the server certificate (and sent as SNI) instead of the URL's host. */
  tlsServername?: string;
}

export interface MetricsConfig {
  enabled: boolean;
  includeInAuth: boolean;
}

export interface CryptoConfig {
  enabled: boolean;
  algorithm: 'AES-256-GCM';
  keySize: 256;
  signatureAlgorithm: 'Ed25519';
  auditLog: boolean;
  /** Keys one tenant may hold (its default keys included). */
  maxKeysPerTenant: number;
  /** Stored versions one key may hold; rotation past it asks for a trim. */
  maxVersionsPerKey: number;
  /** Stored versions (over all its keys) one tenant may hold. */
  maxVersionsPerTenant: number;
  /** Items of one batch_input. */
  maxBatchItems: number;
  /** Legacy switch: an unprefixed ciphertext/signature/HMAC is tried against the latest version only. */
  acceptUnversioned: boolean;
  /** Seconds between automatic-rotation passes; 0 turns automatic rotation off in this replica. */
  autoRotateCheckSeconds: number;
  pbkdf2Iterations: number;
  /** Prefix of every key-store entry in Redis (lets deployments share one Redis). */
  redisPrefix: string;
}

export interface SecretsConfig {
  backend: SecretsBackendName;
  file?: string;
  aws: { name?: string; region?: string; endpoint?: string };
  vault: { url?: string; path?: string; mount: string; namespace?: string; tokenEnv: string };
  /** Refresh period in seconds; 0 disables refreshing. */
  refreshSeconds: number;
  /** Per-attempt timeout of remote backends. */
  timeoutMs: number;
  /** Retries after the first failed attempt. */
  retries: number;
}

export interface ComputeConfig {
  workers: number;
  timeoutMs: number;
  queueMax: number;
  /** Compute tasks one caller may have running or queued at once (its share of workers + queueMax). */
  maxPerKey: number;
  /** Work units one caller may spend per rate-limit window (active with rate limiting). */
  workLimit: number;
}

/** The WebSocket streams (src/streaming, docs/streaming.md). */
export interface WsConfig {
  maxConnections: number;
  maxConnectionsPerKey: number;
  maxMessageBytes: number;
  messagesPerSecond: number;
  maxStreams: number;
  sendQueueMax: number;
  maxBufferedBytes: number;
  heartbeatMs: number;
  idleTimeoutMs: number;
  authTimeoutMs: number;
}

/** What a process does: serve the HTTP API, consume jobs, or both (MFN_ROLE). */
export const SERVICE_ROLES = ['api', 'worker', 'all'] as const;
export type ServiceRole = (typeof SERVICE_ROLES)[number];

/** Asynchronous compute jobs (src/jobs, docs/jobs.md). */
export interface JobsConfig {
  role: ServiceRole;
  /** Where jobs are queued: in this process (`memory`) or on BullMQ in Redis (`redis`). */
  backend: 'memory' | 'redis';
  /** Combined with a hash tag into the BullMQ prefix (one Redis Cluster slot per deployment). */
  keyPrefix: string;
  /** Seconds a finished (completed, failed or cancelled) job and its result are kept. */
  resultTtlSeconds: number;
  /** Jobs one tenant may have queued at once, else 429. */
  maxQueuedPerTenant: number;
  /** Bytes of a result's JSON; a larger result fails its job. */
  maxResultBytes: number;
  /** Jobs one worker process runs at once (on its compute pool). */
  concurrency: number;
  /** Runs a job may have (first run and retries) before it is dead-lettered as failed. */
  attempts: number;
  /** First retry delay; doubled for each further retry. */
  backoffMs: number;
  /** Stalled-job check period and job lock duration: a dead worker's job is taken over after about this long. */
  stalledIntervalMs: number;
}

/** Default MFN_COMPUTE_TIMEOUT_MS per profile. */
export const DEFAULT_COMPUTE_TIMEOUT_MS: Readonly<Record<Profile, number>> = Object.freeze({ dev: 300_000, staging: 120_000, prod: 60_000 });

/** Default key quotas: MFN_CRYPTO_MAX_KEYS_PER_TENANT, _MAX_VERSIONS_PER_KEY, _MAX_VERSIONS_PER_TENANT. */
export const DEFAULT_CRYPTO_QUOTAS = Object.freeze({ keysPerTenant: 100, versionsPerKey: 100, versionsPerTenant: 2000 });

/** Default MFN_MAX_BODY_BYTES: the byte limit of a JSON body (2 MiB). */
export const DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;

/**
 * Default work budget per key and window: the heaviest valid request (/validate at 256 x 1000
 * with quantum_jitter, 100 epochs, batch size 1: 11,542 units, see
 * src/simulation/compute-cost.ts; a unit test keeps the two in step) fits once per window.
 */
export const DEFAULT_COMPUTE_WORK_LIMIT = 12_000;

/**
 * Default per-key share: a quarter of the pool's admission capacity (workers + queue), at least
 * one task, so at least four callers can be served at once however busy one of them is.
 */
export function defaultComputeMaxPerKey(workers: number, queueMax: number): number {
  return Math.max(1, Math.floor((workers + queueMax) / 4));
}

// The interface and the abstract class below merge on purpose: one name is both the type and the DI token.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface AppConfig {
  env: Profile;
  version: string;
  http: HttpConfig;
  cors: CorsConfig;
  docsEnabled: boolean;
  logging: { level: LogLevel; format: LogFormat };
  audit: { grantedEvents: GrantedEvents };
  auth: { required: boolean; lockout: AuthLockoutConfig };
  addressLists: AddressListsConfig;
  rateLimit: RateLimitConfig;
  redis: RedisConfig;
  metrics: MetricsConfig;
  crypto: CryptoConfig;
  secrets: SecretsConfig;
  compute: ComputeConfig;
  /** OpenTelemetry tracing (src/tracing), from the standard OTEL_* variables. */
  tracing: TracingConfig;
  ws: WsConfig;
  jobs: JobsConfig;
  /**
   * Snapshot of the process environment taken at boot. Only the env secrets backend reads it;
   * it is non-enumerable so it never shows up when the config is logged or serialised.
   */
  readonly environment: Readonly<Record<string, string | undefined>>;
}

/** Injection token and runtime class for the typed config (so `constructor(cfg: AppConfig)` works). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class AppConfig {}
