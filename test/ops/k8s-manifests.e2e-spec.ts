/* eslint-disable security/detect-non-literal-fs-filename -- test code: reads the repository's k8s/ manifests, and writes only the temporary directory a test creates */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { parse } from 'yaml';
import { loadConfig, unknownVariables } from '../../src/config';
import { SchemaNode, schemaProblems } from './support/json-schema';
import { K8sObject, MODELS, ManifestDocument, loadDocuments, selects, yamlFilesUnder } from './support/k8s';
import { REPO_ROOT } from './support/paths';
import { runShell } from './support/shell';

const K8S_DIR = join(REPO_ROOT, 'k8s');
const NAMESPACE = 'mycelium-fractal-net';
const PLACEHOLDERS = ['placeholder-api-key', 'dev-key-for-testing', 'your-api-key', 'your-generated-key-here', 'changeme', 'change-me'];

const documents: ManifestDocument[] = loadDocuments(K8S_DIR);
const objects = documents.map((d) => d.object).filter((o) => o.kind !== 'Kustomization');

function find(kind: string, name: string): K8sObject {
  const hit = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!hit) throw new Error(`no ${kind} ${name} in k8s/`);
  return hit;
}

/**
 * Runs the documented `kubectl ... patch secret mfn-secrets` set-up (the shell lines before it
 * included, e.g. the generated Redis password) with a stand-in kubectl that records its
 * arguments, and returns the stringData it would have written.
 */
