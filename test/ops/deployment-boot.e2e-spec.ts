/* eslint-disable security/detect-non-literal-fs-filename -- test code: reads the repository's compose file and Dockerfile, and writes secrets only into the temporary directory the suite creates */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { parse } from 'yaml';
import { ServiceProcess, freePort, startServiceProcess, waitUntilUp } from '../helpers/service-process';
import { send } from './support/http-wire';
import { K8sObject, loadDocuments } from './support/k8s';
import { REPO_ROOT } from './support/paths';
import { ThrowawayRedis } from '../helpers/redis-server';
import { parseDockerfile, parseEnvArgs } from './support/dockerfile';

/**
 * The environments the deployment files give the service (Kubernetes ConfigMap + Secret keys,
 * docker-compose + image ENV) boot the built service (`npm run build` first) in prod: it comes
 * up, is ready with Redis, serves a request with the key, and stops cleanly. Redis is a private
 * server that requires a password, as the deployment files make it; host names and ports are
 * the only thing rewritten (the cluster and compose names do not resolve here).
 */
const NERNST_BODY = JSON.stringify({ concentration_out_molar: 0.005, concentration_in_molar: 0.14 });

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
}

async function exerciseAndStop(service: ServiceProcess, apiKey: string, redisPassword: string): Promise<void> {
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
    expect(logs + service.stderr()).not.toContain(redisPassword);
  } finally {
    expect(await service.stop('SIGTERM')).toBe(0);
  }
}

/** The literal variables of a container (`value:`, e.g. MFN_ROLE), as the kubelet sets them. */
function literalEnv(container: { env?: EnvVar[] }): Record<string, string> {
  return Object.fromEntries((container.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]));
}

/** The required Secret-backed variables of a container, filled from `secretValues` (each must be there). */
function secretEnv(container: { env?: EnvVar[] }, secretValues: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) {
    const ref = e.valueFrom?.secretKeyRef;
    if (!ref || ref.optional) continue;
    expect({ required: ref.key, provided: secretValues[ref.key] !== undefined }).toEqual({ required: ref.key, provided: true });
    env[e.name] = secretValues[ref.key];
  }
  return env;
}

describe('the deployment files boot the real service', () => {
  const redises: ThrowawayRedis[] = [];
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mfn-ops-boot-'));
  });
  afterAll(async () => {
    for (const redis of redises) await redis.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('k8s: the ConfigMap plus the required Secret keys, against Redis started with the args of redis.yaml', async () => {
    const objects = loadDocuments(join(REPO_ROOT, 'k8s')).map((d) => d.object);
    const find = (kind: string, name: string) => objects.find((o: K8sObject) => o.kind === kind && o.metadata.name === name)!;
    const configMap = find('ConfigMap', 'mfn-config');
    const container = find('Deployment', 'mfn-secure-service').spec.template.spec.containers[0];
    const redisContainer = find('Deployment', 'mfn-redis').spec.template.spec.containers[0];
    const redisPassword = randomBytes(24).toString('hex');
    const secretValues: Record<string, string> = {
      'api-key': randomBytes(32).toString('hex'),
      'master-key': randomBytes(32).toString('base64'),
      'redis-password': redisPassword,
    };

    // The kubelet expands $(NAME) in args from the container's variables; the first arg is the binary.
    const redisEnv = secretEnv(redisContainer, secretValues);
    // eslint-disable-next-line security/detect-object-injection -- `name` is a $(VAR) reference in the repository's k8s manifest
    const [binary, ...args] = (redisContainer.args as string[]).map((a) => a.replace(/\$\((\w+)\)/g, (_, name: string) => redisEnv[name]));
    expect(binary).toBe('redis-server');
    const redis = await ThrowawayRedis.start({ args });
    redises.push(redis);
    // That Redis requires the password: a command without it is refused.
    // (RESP2: a RESP3 client's HELLO handshake would already be refused at connect.)
    const anonymous = new IORedis(redis.urlWith(undefined), { lazyConnect: true, enableReadyCheck: false, maxRetriesPerRequest: 0, protocol: 2 });
    await anonymous.connect();
    await expect(anonymous.ping()).rejects.toThrow(/^NOAUTH/);
    anonymous.disconnect();
    secretValues['redis-url'] = redis.urlWith(redisPassword);

    const env: Record<string, string> = { ...(configMap.data as Record<string, string>), ...literalEnv(container), ...secretEnv(container, secretValues) };
    const port = await freePort();
    const service = startServiceProcess({ ...env, HOST: '127.0.0.1', PORT: String(port) });
    await exerciseAndStop(service, secretValues['api-key'], redisPassword);
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

    // Compose mounts each secret at /run/secrets/<name>; here the files live in a temp dir. The
    // Redis URL has the form the compose file documents, with this Redis's address.
    const redisPassword = randomBytes(24).toString('hex');
    const redis = await ThrowawayRedis.start({ password: redisPassword });
    redises.push(redis);
    const apiKey = randomBytes(32).toString('hex');
    const contents: Record<string, string> = {
      api_key: `${apiKey}\n`,
      master_key: `${randomBytes(32).toString('base64')}\n`,
      redis_url: `${redis.urlWith(redisPassword)}\n`,
    };
    const env: Record<string, string> = { ...imageEnv, ...compose.services.api.environment };
    for (const name of compose.services.api.secrets) {
      // eslint-disable-next-line security/detect-object-injection -- `name` is a secret name read from the repository's docker-compose.yml
      const source = compose.secrets[name].file.split('/').pop()!;
      // eslint-disable-next-line security/detect-object-injection -- `source` is a file name read from the repository's docker-compose.yml
      expect(contents[source]).toBeDefined();
      const path = join(dir, name);
      // eslint-disable-next-line security/detect-object-injection -- `source` is a file name read from the repository's docker-compose.yml
      writeFileSync(path, contents[source]);
      // eslint-disable-next-line security/detect-object-injection -- `k` is a key of this same object (Object.entries)
      for (const [k, v] of Object.entries(env)) if (v === `/run/secrets/${name}`) env[k] = path;
    }
    expect(Object.values(env).filter((v) => v.startsWith('/run/secrets/'))).toEqual([]);
    const port = await freePort();
    expect(env.MFN_REDIS_URL).toBeUndefined();
    const service = startServiceProcess({ ...env, HOST: '127.0.0.1', PORT: String(port) });
    await exerciseAndStop(service, apiKey, redisPassword);
  });
});
