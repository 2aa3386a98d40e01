import { EnvValueError, parseBool, parseEnum, parseInteger, parseUrl } from './env-parsers';
import { Environment, envValue } from './environment';

/** Sampler names of OTEL_TRACES_SAMPLER that the service offers. */
export const TRACE_SAMPLERS = [
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
  'always_on',
  'always_off',
  'traceidratio',
] as const;
export type TraceSampler = (typeof TRACE_SAMPLERS)[number];

export const DEFAULT_TRACE_SERVICE_NAME = 'mfn-secure-service';
/** The spec's default delay between two exports of the batch span processor. */
export const DEFAULT_TRACE_EXPORT_DELAY_MS = 5_000;
const MAX_RESOURCE_ATTRIBUTES = 32;
const MAX_RESOURCE_VALUE_LENGTH = 255;
const MAX_HEADERS = 16;

/**
 * OpenTelemetry tracing, read from the standard OTEL_* variables. Off unless an OTLP endpoint is
 * set (and OTEL_SDK_DISABLED is not true). The export headers are not part of it: they usually
 * carry a collector token, so only their names are kept here and the values are read by
 * otlpExportHeaders() where the exporter is built.
 */
export interface TracingConfig {
  enabled: boolean;
  /** Full URL the spans are POSTed to (OTLP/HTTP JSON), when enabled. */
  tracesUrl?: string;
  serviceName: string;
  sampler: TraceSampler;
  /** Ratio for the *traceidratio samplers, 0..1. */
  samplerRatio: number;
  /** OTEL_RESOURCE_ATTRIBUTES, decoded. */
  resourceAttributes: Record<string, string>;
  /** OTEL_BSP_SCHEDULE_DELAY. */
  exportDelayMs: number;
  /** Names of the OTEL_EXPORTER_OTLP_HEADERS entries (values are secret). */
  exportHeaderNames: string[];
}

export interface TracingConfigResult {
  config: TracingConfig;
  problems: string[];
}

/** Non-secret values are quoted (cut to 40 characters) in problems. */
function quote(v: string): string {
  return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
}

/** `k1=v1,k2=v2` with percent-encoded values (the OTEL_RESOURCE_ATTRIBUTES / _HEADERS format). */
function parseKeyValueList(raw: string, max: number, keyPattern: RegExp): Record<string, string> {
  const out: Record<string, string> = {};
  const items = raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (items.length > max) throw new EnvValueError(`must hold at most ${max} entries`);
  for (const item of items) {
    const eq = item.indexOf('=');
    const key = eq > 0 ? item.slice(0, eq).trim() : '';
    if (!keyPattern.test(key)) throw new EnvValueError('must be a comma list of key=value entries');
    let value: string;
    try {
      value = decodeURIComponent(item.slice(eq + 1).trim());
    } catch {
      throw new EnvValueError('must be a comma list of key=value entries with percent-encoded values');
    }
    if (value.length > MAX_RESOURCE_VALUE_LENGTH) throw new EnvValueError(`values must be at most ${MAX_RESOURCE_VALUE_LENGTH} characters`);
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

const RESOURCE_KEY = /^[A-Za-z0-9._-]{1,128}$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$/;

/**
 * The values of OTEL_EXPORTER_OTLP_HEADERS (or the traces-specific variant). Pure; throws
 * EnvValueError with a message that never quotes the value.
 */
export function otlpExportHeaders(env: Environment): Record<string, string> {
  const raw = envValue(env, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS') ?? envValue(env, 'OTEL_EXPORTER_OTLP_HEADERS');
  if (raw === undefined || raw.trim() === '') return {};
  return parseKeyValueList(raw, MAX_HEADERS, HEADER_NAME);
}

/**
 * Reads the tracing variables. Pure and free of framework imports: src/tracing calls it before
 * anything instrumented is loaded, and loadConfig calls it again so a bad value stops start-up
 * with the other problems.
 */
export function parseTracingConfig(env: Environment): TracingConfigResult {
  const problems: string[] = [];
  const raw = (name: string): string | undefined => {
    const v = envValue(env, name);
    return v === undefined || v.trim() === '' ? undefined : v;
  };
  function read<T>(name: string, fallback: T, parse: (v: string) => T, secret = false): T {
    const v = raw(name);
    if (v === undefined) return fallback;
    try {
      return parse(v);
    } catch (err) {
      if (!(err instanceof EnvValueError)) throw err;
      problems.push(secret ? `${name} ${err.message}` : `${name} ${err.message} (got ${quote(v)})`);
      return fallback;
    }
  }

  const disabled = read('OTEL_SDK_DISABLED', false, parseBool);
  const tracesEndpoint = read<string | undefined>('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', undefined, (v) => parseUrl(v, ['http:', 'https:']));
  const baseEndpoint = read<string | undefined>('OTEL_EXPORTER_OTLP_ENDPOINT', undefined, (v) => parseUrl(v, ['http:', 'https:']));
  // The signal-specific URL is used as given; the base one gets the traces path appended.
  const tracesUrl = tracesEndpoint ?? (baseEndpoint === undefined ? undefined : `${baseEndpoint.replace(/\/+$/, '')}/v1/traces`);
  read('OTEL_EXPORTER_OTLP_PROTOCOL', 'http/json', (v) => parseEnum(v, ['http/json'] as const, (s) => s.toLowerCase()));
  read('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'http/json', (v) => parseEnum(v, ['http/json'] as const, (s) => s.toLowerCase()));
  const sampler = read<TraceSampler>('OTEL_TRACES_SAMPLER', 'parentbased_always_on', (v) => parseEnum(v, TRACE_SAMPLERS, (s) => s.toLowerCase()));
  const samplerRatio = read('OTEL_TRACES_SAMPLER_ARG', 1, (v) => {
    const t = v.trim();
    if (!/^[01]$|^[01]?\.\d{1,9}$/.test(t) || !Number.isFinite(Number(t)) || Number(t) > 1) throw new EnvValueError('must be a number between 0 and 1');
    return Number(t);
  });
  const serviceName = read('OTEL_SERVICE_NAME', DEFAULT_TRACE_SERVICE_NAME, (v) => {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(v.trim())) throw new EnvValueError('must be 1-64 characters of A-Z a-z 0-9 . _ -');
    return v.trim();
  });
  const resourceAttributes = read<Record<string, string>>('OTEL_RESOURCE_ATTRIBUTES', {}, (v) =>
    parseKeyValueList(v, MAX_RESOURCE_ATTRIBUTES, RESOURCE_KEY),
  );
  const exportDelayMs = read('OTEL_BSP_SCHEDULE_DELAY', DEFAULT_TRACE_EXPORT_DELAY_MS, (v) => parseInteger(v, 1, 600_000));
  const headerVariable = raw('OTEL_EXPORTER_OTLP_TRACES_HEADERS') === undefined ? 'OTEL_EXPORTER_OTLP_HEADERS' : 'OTEL_EXPORTER_OTLP_TRACES_HEADERS';
  const exportHeaderNames = read(headerVariable, [] as string[], () => Object.keys(otlpExportHeaders(env)), true);

  const enabled = !disabled && tracesUrl !== undefined;
  return {
    config: { enabled, tracesUrl: enabled ? tracesUrl : undefined, serviceName, sampler, samplerRatio, resourceAttributes, exportDelayMs, exportHeaderNames },
    problems,
  };
}