async function runDocumentedPatch(text: string): Promise<Record<string, string>> {
  const lines = text.split('\n').map((l) => l.replace(/^# {3}/, ''));
  const end = lines.findIndex((l) => /kubectl .*patch secret mfn-secrets/.test(l));
  expect(end).toBeGreaterThan(-1);
  let start = end;
  while (start > 0 && /^[A-Z_]+=/.test(lines[start - 1])) start--;
  let stop = end;
  // eslint-disable-next-line security/detect-object-injection -- integer index into the file's lines
  while (lines[stop].endsWith('\\')) stop++;
  const dir = mkdtempSync(join(tmpdir(), 'mfn-k8s-setup-'));
  try {
    writeFileSync(join(dir, 'kubectl'), '#!/bin/sh\nfor a in "$@"; do printf \'%s\\n\' "$a"; done > "$KUBECTL_ARGS"\n', { mode: 0o755 });
    const args = join(dir, 'args');
    const result = await runShell(lines.slice(start, stop + 1).join('\n'), { env: { PATH: `${dir}:${process.env.PATH}`, KUBECTL_ARGS: args } });
    expect(result.code).toBe(0);
    const argv = readFileSync(args, 'utf8').trimEnd().split('\n');
    expect(argv.slice(0, 7)).toEqual(['-n', NAMESPACE, 'patch', 'secret', 'mfn-secrets', '--type', 'merge']);
    expect(argv[7]).toBe('-p');
    return (JSON.parse(argv[8]) as { stringData: Record<string, string> }).stringData;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const api = find('Deployment', 'mfn-secure-service');
const apiContainer = api.spec.template.spec.containers[0];
const configMap = find('ConfigMap', 'mfn-config');
const worker = find('Deployment', 'mfn-worker');
const workerContainer = worker.spec.template.spec.containers[0];
/** The fields of the KEDA ScaledObject CRD the manifests use (no offline model is bundled for it). */
const SCALED_OBJECT_SCHEMA = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'keda-scaledobject.schema.json'), 'utf8')) as SchemaNode;
/** Variables set per Deployment as literals: the process role, which is no secret and differs between the tiers. */
const LITERAL_ENV = new Set(['MFN_ROLE']);

describe('k8s/ manifests: schema', () => {
  it('every document is a known Kubernetes kind that passes its offline schema', () => {
    expect(objects.length).toBeGreaterThan(10);
    const problems: string[] = [];
    for (const { file, object } of documents) {
      if (object.kind === 'Kustomization' || object.kind === 'ServiceMonitor') continue;
      if (object.kind === 'ScaledObject') {
        problems.push(...schemaProblems(SCALED_OBJECT_SCHEMA, object).map((p) => `${file} ${object.metadata?.name}: ${p}`));
        continue;
      }
      const kind = `${object.apiVersion}/${object.kind}`;
      // eslint-disable-next-line security/detect-object-injection -- `kind` is apiVersion/kind of a manifest in the repository's k8s/; a miss is reported below
      const Model = MODELS[kind];
      if (!Model) {
        problems.push(`${file}: no schema for ${kind}`);
        continue;
      }
      try {
        new Model(object as never).validate();
      } catch (err) {
        problems.push(`${file} ${kind} ${object.metadata?.name}: ${(err as Error).message}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('the schema check catches a wrong field type', () => {
    const broken = structuredClone(api);
    broken.spec.template.spec.containers[0].ports[0].containerPort = '8000';
    expect(() => new Deployment(broken).validate()).toThrow(/containerPort must be integer/);
  });

  it('the ScaledObject schema check catches a wrong field type, an unknown field and a missing trigger', () => {
    const scaled = find('ScaledObject', 'mfn-worker');
    expect(schemaProblems(SCALED_OBJECT_SCHEMA, scaled)).toEqual([]);
    const broken = structuredClone(scaled);
    broken.spec.maxReplicaCount = '20';
    broken.spec.triggers[0].metadata.threshold = 10;
    broken.spec.minReplicas = 1;
    expect(schemaProblems(SCALED_OBJECT_SCHEMA, broken).sort()).toEqual(
      ['$.spec: unknown field minReplicas', '$.spec.maxReplicaCount: must be integer, is string', '$.spec.triggers[0].metadata.threshold: must be string, is integer'].sort(),
    );
    delete broken.spec.triggers;
    expect(schemaProblems(SCALED_OBJECT_SCHEMA, broken)).toContain('$.spec: triggers is required');
  });

  it('the ServiceMonitor has the shape the Prometheus Operator CRD requires', () => {
    const monitor = find('ServiceMonitor', 'mfn-secure-service');
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(monitor.metadata.namespace).toBe(NAMESPACE);
    expect(Object.keys(monitor.spec).sort()).toEqual(['endpoints', 'namespaceSelector', 'selector']);
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: [NAMESPACE] });
    const service = find('Service', 'mfn-secure-service');
    expect(selects(monitor.spec.selector.matchLabels, service.metadata.labels)).toBe(true);
    expect(monitor.spec.endpoints).toHaveLength(1);
    const [endpoint] = monitor.spec.endpoints;
    expect(endpoint).toEqual({ port: 'http', path: '/metrics', scheme: 'http', interval: '30s', scrapeTimeout: '10s' });
    expect(service.spec.ports.map((p: { name: string }) => p.name)).toContain(endpoint.port);
  });

  it('kustomization.yaml lists every manifest file, and only existing ones', () => {
    const kustomization = parse(readFileSync(join(K8S_DIR, 'kustomization.yaml'), 'utf8')) as Record<string, unknown>;
    expect(kustomization.apiVersion).toBe('kustomize.config.k8s.io/v1beta1');
    expect(kustomization.kind).toBe('Kustomization');
    expect(kustomization.namespace).toBe(NAMESPACE);
    const manifests = yamlFilesUnder(K8S_DIR)
      .map((p) => p.slice(K8S_DIR.length + 1))
      .filter((p) => p !== 'kustomization.yaml');
    expect([...(kustomization.resources as string[])].sort()).toEqual(manifests.sort());
  });

  it('every namespaced object lives in the service namespace, and names are unique per kind', () => {
    find('Namespace', NAMESPACE);
    const seen = new Set<string>();
    for (const o of objects) {
      if (o.kind !== 'Namespace') expect({ kind: o.kind, name: o.metadata.name, ns: o.metadata.namespace }).toMatchObject({ ns: NAMESPACE });
      const key = `${o.kind}/${o.metadata.name}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
    }
  });
});

describe('k8s/ manifests: the service Deployment', () => {
  it('runs 3 replicas exposing port 8000 named http, with the requested resources', () => {
    expect(api.spec.replicas).toBe(3);
    expect(selects(api.spec.selector.matchLabels, api.spec.template.metadata.labels)).toBe(true);
    expect(apiContainer.ports).toEqual([{ name: 'http', containerPort: 8000, protocol: 'TCP' }]);
    expect(apiContainer.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
    expect(apiContainer.image).toMatch(/^[\w./-]+:\d+\.\d+\.\d+$/);
  });

  it('probes: liveness /health, readiness /health/ready, a startup probe', () => {
    expect(apiContainer.livenessProbe).toMatchObject({ httpGet: { path: '/health', port: 'http' }, initialDelaySeconds: 30, periodSeconds: 10 });
    expect(apiContainer.readinessProbe).toMatchObject({ httpGet: { path: '/health/ready', port: 'http' }, initialDelaySeconds: 5, periodSeconds: 5 });
    expect(apiContainer.startupProbe).toMatchObject({ httpGet: { path: '/health', port: 'http' } });
    expect(apiContainer.startupProbe.periodSeconds * apiContainer.startupProbe.failureThreshold).toBeGreaterThanOrEqual(30);
  });

  it('hardened securityContext: non-root 1000, read-only root, no escalation, no capabilities, RuntimeDefault seccomp', () => {
    const pod = api.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(apiContainer.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    // The one writable path is an emptyDir at /tmp.
    const tmp = apiContainer.volumeMounts.find((m: { mountPath: string }) => m.mountPath === '/tmp');
    expect(pod.volumes.find((v: { name: string }) => v.name === tmp.name).emptyDir).toBeDefined();
  });

  it('terminationGracePeriodSeconds covers the preStop delay plus the shutdown delay and drain timeout', () => {
    const preStop = apiContainer.lifecycle.preStop.exec.command as string[];
    expect(preStop[0]).toBe('sleep');
    const preStopSeconds = Number(preStop[1]);
    expect(preStopSeconds).toBeGreaterThan(0);
    const drainSeconds = (Number(configMap.data.MFN_SHUTDOWN_DELAY_MS) + Number(configMap.data.MFN_SHUTDOWN_TIMEOUT_MS)) / 1000;
    expect(drainSeconds).toBeGreaterThan(Number(configMap.data.MFN_COMPUTE_TIMEOUT_MS) / 1000);
    expect(api.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(preStopSeconds + drainSeconds);
  });

  it('takes its settings from the ConfigMap and the API key from the mfn-secrets Secret', () => {
    expect(apiContainer.envFrom).toEqual([{ configMapRef: { name: 'mfn-config' } }]);
    const apiKey = apiContainer.env.find((e: { name: string }) => e.name === 'MFN_API_KEY');
    expect(apiKey.valueFrom.secretKeyRef).toEqual({ name: 'mfn-secrets', key: 'api-key' });
    // Prod refuses to start without the crypto master key: it is required, not optional.
    const masterKey = apiContainer.env.find((e: { name: string }) => e.name === 'MFN_MASTER_KEY');
    expect(masterKey.valueFrom.secretKeyRef).toEqual({ name: 'mfn-secrets', key: 'master-key' });
    // The Redis URL carries the Redis password: a required Secret key, never a ConfigMap value.
    const redisUrl = apiContainer.env.find((e: { name: string }) => e.name === 'MFN_REDIS_URL');
    expect(redisUrl.valueFrom.secretKeyRef).toEqual({ name: 'mfn-secrets', key: 'redis-url' });
    expect(configMap.data.MFN_REDIS_URL).toBeUndefined();
    for (const e of apiContainer.env as { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string } } }[]) {
      if (LITERAL_ENV.has(e.name)) continue;
      expect({ name: e.name, literal: e.value }).toEqual({ name: e.name, literal: undefined });
      expect(e.valueFrom?.secretKeyRef?.name).toBe('mfn-secrets');
    }
    find('Secret', 'mfn-secrets');
  });

  it('is scraped: Prometheus annotations on the pods', () => {
    expect(api.spec.template.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '8000',
      'prometheus.io/path': '/metrics',
    });
  });
});

describe('k8s/ manifests: every pod meets the restricted Pod Security Standard', () => {
  const deployments = objects.filter((o) => o.kind === 'Deployment');

  it.each(deployments.map((d) => [d.metadata.name, d]))('%s', (_name, deployment) => {
    const pod = (deployment as K8sObject).spec.template.spec;
    expect(pod.hostNetwork ?? false).toBe(false);
    expect(pod.hostPID ?? false).toBe(false);
    expect(pod.hostIPC ?? false).toBe(false);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    for (const v of pod.volumes ?? []) expect(v.hostPath).toBeUndefined();
    for (const c of pod.containers) {
      expect(c.securityContext).toMatchObject({
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      expect(c.securityContext.runAsUser).toBeGreaterThan(0);
      expect(c.securityContext.capabilities.add).toBeUndefined();
      expect(c.resources.limits).toBeDefined();
      expect(c.image).not.toMatch(/:latest$|^[^:]+$/);
    }
  });

  it('the namespace enforces it', () => {
    expect(find('Namespace', NAMESPACE).metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted' });
  });
});

describe('k8s/ manifests: configuration and secrets', () => {
  it('the ConfigMap is a valid production configuration with only known variables', () => {
    const env = { ...configMap.data, MFN_API_KEY: 'a-strong-api-key-of-at-least-32-characters' } as Record<string, string>;
    expect(unknownVariables(env)).toEqual([]);
    const config = loadConfig(env);
    expect(config.env).toBe('prod');
    expect(config.auth.required).toBe(true);
    expect(config.rateLimit).toMatchObject({ enabled: true, requests: 100, backend: 'redis' });
    expect(config.metrics.enabled).toBe(true);
    expect(config.docsEnabled).toBe(false);
    expect(config.logging).toEqual({ level: 'info', format: 'json' });
    expect(config.http.port).toBe(apiContainer.ports[0].containerPort);
    // Set explicitly (dev would default to loopback, unreachable from the Service).
    expect(configMap.data.HOST).toBe('0.0.0.0');
    expect(config.http.host).toBe('0.0.0.0');
    expect(configMap.data.MFN_API_KEY).toBeUndefined();
    expect(configMap.data.MFN_METRICS_TOKEN).toBeUndefined();
  });

  it('the in-cluster Redis requires the password from the Secret, and its readiness probe authenticates', () => {
    const redis = find('Deployment', 'mfn-redis').spec.template.spec.containers[0];
    expect(redis.env).toEqual([{ name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'mfn-secrets', key: 'redis-password' } } }]);
    const args = redis.args as string[];
    expect(args[0]).toBe('redis-server');
    expect(args[args.indexOf('--requirepass') + 1]).toBe('$(REDIS_PASSWORD)');
    const [shell, flag, script] = redis.readinessProbe.exec.command as string[];
    expect([shell, flag]).toEqual(['sh', '-c']);
    // redis-cli exits 0 on NOAUTH too: the probe must authenticate and look for PONG.
    expect(script).toBe('REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli ping | grep -q PONG');
  });

  it('no manifest holds a Redis password or a URL with credentials', () => {
    for (const path of yamlFilesUnder(K8S_DIR)) {
      const body = readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => !l.trimStart().startsWith('#'))
        .join('\n');
      expect({ path, credentials: /rediss?:\/\/[^\s"]*@/.test(body) }).toEqual({ path, credentials: false });
      // Whatever follows --requirepass must be a variable the kubelet expands, never a value.
      for (const [, value] of body.matchAll(/requirepass["\s-]*(\S+)/g)) expect({ path, value }).toEqual({ path, value: '$(REDIS_PASSWORD)' });
    }
  });

  it.each([
    ['k8s/secret.yaml', join(K8S_DIR, 'secret.yaml')],
    ['docs/operations.md', join(REPO_ROOT, 'docs', 'operations.md')],
  ])('the Secret set-up command of %s, run for real, fills every required key; redis-url reaches the Redis Service with redis-password', async (_name, path) => {
    const patch = await runDocumentedPatch(readFileSync(path, 'utf8'));
    const required = objects
      .filter((o) => o.kind === 'Deployment')
      .flatMap((d) => d.spec.template.spec.containers.flatMap((c: { env?: { valueFrom?: { secretKeyRef?: { key: string; optional?: boolean } } }[] }) => c.env ?? []))
      .map((e) => e.valueFrom?.secretKeyRef)
      .filter((ref): ref is { key: string } => ref !== undefined && ref.optional !== true)
      .map((ref) => ref.key);
    expect(Object.keys(patch).sort()).toEqual([...new Set(required)].sort());
    expect(patch['redis-password']).toMatch(/^[0-9a-f]{64}$/);
    const url = new URL(patch['redis-url']);
    expect({ protocol: url.protocol, password: url.password }).toEqual({ protocol: 'redis:', password: patch['redis-password'] });
    const service = find('Service', url.hostname);
    expect(service.spec.ports.map((p: { port: number }) => p.port)).toContain(Number(url.port));
    expect(selects(service.spec.selector, find('Deployment', 'mfn-redis').spec.template.metadata.labels)).toBe(true);
  });

  it('the Secret is a template: no values, no placeholders', () => {
    const secret = find('Secret', 'mfn-secrets');
    const values = [...Object.values(secret.data ?? {}), ...Object.values(secret.stringData ?? {})] as string[];
    expect(values.filter((v) => v !== '')).toEqual([]);
    const text = readFileSync(join(K8S_DIR, documents.find((d) => d.object === secret)!.file), 'utf8').toLowerCase();
    for (const p of PLACEHOLDERS) expect(text).not.toContain(p);
  });
});

describe('k8s/ manifests: traffic', () => {
  const service = find('Service', 'mfn-secure-service');

  it('the Service maps port 80 to the container port named http and selects the pods', () => {
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
    expect(selects(service.spec.selector, api.spec.template.metadata.labels)).toBe(true);
  });

  it('the HPA scales the Deployment between 3 and 100 replicas on CPU 70 % and memory 80 %', () => {
    const hpa = find('HorizontalPodAutoscaler', 'mfn-secure-service');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: api.metadata.name });
    expect(hpa.spec.minReplicas).toBe(3);
    expect(hpa.spec.maxReplicas).toBe(100);
    const targets = Object.fromEntries(
      hpa.spec.metrics.map((m: { resource: { name: string; target: { averageUtilization: number } } }) => [
        m.resource.name,
        m.resource.target.averageUtilization,
      ]),
    );
    expect(targets).toEqual({ cpu: 70, memory: 80 });
  });

  it('the PDB keeps 2 pods available, fewer than the replicas', () => {
    const pdb = find('PodDisruptionBudget', 'mfn-secure-service');
    expect(pdb.spec.minAvailable).toBe(2);
    expect(pdb.spec.minAvailable).toBeLessThan(api.spec.replicas);
    expect(selects(pdb.spec.selector.matchLabels, api.spec.template.metadata.labels)).toBe(true);
  });

  it('the NetworkPolicy admits only the ingress controller and monitoring on 8000, and egress to DNS, Redis and 443', () => {
    const policy = find('NetworkPolicy', 'mfn-secure-service');
    expect(selects(policy.spec.podSelector.matchLabels, api.spec.template.metadata.labels)).toBe(true);
    expect(policy.spec.policyTypes.sort()).toEqual(['Egress', 'Ingress']);
    expect(policy.spec.ingress).toHaveLength(1);
    const [rule] = policy.spec.ingress;
    expect(rule.ports).toEqual([{ protocol: 'TCP', port: 8000 }]);
    const namespaces = rule.from.map((f: { namespaceSelector: { matchLabels: Record<string, string> } }) => f.namespaceSelector.matchLabels['kubernetes.io/metadata.name']);
    expect(namespaces.sort()).toEqual(['ingress-nginx', 'monitoring']);
    const egressPorts = policy.spec.egress.flatMap((e: { ports: { protocol: string; port: number }[] }) => e.ports.map((p) => `${p.protocol}/${p.port}`));
    expect(egressPorts).toEqual(expect.arrayContaining(['UDP/53', 'TCP/443', 'TCP/6379']));
    const redisRule = policy.spec.egress.find((e: { ports: { port: number }[] }) => e.ports.some((p) => p.port === 6379));
    expect(selects(redisRule.to[0].podSelector.matchLabels, find('Deployment', 'mfn-redis').spec.template.metadata.labels)).toBe(true);

    const redisPolicy = find('NetworkPolicy', 'mfn-redis');
    expect(redisPolicy.spec.ingress).toEqual([
      {
        from: [{ podSelector: { matchLabels: api.spec.template.metadata.labels } }, { podSelector: { matchLabels: worker.spec.template.metadata.labels } }],
        ports: [{ protocol: 'TCP', port: 6379 }],
      },
    ]);
  });

  it('the Ingress uses nginx with TLS, SSL redirect and limit-rps, never CORS "*", and does not expose /metrics', () => {
    const ingress = find('Ingress', 'mfn-secure-service');
    expect(ingress.spec.ingressClassName).toBe('nginx');
    const annotations = ingress.metadata.annotations as Record<string, string>;
    expect(annotations['nginx.ingress.kubernetes.io/ssl-redirect']).toBe('true');
    expect(annotations['nginx.ingress.kubernetes.io/limit-rps']).toBe('100');
    expect(Object.keys(annotations).filter((k) => k.includes('cors'))).toEqual([]);
    expect(Object.values(annotations)).not.toContain('*');
    const ruleHosts = ingress.spec.rules.map((r: { host: string }) => r.host);
    expect(ingress.spec.tls.flatMap((t: { hosts: string[] }) => t.hosts)).toEqual(expect.arrayContaining(ruleHosts));
    const paths = ingress.spec.rules.flatMap((r: { http: { paths: { path: string; backend: { service: { name: string; port: { name: string } } } }[] } }) => r.http.paths);
    for (const p of paths) {
      expect(p.backend.service).toEqual({ name: service.metadata.name, port: { name: 'http' } });
      expect(p.path === '/' || '/metrics'.startsWith(p.path) || p.path.startsWith('/metrics')).toBe(false);
    }
    expect(paths.map((p: { path: string }) => p.path)).toEqual(expect.arrayContaining(['/health', '/nernst', '/simulate', '/validate', '/federated', '/api']));
  });
});

describe('k8s/ manifests: the worker tier', () => {
  it('is the same image with MFN_ROLE=worker, while the API Deployment runs MFN_ROLE=api', () => {
    const role = (c: { env: { name: string; value?: string }[] }) => c.env.find((e) => e.name === 'MFN_ROLE')?.value;
    expect(role(apiContainer)).toBe('api');
    expect(role(workerContainer)).toBe('worker');
    expect(workerContainer.image).toBe(apiContainer.image);
    expect(workerContainer.envFrom).toEqual(apiContainer.envFrom);
    // The same secrets as the API (Redis URL, master key, keys), never a literal other than the role.
    const secretRefs = (c: { env: { name: string; valueFrom?: { secretKeyRef?: unknown } }[] }) =>
      c.env.filter((e) => !LITERAL_ENV.has(e.name)).map((e) => [e.name, e.valueFrom?.secretKeyRef]);
    expect(secretRefs(workerContainer)).toEqual(secretRefs(apiContainer));
    expect(selects(worker.spec.selector.matchLabels, worker.spec.template.metadata.labels)).toBe(true);
    expect(selects(api.spec.selector.matchLabels, worker.spec.template.metadata.labels)).toBe(false);
    expect(selects(worker.spec.selector.matchLabels, api.spec.template.metadata.labels)).toBe(false);
  });

  it('probes /health/live and /health/ready, has resources and the hardened securityContext of the API', () => {
    expect(workerContainer.livenessProbe).toMatchObject({ httpGet: { path: '/health/live', port: 'http' } });
    expect(workerContainer.startupProbe).toMatchObject({ httpGet: { path: '/health/live', port: 'http' } });
    expect(workerContainer.readinessProbe).toMatchObject({ httpGet: { path: '/health/ready', port: 'http' } });
    expect(workerContainer.ports).toEqual(apiContainer.ports);
    expect(workerContainer.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    expect(workerContainer.resources.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    expect(workerContainer.securityContext).toEqual(apiContainer.securityContext);
    expect(worker.spec.template.spec.securityContext).toEqual(api.spec.template.spec.securityContext);
    expect(worker.spec.template.spec.automountServiceAccountToken).toBe(false);
    const drainSeconds = (Number(configMap.data.MFN_SHUTDOWN_DELAY_MS) + Number(configMap.data.MFN_SHUTDOWN_TIMEOUT_MS)) / 1000;
    expect(worker.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(drainSeconds);
  });

  it('is reachable only for metrics: a headless Service and its own ServiceMonitor, no Ingress backend', () => {
    const service = find('Service', 'mfn-worker-metrics');
    expect(service.spec.clusterIP).toBe('None');
    expect(selects(service.spec.selector, worker.spec.template.metadata.labels)).toBe(true);
    expect(selects(service.spec.selector, api.spec.template.metadata.labels)).toBe(false);
    const monitor = find('ServiceMonitor', 'mfn-worker');
    expect(selects(monitor.spec.selector.matchLabels, service.metadata.labels)).toBe(true);
    expect(selects(find('ServiceMonitor', 'mfn-secure-service').spec.selector.matchLabels, service.metadata.labels)).toBe(false);
    expect(monitor.spec.endpoints).toEqual([{ port: 'http', path: '/metrics', scheme: 'http', interval: '30s', scrapeTimeout: '10s' }]);
    expect(service.spec.ports.map((p: { name: string }) => p.name)).toContain('http');
    const backends = find('Ingress', 'mfn-secure-service').spec.rules.flatMap((r: { http: { paths: { backend: { service: { name: string } } }[] } }) =>
      r.http.paths.map((p) => p.backend.service.name),
    );
    expect(backends).not.toContain(service.metadata.name);
  });

  it('KEDA scales it on the waiting-jobs gauge from Prometheus, between 1 and 20 workers', () => {
    const scaled = find('ScaledObject', 'mfn-worker');
    expect(scaled.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: worker.metadata.name });
    expect(scaled.spec).toMatchObject({ minReplicaCount: 1, maxReplicaCount: 20 });
    expect(scaled.spec.fallback.replicas).toBeGreaterThanOrEqual(scaled.spec.minReplicaCount);
    const [trigger] = scaled.spec.triggers;
    expect(trigger.type).toBe('prometheus');
    expect(trigger.metadata.query).toMatch(/^max\(mfn_jobs_queue_depth\{state="waiting", namespace="mycelium-fractal-net"\}\)$/);
    expect(Number(trigger.metadata.threshold)).toBeGreaterThan(0);
    expect(new URL(trigger.metadata.serverAddress).protocol).toBe('http:');
    // KEDA owns the worker replicas; the HPA stays on the API only.
    const hpa = find('HorizontalPodAutoscaler', 'mfn-secure-service');
    expect(hpa.spec.scaleTargetRef.name).toBe(api.metadata.name);
    expect(objects.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((o) => o.spec.scaleTargetRef.name)).not.toContain(worker.metadata.name);
  });

  it('a PDB lets one worker at a time be evicted, drainable even with a single worker', () => {
    const pdb = find('PodDisruptionBudget', 'mfn-worker');
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: worker.spec.selector.matchLabels } });
    expect(selects(find('PodDisruptionBudget', 'mfn-secure-service').spec.selector.matchLabels, worker.spec.template.metadata.labels)).toBe(false);
  });

  it('the worker NetworkPolicy admits only monitoring on 8000 and lets out only DNS and Redis', () => {
    const policy = find('NetworkPolicy', 'mfn-worker');
    expect(selects(policy.spec.podSelector.matchLabels, worker.spec.template.metadata.labels)).toBe(true);
    expect(selects(find('NetworkPolicy', 'mfn-secure-service').spec.podSelector.matchLabels, worker.spec.template.metadata.labels)).toBe(false);
    expect(policy.spec.policyTypes.sort()).toEqual(['Egress', 'Ingress']);
    expect(policy.spec.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 8000 }] },
    ]);
    const egress = policy.spec.egress as { to: unknown[]; ports: { protocol: string; port: number }[] }[];
    expect(egress.every((rule) => Array.isArray(rule.to) && rule.to.length > 0)).toBe(true);
    expect(egress.flatMap((e) => e.ports.map((p) => `${p.protocol}/${p.port}`)).sort()).toEqual(['TCP/53', 'TCP/6379', 'UDP/53']);
    const redisRule = egress.find((e) => e.ports.some((p) => p.port === 6379))! as { to: { podSelector: { matchLabels: Record<string, string> } }[] };
    expect(selects(redisRule.to[0].podSelector.matchLabels, find('Deployment', 'mfn-redis').spec.template.metadata.labels)).toBe(true);
  });
});
