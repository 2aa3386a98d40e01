import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { OtlpReceiver, type ExportedSpan } from './helpers/otlp-receiver';
import { deleteKeys, connectRedis, SHARED_REDIS_URL } from './helpers/redis';
import { MAIN_JS, ServiceProcess, freePort, startServiceProcess, waitUntilUp } from './helpers/service-process';
import { until } from './helpers/until';
import { AwsSecretsManagerStub } from './secrets/aws-secrets-manager.stub';
import { VaultKvStub } from './secrets/vault-kv.stub';

/**
 * OpenTelemetry tracing through the real service (dist/main.js as a child process) exporting to
 * a local OTLP/HTTP receiver: a caller's traceparent is continued, the compute span hangs under
 * the request, Redis and Vault calls have spans, log lines carry the trace ids, nothing secret is
 * exported, the last spans leave on SIGTERM, and with tracing off nothing is sent at all.
 */
const API_KEY = `trace-key-${randomBytes(12).toString('hex')}`;
const PREFIX = `mfn:trace-e2e:${process.pid}`;
const MOUNT = 'secret';
const PATH = 'mfn/trace';
const SERVER = 2;
const COLLECTOR_TOKEN = `collector-${randomBytes(12).toString('hex')}`;

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const jsonLines = (text: string): Record<string, unknown>[] =>
  text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

