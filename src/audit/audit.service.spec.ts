import type { Request } from 'express';
import pino from 'pino';
import { register } from 'prom-client';
import { Writable } from 'node:stream';
import type { MetricsService } from '../metrics/metrics.service';
import { AuditService, MAX_RESOURCE_LENGTH } from './audit.service';
import { loadConfig } from '../config';
import { createMetricsService } from '../../test/helpers/metrics';

/** Metrics are process-wide; one facade serves every case of this file. */
let metricsService: MetricsService;
beforeAll(async () => {
  metricsService = await createMetricsService();
});

function setup() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    {},
    new Writable({
      write(chunk: Buffer, _e, cb) {
        for (const line of chunk.toString().split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
        cb();
      },
    }),
  );
  return { audit: new AuditService(logger, metricsService, loadConfig({})), lines };
}

const request = (path = '/nernst') => ({ headers: {}, path, socket: { remoteAddress: '10.1.2.3' }, app: undefined }) as unknown as Request;

async function dropped(action: string): Promise<number> {
  const metric = await register.getSingleMetric('mfn_audit_events_dropped_total')!.get();
  return metric.values.find((v) => v.labels.action === action)?.value ?? 0;
}

describe('AuditService', () => {
  it('writes one event per action and request; a repeat is dropped and counted', async () => {
    const { audit, lines } = setup();
    const req = request();
    const before = await dropped('suspicious_activity');
    for (let i = 0; i < 300; i++) {
      audit.recordForRequest(req, { action: 'suspicious_activity', severity: 'ERROR', success: false, details: { field: `body.f${i}` } });
    }
    audit.recordForRequest(req, { action: 'access_granted', userId: 'batch' });
    audit.recordForRequest(req, { action: 'access_granted', userId: 'batch' });

    expect(lines.map((l) => l.action)).toEqual(['suspicious_activity', 'access_granted']);
    expect(lines[0].details).toEqual({ field: 'body.f0' });
    expect(await dropped('suspicious_activity')).toBe(before + 299);
  });

  it('counts per request: another request writes its own events', () => {
    const { audit, lines } = setup();
    const [a, b] = [request('/a'), request('/b')];
    audit.recordForRequest(a, { action: 'authentication_failure' });
    audit.recordForRequest(b, { action: 'authentication_failure' });
    audit.recordForRequest(a, { action: 'authentication_failure' });
    expect(lines.map((l) => l.resource)).toEqual(['/a', '/b']);
  });

  it('leaves record() without a request unbounded by this rule', () => {
    const { audit, lines } = setup();
    audit.record({ action: 'secrets_rotated' });
    audit.record({ action: 'secrets_rotated' });
    expect(lines.filter((l) => l.action === 'secrets_rotated')).toHaveLength(2);
  });

  it('writes user_id as the principal id, unshortened, so tenants stay apart', () => {
    const { audit, lines } = setup();
    audit.recordForRequest(request(), { action: 'access_granted', userId: 'tenant-alpha' });
    audit.recordForRequest(request(), { action: 'access_granted', userId: 'tenant-alpine' });
    audit.recordForRequest(request(), { action: 'access_granted', userId: '3f9a1c07' });
    expect(lines.map((l) => l.user_id)).toEqual(['tenant-alpha', 'tenant-alpine', '3f9a1c07']);
  });

  it('cuts the resource (the path the client chose) so one request cannot write a huge audit line', () => {
    const { audit, lines } = setup();
    audit.recordForRequest(request(`/api/keys/${'k'.repeat(15_000)}`), { action: 'access_granted', userId: 'batch' });
    expect(String(lines[0].resource).length).toBe(MAX_RESOURCE_LENGTH);
    expect(JSON.stringify(lines[0]).length).toBeLessThan(1024);
  });
});
