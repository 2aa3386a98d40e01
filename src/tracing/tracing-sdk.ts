import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { AwsInstrumentation } from '@opentelemetry/instrumentation-aws-sdk';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, SpanLimits } from '@opentelemetry/sdk-trace';
import type { Span } from '@opentelemetry/api';
import { redactIp } from '../common/logging/redact';
import type { TracingConfig } from '../config/tracing-config';
import { buildSampler } from './sampler';
import type { TracingHandle } from './tracing-state';

/**
 * Bounds on what one span may hold, whatever an instrumentation or a caller's request puts in it:
 * a request with a huge URL or many attributes costs at most this much to record and export.
 */
export const SPAN_LIMITS: SpanLimits = {
  attributeCountLimit: 64,
  attributeValueLengthLimit: 512,
  eventCountLimit: 16,
  linkCountLimit: 8,
  attributePerEventCountLimit: 16,
  attributePerLinkCountLimit: 16,
};

/** Probes and scrapes arrive every few seconds and say nothing about a request: not traced. */
const UNTRACED_PATHS: ReadonlySet<string> = new Set(['/health', '/health/ready', '/metrics']);

function untracedRequest(req: IncomingMessage): boolean {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = (q === -1 ? url : url.slice(0, q)).replace(/\/+$/, '') || '/';
  return req.method === 'GET' && UNTRACED_PATHS.has(path);
}

/** An incoming request (a server span), as opposed to an outgoing ClientRequest. */
function isIncoming(request: ClientRequest | IncomingMessage): request is IncomingMessage {
  return !('getHeader' in request);
}

/**
 * A server span shows the caller's address the way the log lines do (192.xxx.xxx.xxx): the
 * instrumentation's full address is replaced when the span ends.
 */
function redactCaller(span: Span, request: ClientRequest | IncomingMessage, _response: IncomingMessage | ServerResponse): void {
  if (!isIncoming(request)) return;
  const recorded = (span as { attributes?: Record<string, unknown> }).attributes?.['client.address'];
  const client = typeof recorded === 'string' ? recorded : request.socket?.remoteAddress;
  span.setAttribute('client.address', redactIp(client) ?? '');
  span.setAttribute('network.peer.address', redactIp(request.socket?.remoteAddress) ?? '');
}

/**
 * Only the command name of a Redis call is recorded: its arguments hold keys, counters and the
 * wrapped key material of the crypto store.
 */
const redisStatement = (command: string): string => command;

/**
 * The instrumentations, listed one by one (no automatic set: the fs, dns and net ones would
 * record every file read and socket). None records a header or a body: headersToSpanAttributes is
 * left empty everywhere, so X-API-Key, Authorization and X-Vault-Token never reach a span.
 */
function instrumentations() {
  return [
    new HttpInstrumentation({ ignoreIncomingRequestHook: untracedRequest, applyCustomAttributesOnSpan: redactCaller }),
    // One span per route handler and router, none per middleware: a request costs a bounded,
    // small number of spans whatever the middleware stack holds.
    new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
    new NestInstrumentation(),
    new IORedisInstrumentation({ dbStatementSerializer: redisStatement, requireParentSpan: true }),
    // Trace ids go into log lines; the log lines themselves are not sent anywhere else.
    new PinoInstrumentation({ disableLogSending: true }),
    new AwsInstrumentation({ suppressInternalInstrumentation: true }),
    new UndiciInstrumentation(),
  ];
}

export interface ServiceIdentity {
  version: string;
  profile: string;
}

/** Builds and starts the SDK: spans are batched and POSTed as OTLP/HTTP JSON to config.tracesUrl. */
export function startSdk(config: TracingConfig, headers: Record<string, string>, identity: ServiceIdentity): TracingHandle {
  if (config.tracesUrl === undefined) throw new Error('no OTLP endpoint configured');
  const exporter = new OTLPTraceExporter({ url: config.tracesUrl, headers, timeoutMillis: 10_000 });
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({
      ...config.resourceAttributes,
      'service.name': config.serviceName,
      'service.version': identity.version,
      'deployment.environment.name': identity.profile,
    }),
    // The resource is exactly the above: no host or process detectors (a command line is no
    // business of a collector).
    autoDetectResources: false,
    textMapPropagator: new W3CTraceContextPropagator(),
    sampler: buildSampler(config.sampler, config.samplerRatio),
    spanLimits: SPAN_LIMITS,
    spanProcessors: [new BatchSpanProcessor({ exporter, scheduledDelayMillis: config.exportDelayMs, maxQueueSize: 2048, maxExportBatchSize: 512 })],
    // Traces only: no metric readers or log exporters are built from other OTEL_* variables.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: instrumentations(),
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
