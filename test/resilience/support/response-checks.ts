import { ErrorCode } from '../../../src/common/errors/error-code';
import { REPO_ROOT } from '../../ops/support/paths';
import type { LogCapture } from '../../helpers/test-app';
import type { WireOutcome } from './wire-client';

const CODES = new Set<string>(Object.values(ErrorCode));
const CLIENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const COMPUTE_ROUTES = new Set(['/simulate', '/validate', '/federated/aggregate']);

const READINESS_ROUTE = '/health/ready';

/**
 * The 5xx answers the specification documents, by the route template that served them:
 * 503 SERVICE_UNAVAILABLE when the compute queue is full, 504 GATEWAY_TIMEOUT at the compute
 * deadline, 500 NUMERICAL_INSTABILITY for a non-finite /nernst result (e.g. out=1e308,
 * in=1e-308), and the readiness probe's 503 while not ready (under load: the compute pool
 * saturated). Nothing else may be a 5xx.
 */
export function isDocumented5xx(route: string | undefined, status: number, code: unknown): boolean {
  if (status === 500) return code === ErrorCode.NUMERICAL_INSTABILITY && route === '/nernst';
  if (status === 503 && route === READINESS_ROUTE) return code === ErrorCode.SERVICE_UNAVAILABLE;
  if (status === 503) return code === ErrorCode.SERVICE_UNAVAILABLE && route !== undefined && COMPUTE_ROUTES.has(route);
  if (status === 504) return code === ErrorCode.GATEWAY_TIMEOUT && route !== undefined && COMPUTE_ROUTES.has(route);
  return false;
}

export interface ExpectedResponse {
  method: string;
  /** The client's X-Request-ID when it is well-formed (the service must keep it). */
  keptRequestId?: string;
  /** Route template the access log recorded for this request id. */
  route?: string;
  /** Values that must never appear in a response (API keys). */
  secrets: readonly string[];
}

/** Everything wrong with one response; empty when it is a correct answer of the service. */
export function responseProblems(outcome: WireOutcome, expected: ExpectedResponse): string[] {
  if (outcome.error !== undefined || outcome.status === undefined) return [`no response (${outcome.error ?? 'unparsable status line'})`];
  const problems: string[] = [];
  const status = outcome.status;
  const requestId = outcome.headers['x-request-id'];
  if (typeof requestId !== 'string') problems.push(`${status} without X-Request-ID`);
  else if (expected.keptRequestId !== undefined && requestId !== expected.keptRequestId) problems.push(`X-Request-ID ${requestId} instead of the client's ${expected.keptRequestId}`);
  else if (expected.keptRequestId === undefined && !UUID_V4.test(requestId) && !CLIENT_ID.test(requestId)) problems.push(`malformed X-Request-ID ${requestId}`);

  for (const secret of expected.secrets) if (outcome.text.includes(secret)) problems.push(`${status} response contains an API key`);
  if (outcome.text.includes(REPO_ROOT) || /node_modules|\n\s+at \S+ \(/.test(outcome.text)) problems.push(`${status} response leaks a path or stack trace`);

  if (status < 400) return problems;
  if (status >= 500 && !isDocumented5xx(expected.route, status, envelopeCode(outcome))) {
    problems.push(`undocumented ${status} ${String(envelopeCode(outcome))} on route ${expected.route ?? '?'}`);
  }
  if (status === 401 && outcome.headers['www-authenticate'] === undefined) problems.push('401 without WWW-Authenticate');
  if (status === 405 && outcome.headers.allow === undefined) problems.push('405 without Allow');
  // A refusal says when to come back; the readiness probe's 503 reports a state to the load balancer.
  if (status === 429 || (status === 503 && expected.route !== READINESS_ROUTE)) {
    const retryAfter = Number(outcome.headers['retry-after']);
    if (!Number.isInteger(retryAfter) || retryAfter < 1) problems.push(`${status} without a whole-second Retry-After`);
  }
  if (expected.method === 'HEAD') return problems;

  let body: Record<string, unknown>;
  try {
    body = JSON.parse(outcome.text) as Record<string, unknown>;
  } catch {
    return [...problems, `${status} body is not JSON: ${JSON.stringify(outcome.text.slice(0, 80))}`];
  }
  if (!String(outcome.headers['content-type'] ?? '').startsWith('application/json')) problems.push(`${status} envelope not served as application/json`);
  if (typeof body.error_code !== 'string' || !CODES.has(body.error_code)) problems.push(`${status} with error_code ${JSON.stringify(body.error_code)}`);
  if (typeof body.message !== 'string' || body.message.length === 0) problems.push(`${status} without a message`);
  if (body.detail !== body.message) problems.push(`${status}: detail differs from message`);
  if (body.request_id !== requestId) problems.push(`${status}: body request_id ${String(body.request_id)} differs from X-Request-ID ${String(requestId)}`);
  if (typeof body.timestamp !== 'string' || new Date(body.timestamp).toISOString() !== body.timestamp) problems.push(`${status}: timestamp ${String(body.timestamp)} is not ISO 8601 UTC`);
  if (body.details !== undefined) {
    const ok = Array.isArray(body.details) && body.details.every((d: unknown) => typeof d === 'object' && d !== null && typeof (d as { field?: unknown }).field === 'string' && typeof (d as { message?: unknown }).message === 'string');
    if (!ok) problems.push(`${status}: malformed details`);
  }
  if (status === 429 && body.retry_after !== Number(outcome.headers['retry-after'])) problems.push('429: retry_after differs from Retry-After');
  return problems;
}

function envelopeCode(outcome: WireOutcome): unknown {
  try {
    return (JSON.parse(outcome.text) as Record<string, unknown>).error_code;
  } catch {
    return undefined;
  }
}

export interface AccessRecord {
  route: string;
  status: number;
  message: string;
}

/**
 * Access records by request id, read from an app's captured log and then dropped from the
 * capture (a long run keeps only this compact index, so the capture does not weigh on the heap
 * the suite measures). Also collects every line that must never be written.
 */
export class AccessLogIndex {
  readonly records = new Map<string, AccessRecord[]>();
  readonly forbiddenLines: string[] = [];

  constructor(private readonly secrets: readonly string[]) {}

  drain(logs: LogCapture): void {
    const lines = logs.lines.splice(0);
    for (const line of lines) {
      if (this.secrets.some((s) => line.includes(s)) || /\n\s+at \S+ \(/.test(line)) this.forbiddenLines.push(line.slice(0, 300));
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      if (record.message === 'unhandled error') this.forbiddenLines.push(line.slice(0, 300));
      if (record.action !== 'api_request' || typeof record.request_id !== 'string') continue;
      const entry = { route: String(record.endpoint), status: Number(record.status), message: String(record.message) };
      const list = this.records.get(record.request_id);
      if (list) list.push(entry);
      else this.records.set(record.request_id, [entry]);
    }
  }
}