async function simulate(svc: ServiceProcess, headers: Record<string, string>): Promise<Response> {
  return fetch(`${svc.baseUrl}/simulate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': API_KEY, ...headers },
    body: JSON.stringify({ grid_size: 16, steps: 4, seed: 7 }),
  });
}

/** The chain of parents of `span` inside its trace, nearest first. */
function ancestors(span: ExportedSpan, spans: ExportedSpan[]): ExportedSpan[] {
  const chain: ExportedSpan[] = [];
  let current: ExportedSpan | undefined = span;
  while (current?.parentSpanId) {
    current = spans.find((s) => s.spanId === current!.parentSpanId);
    if (current) chain.push(current);
  }
  return chain;
}

describe('OpenTelemetry tracing (real process, local OTLP receiver)', () => {
  const receiver = new OtlpReceiver();
  const vault = new VaultKvStub();

  beforeAll(async () => {
    await receiver.start();
    await vault.start();
    vault.put(MOUNT, PATH, { MFN_API_KEY: API_KEY, MFN_REDIS_URL: SHARED_REDIS_URL });
  });

  afterAll(async () => {
    await receiver.close();
    await vault.close();
    const redis = await connectRedis();
    await deleteKeys(redis, `${PREFIX}*`);
    redis.disconnect();
  });

  function tracedEnv(port: number, extra: Record<string, string> = {}): Record<string, string> {
    return {
      PORT: String(port),
      MFN_LOG_FORMAT: 'json',
      MFN_API_KEY_REQUIRED: 'true',
      MFN_SECRETS_BACKEND: 'vault',
      MFN_SECRETS_VAULT_URL: vault.url,
      MFN_SECRETS_VAULT_PATH: PATH,
      MFN_SECRETS_VAULT_MOUNT: MOUNT,
      MFN_VAULT_TOKEN: vault.token,
      MFN_RATE_LIMIT_ENABLED: 'true',
      MFN_RATE_LIMIT_BACKEND: 'redis',
      MFN_RATE_LIMIT_KEY_PREFIX: PREFIX,
      MFN_COMPUTE_WORKERS: '1',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_SERVICE_NAME: 'mfn-trace-e2e',
      OTEL_EXPORTER_OTLP_HEADERS: `x-collector-token=${COLLECTOR_TOKEN}`,
      ...extra,
    };
  }

  describe('with tracing on', () => {
    let svc: ServiceProcess;
    const traceId = hex(16);
    const callerSpanId = hex(8);
    let requestId: string;
    let spans: ExportedSpan[];

    beforeAll(async () => {
      vault.reset();
      svc = startServiceProcess(tracedEnv(await freePort()));
      await waitUntilUp(svc);
      const res = await simulate(svc, { traceparent: `00-${traceId}-${callerSpanId}-01`, tracestate: 'caller=abc' });
      expect(res.status).toBe(200);
      requestId = res.headers.get('x-request-id') ?? '';
      await until('the compute span of the request', () => receiver.trace(traceId).some((s) => s.name === 'compute simulate'));
      await until('the request span', () => receiver.trace(traceId).some((s) => s.kind === SERVER));
      spans = receiver.trace(traceId);
    });

    afterAll(async () => {
      await svc.stop();
    });

    it("continues the caller's trace: same trace id, the caller's span as parent, its tracestate kept", () => {
      const server = spans.find((s) => s.kind === SERVER)!;
      expect(server).toMatchObject({ name: 'POST /simulate', parentSpanId: callerSpanId, traceState: 'caller=abc' });
      expect(server.resource).toMatchObject({ 'service.name': 'mfn-trace-e2e', 'service.version': '4.1.0' });
    });

    it('records the compute task as a child of the request span, with the context carried into the worker thread', () => {
      const compute = spans.find((s) => s.name === 'compute simulate')!;
      const server = spans.find((s) => s.kind === SERVER)!;
      expect(ancestors(compute, spans).map((s) => s.spanId)).toContain(server.spanId);
      expect(compute.parentSpanId).toBeDefined();
      // The worker reports the traceparent it received in the task message: this span's own id.
      expect(compute.attributes).toMatchObject({ 'mfn.compute.kind': 'simulate', 'mfn.compute.worker_parent_span_id': compute.spanId });
      expect(typeof compute.attributes['mfn.compute.run_ms']).toBe('number');
      expect(typeof compute.attributes['mfn.compute.wait_ms']).toBe('number');
    });

    it('records no middleware of the service as a route handler span (one handler span: the route)', () => {
      const handlers = spans.filter((s) => s.name.startsWith('request handler'));
      expect(handlers).toHaveLength(1);
      expect(handlers[0]!.attributes['http.route']).toBe('/simulate');
    });

    it('records the Redis calls of the request (command names only)', () => {
      const redis = spans.filter((s) => s.scope.includes('ioredis'));
      expect(redis.length).toBeGreaterThan(0);
      const server = spans.find((s) => s.kind === SERVER)!;
      for (const span of redis) {
        expect(ancestors(span, spans).map((s) => s.spanId)).toContain(server.spanId);
        const statement = span.attributes['db.query.text'] ?? span.attributes['db.statement'];
        if (statement !== undefined) expect(String(statement)).toMatch(/^[a-z]+$/i);
      }
    });

    it('records the Vault calls (undici client spans) and sends Vault the traceparent of each', () => {
      const sent = vault.requests.map((r) => r.traceparent);
      expect(sent.length).toBeGreaterThan(0);
      for (const tp of sent) expect(tp).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
      const [, vaultTrace, vaultSpan] = sent[0]!.split('-');
      const client = receiver.trace(vaultTrace).find((s) => s.spanId === vaultSpan);
      expect(client?.scope).toContain('undici');
    });

    it("writes the request's trace id and its span id on every log line of the request", () => {
      const lines = jsonLines(svc.stdout()).filter((r) => r.request_id === requestId);
      expect(lines.map((r) => r.action)).toContain('api_request');
      // The audit events of the request (authentication, access granted) are among them.
      expect(lines.filter((r) => r.audit_event === true).length).toBeGreaterThan(0);
      const ids = new Set(spans.map((s) => s.spanId));
      for (const line of lines) {
        expect(line).toMatchObject({ trace_id: traceId });
        expect(ids.has(String(line.span_id))).toBe(true);
      }
    });

    it('exports no API key, secret value, token or header of the request', () => {
      const text = receiver.text();
      for (const secret of [API_KEY, vault.token, SHARED_REDIS_URL]) expect(text).not.toContain(secret);
      expect(text.toLowerCase()).not.toContain('x-api-key');
      expect(text.toLowerCase()).not.toContain('x-vault-token');
      expect(text).not.toContain('grid_size');
      // The caller's address is shown the way the logs show it.
      const server = spans.find((s) => s.kind === SERVER)!;
      expect(server.attributes['client.address']).toBe('127.xxx.xxx.xxx');
    });

    it('sends OTEL_EXPORTER_OTLP_HEADERS with every export and writes them nowhere else', () => {
      expect(receiver.tokens.length).toBeGreaterThan(0);
      expect(new Set(receiver.tokens)).toEqual(new Set([COLLECTOR_TOKEN]));
      expect(receiver.text()).not.toContain(COLLECTOR_TOKEN);
      expect(svc.stdout() + svc.stderr()).not.toContain(COLLECTOR_TOKEN);
    });

    it('does not trace health probes', async () => {
      await fetch(`${svc.baseUrl}/health`);
      const before = receiver.spans.length;
      await simulate(svc, {});
      await until('the next request span', () => receiver.spans.length > before && receiver.spans.some((s) => s.name === 'POST /simulate' && !spans.includes(s)));
      expect(receiver.spans.some((s) => s.name === 'GET /health' || s.attributes['url.path'] === '/health')).toBe(false);
    });
  });

  it('records the AWS Secrets Manager call (aws-sdk span) without the secret or the credentials', async () => {
    const aws = new AwsSecretsManagerStub();
    const awsUrl = await aws.start();
    aws.setSecretString('mfn/trace', JSON.stringify({ MFN_API_KEY: API_KEY }));
    const env = tracedEnv(await freePort(), {
      MFN_SECRETS_BACKEND: 'aws',
      MFN_SECRETS_AWS_NAME: 'mfn/trace',
      MFN_SECRETS_AWS_REGION: aws.region,
      MFN_SECRETS_AWS_ENDPOINT: awsUrl,
      MFN_RATE_LIMIT_BACKEND: 'memory',
      ...Object.fromEntries(Object.entries(aws.sdkEnvironment()).filter((e): e is [string, string] => e[1] !== undefined)),
    });
    const svc = startServiceProcess(env);
    try {
      await waitUntilUp(svc);
      await until('the GetSecretValue span', () => receiver.spans.some((s) => s.scope.includes('aws-sdk') && s.resource['service.name'] === 'mfn-trace-e2e' && s.attributes['rpc.method'] === 'GetSecretValue'));
      const text = receiver.text();
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain(aws.credentials.secretAccessKey);
      expect(aws.requests.length).toBeGreaterThan(0);
    } finally {
      await svc.stop();
      await aws.close();
    }
  });

  it('exports the last spans on SIGTERM, however long the batch delay (and the text log format shows the trace ids)', async () => {
    const svc = startServiceProcess(tracedEnv(await freePort(), { OTEL_BSP_SCHEDULE_DELAY: '600000', MFN_LOG_FORMAT: 'text' }));
    try {
      await waitUntilUp(svc);
      const traceId = hex(16);
      expect((await simulate(svc, { traceparent: `00-${traceId}-${hex(8)}-01` })).status).toBe(200);
      expect(receiver.trace(traceId)).toHaveLength(0);
      expect(await svc.stop('SIGTERM')).toBe(0);
      expect(receiver.trace(traceId).map((s) => s.name)).toEqual(expect.arrayContaining(['POST /simulate', 'compute simulate']));
      const accessLine = svc.stdout().split('\n').find((l) => l.includes('mfn.access: request completed') && l.includes(`trace_id=${traceId}`));
      expect(accessLine).toMatch(/ span_id=[0-9a-f]{16}/);
    } finally {
      await svc.stop();
    }
  });

  it('with tracing off sends nothing, writes no trace ids and never loads the SDK', async () => {
    const received = receiver.requests;
    // An endpoint is set, but OTEL_SDK_DISABLED wins.
    const svc = startServiceProcess(tracedEnv(await freePort(), { OTEL_SDK_DISABLED: 'true' }));
    try {
      await waitUntilUp(svc);
      const traceId = hex(16);
      const res = await simulate(svc, { traceparent: `00-${traceId}-${hex(8)}-01` });
      expect(res.status).toBe(200);
      const requestId = res.headers.get('x-request-id');
      await until('the access line', () => jsonLines(svc.stdout()).some((r) => r.request_id === requestId && r.action === 'api_request'));
      expect(await svc.stop('SIGTERM')).toBe(0);
      expect(receiver.requests).toBe(received);
      expect(svc.stdout()).not.toContain('trace_id');
      expect(svc.stdout()).not.toContain(traceId);
    } finally {
      await svc.stop();
    }
    // The tracing entry point alone, without an endpoint: no OpenTelemetry SDK module is loaded.
    const probe = spawnSync(
      process.execPath,
      ['-e', `require(${JSON.stringify(join(MAIN_JS, '..', 'tracing', 'register.js'))}); process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((k) => k.includes('@opentelemetry'))))`],
      { env: { PATH: process.env.PATH ?? '', MFN_ENV: 'staging' }, encoding: 'utf8' },
    );
    expect(probe.status).toBe(0);
    expect(JSON.parse(probe.stdout)).toEqual([]);
  });
});
