import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ServiceProcess, freePort, startServiceProcess, waitUntilUp } from '../helpers/service-process';
import { send } from './support/http-wire';
import { K8sObject, loadDocuments } from './support/k8s';
import { REPO_ROOT } from './support/paths';
import { ThrowawayRedis } from './support/redis-server';
import { parseDockerfile, parseEnvArgs } from './support/dockerfile';

/**
 * The environments the deployment files give the service (Kubernetes ConfigMap + Secret keys,
 * docker-compose + image ENV) boot the built service (`npm run build` first) in prod: it comes
 * up, is ready with Redis, serves a request with the key, and stops cleanly. Redis is a private
 * server; host names are the only thing rewritten (the cluster and compose names do not resolve here).
 */
const NERNST_BODY = JSON.stringify({ concentration_out_molar: 0.005, concentration_in_molar: 0.14 });

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
}

async function exerciseAndStop(service: ServiceProcess, apiKey: string): Promise<void> {
  try {
    await waitUntilUp(service, 30_000);
    const ready = await send(service.port, 'GET', '/health/ready');
    expect({ status: ready.status, body: ready.status === 200 ? '' : ready.body }).toEqual({ status: 200, body: '' });
    const details = (JSON.parse(ready.body) as { details: Record<string, { status: string }> }).details;
    expect(details.redis?.status).toBe('up');
    const res = await send(service.port, 'POST', '/nernst', {
      headers: { 'Content-Type': 'application/json', 'X-API-Key': apiKey },
      body: NERNST_BODY,
    });
    expect(res.status).toBe(200);
    const logs = service.stdout();
    expect(logs).toContain('"env":"prod"');
    expect(logs).not.toContain(apiKey);
  } finally {
    expect(await service.stop('SIGTERM')).toBe(0);
  }
}

describe('the deployment files boot the real service', () => {
  let redis: ThrowawayRedis;
  let dir: string;

  beforeAll(async () => {
    redis = await ThrowawayRedis.start();
    dir = mkdtempSync(join(tmpdir(), 'mfn-ops-boot-'));
  });
  afterAll(async () => {
    await redis?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('k8s: the ConfigMap plus the required Secret keys', async () => {
    const objects = loadDocuments(join(REPO_ROOT, 'k8s')).map((d) => d.object);
    const find = (kind: string, name: string) => objects.find((o: K8sObject) => o.kind === kind && o.metadata.name === name)!;
    const configMap = find('ConfigMap', 'mfn-config');
    const container = find('Deployment', 'mfn-secure-service').spec.template.spec.containers[0];
    const secretValues: Record<string, string> = {
      'api-key': randomBytes(32).toString('hex'),
      'master-key': randomBytes(32).toString('base64'),
    };
    const env: Record<string, string> = { ...(configMap.data as Record<string, string>) };
    for (const e of container.env as EnvVar[]) {
      const ref = e.valueFrom?.secretKeyRef;
      if (!ref) continue;
      if (ref.optional) continue;
      expect({ required: ref.key, provided: secretValues[ref.key] !== undefined }).toEqual({ required: ref.key, provided: true });
      env[e.name] = secretValues[ref.key];
    }
    const port = await freePort();
    const service = startServiceProcess({ ...env, HOST: '127.0.0.1', PORT: String(port), MFN_REDIS_URL: redis.url });
    await exerciseAndStop(service, secretValues['api-key']);
  });

  it('docker compose: the image ENV, the service environment and its secret files', async () => {
    const compose = parse(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8')) as {
      services: { api: { environment: Record<string, string>; secrets: string[] } };
      secrets: Record<string, { file: string }>;
    };
    const dockerfile = parseDockerfile(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8'));
    const runtime = dockerfile.stages[dockerfile.stages.length - 1];
    const imageEnv = Object.assign(
      {},
      ...runtime.instructions.filter((i) => i.keyword === 'ENV').map((i) => parseEnvArgs(i.args)),
    ) as Record<string, string>;

    // Compose mounts each secret at /run/secrets/<name>; here the files live in a temp dir.
    const apiKey = randomBytes(32).toString('hex');
    const contents: Record<string, string> = { api_key: `${apiKey}\n`, master_key: `${randomBytes(32).toString('base64')}\n` };
    const env: Record<string, string> = { ...imageEnv, ...compose.services.api.environment };
    for (const name of compose.services.api.secrets) {
      const source = compose.secrets[name].file.split('/').pop()!;
      expect(contents[source]).toBeDefined();
      const path = join(dir, name);
      writeFileSync(path, contents[source]);
      for (const [k, v] of Object.entries(env)) if (v === `/run/secrets/${name}`) env[k] = path;
    }
    expect(Object.values(env).filter((v) => v.startsWith('/run/secrets/'))).toEqual([]);
    const port = await freePort();
    const service = startServiceProcess({ ...env, HOST: '127.0.0.1', PORT: String(port), MFN_REDIS_URL: redis.url });
    await exerciseAndStop(service, apiKey);
  });
});
