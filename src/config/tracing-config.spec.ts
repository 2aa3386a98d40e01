import { ConfigValidationError, loadConfig } from './load-config';
import { otlpExportHeaders, parseTracingConfig } from './tracing-config';

describe('parseTracingConfig', () => {
  it('is off without an endpoint, with the documented defaults', () => {
    expect(parseTracingConfig({})).toEqual({
      config: {
        enabled: false,
        tracesUrl: undefined,
        serviceName: 'mfn-secure-service',
        sampler: 'parentbased_always_on',
        samplerRatio: 1,
        resourceAttributes: {},
        exportDelayMs: 5000,
        exportHeaderNames: [],
      },
      problems: [],
    });
    expect(loadConfig({}).tracing.enabled).toBe(false);
  });

  it('appends /v1/traces to the base endpoint and uses the traces endpoint as given', () => {
    expect(parseTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).config).toMatchObject({
      enabled: true,
      tracesUrl: 'http://collector:4318/v1/traces',
    });
    const both = parseTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://b/custom/path' });
    expect(both.config.tracesUrl).toBe('https://b/custom/path');
  });

  it('stays off when OTEL_SDK_DISABLED is true, whatever the endpoint', () => {
    const c = parseTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }).config;
    expect(c).toMatchObject({ enabled: false, tracesUrl: undefined });
  });

  it('reads the sampler, service name, resource attributes and batch delay', () => {
    const { config, problems } = parseTracingConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_TRACES_SAMPLER: 'ParentBased_TraceIdRatio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      OTEL_SERVICE_NAME: 'mfn-eu',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.region=eu-west-1,team=core%20crypto',
      OTEL_BSP_SCHEDULE_DELAY: '250',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    });
    expect(problems).toEqual([]);
    expect(config).toMatchObject({
      sampler: 'parentbased_traceidratio',
      samplerRatio: 0.25,
      serviceName: 'mfn-eu',
      resourceAttributes: { 'deployment.region': 'eu-west-1', team: 'core crypto' },
      exportDelayMs: 250,
    });
  });

  it('names every bad variable, and never quotes the export headers', () => {
    const { problems } = parseTracingConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://collector',
      OTEL_TRACES_SAMPLER: 'sometimes',
      OTEL_TRACES_SAMPLER_ARG: '1.5',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_RESOURCE_ATTRIBUTES: 'no-equals-sign',
      OTEL_BSP_SCHEDULE_DELAY: '0',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%ZZsecret-token',
    });
    expect(problems.map((p) => p.split(' ')[0])).toEqual([
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'OTEL_EXPORTER_OTLP_PROTOCOL',
      'OTEL_TRACES_SAMPLER',
      'OTEL_TRACES_SAMPLER_ARG',
      'OTEL_RESOURCE_ATTRIBUTES',
      'OTEL_BSP_SCHEDULE_DELAY',
      'OTEL_EXPORTER_OTLP_HEADERS',
    ]);
    expect(problems.join(' ')).not.toContain('secret-token');
  });

  it('stops start-up with the other configuration problems', () => {
    expect(() => loadConfig({ OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow(ConfigValidationError);
  });

  it('keeps only the header names in the configuration; the values are read where the exporter is built', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_HEADERS: 'x-token=s3cr3t,tenant=a%3Db' };
    const { config } = parseTracingConfig(env);
    expect(config.exportHeaderNames).toEqual(['x-token', 'tenant']);
    expect(JSON.stringify(loadConfig(env))).not.toContain('s3cr3t');
    expect(otlpExportHeaders(env)).toEqual({ 'x-token': 's3cr3t', tenant: 'a=b' });
    expect(otlpExportHeaders({ ...env, OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'only=this' })).toEqual({ only: 'this' });
  });

  it('bounds the lists it reads', () => {
    const many = Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(',');
    expect(parseTracingConfig({ OTEL_RESOURCE_ATTRIBUTES: many }).problems).toHaveLength(1);
    expect(parseTracingConfig({ OTEL_RESOURCE_ATTRIBUTES: `k=${'v'.repeat(256)}` }).problems).toHaveLength(1);
  });
});
