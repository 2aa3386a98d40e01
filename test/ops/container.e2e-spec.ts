/* eslint-disable security/detect-non-literal-fs-filename -- test code: reads the repository's Dockerfile, compose and ignore files, and writes only the temporary directories its tests create */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { parse } from 'yaml';
import { loadConfig, unknownVariables } from '../../src/config';
import { REDOC_BUNDLE_COPY } from '../../src/docs/redoc';
import { listenOnce } from '../helpers/raw-http';
import { StubHttpServer } from '../helpers/stub-http-server';
import { TestApp, createTestApp } from '../helpers/test-app';
import { ParsedDockerfile, Stage, execForm, parseDockerfile, parseEnvArgs } from './support/dockerfile';
import { freePort, waitFor } from './support/http-wire';
import { REPO_ROOT } from './support/paths';
import { composeUnescape, documentedCommands, runShell } from './support/shell';

const dockerfile: ParsedDockerfile = parseDockerfile(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8'));
const runtime: Stage = dockerfile.stages[dockerfile.stages.length - 1];
const dockerignore = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));
// Compose files are free-form YAML; the tests narrow what they read.
const composeText = readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const compose = parse(composeText, { uniqueKeys: true }) as any;

function instructions(stage: Stage, keyword: string): string[] {
  return stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
}

function runtimeEnv(): Record<string, string> {
  return Object.assign({}, ...instructions(runtime, 'ENV').map(parseEnvArgs)) as Record<string, string>;
}

/** The HEALTHCHECK command of the image, as exec-form argv. */
function imageHealthcheck(): string[] {
  const [healthcheck] = instructions(runtime, 'HEALTHCHECK');
  const argv = execForm(healthcheck.slice(healthcheck.indexOf('CMD') + 3));
  if (!argv) throw new Error('HEALTHCHECK is not in exec form');
  return argv;
}

/** Runs a health-check argv (its first word is `node`) the way the container runtime would: its exit code. */
function runHealthcheck(argv: string[], port: number): Promise<number | null> {
  expect(argv[0]).toBe('node');
  const child = spawn(process.execPath, argv.slice(1), { env: { PORT: String(port) }, stdio: 'ignore', timeout: 15_000 });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('Dockerfile', () => {
  it('is multi-stage on Node 24 (the engines major, the .nvmrc version)', () => {
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of dockerfile.stages) expect(stage.from).toMatch(/^node:24[.\d]*-(bookworm-slim|alpine[\d.]*)$/);
    expect(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).engines.node).toBe('>=24 <25');
    // eslint-disable-next-line security/detect-unsafe-regex -- anchored, at most two `.digits` groups: linear in the file's length
    expect(readFileSync(join(REPO_ROOT, '.nvmrc'), 'utf8').trim()).toMatch(/^24(\.\d+){0,2}$/);
  });

  it('builds with the full dependency tree in the builder stage', () => {
    const build = dockerfile.stages.find((s) => instructions(s, 'RUN').some((r) => r.includes('npm run build')));
    expect(build).toBeDefined();
    expect(build).not.toBe(runtime);
    const runs = instructions(build!, 'RUN');
    expect(runs.some((r) => /npm ci(?!.*--omit=dev)/.test(r))).toBe(true);
    expect(instructions(runtime, 'COPY')).toContain(`--from=${build!.name} /app/dist ./dist`);
  });

  it('carries ReDoc\'s bundle into dist/ (redoc is a development dependency), where the docs module reads it', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg.dependencies.redoc).toBeUndefined();
    expect(pkg.devDependencies.redoc).toBeDefined();
    const build = dockerfile.stages.find((s) => instructions(s, 'RUN').some((r) => r.includes('npm run build')))!;
    // src/docs/redoc.ts compiles to dist/docs/redoc.js and falls back to the copy beside it.
    expect(instructions(build, 'RUN').join('\n')).toContain(`cp node_modules/redoc/bundles/redoc.standalone.js dist/docs/${REDOC_BUNDLE_COPY}`);
    expect(existsSync(join(REPO_ROOT, 'src', 'docs', 'redoc.ts'))).toBe(true);
  });

  it('installs production dependencies only in the runtime stage, without sources or tests', () => {
    const runs = instructions(runtime, 'RUN').join('\n');
    expect(runs).toMatch(/npm ci --omit=dev/);
    expect(runs).not.toMatch(/npm (install|i) /);
    const copies = instructions(runtime, 'COPY').join('\n');
    expect(copies).not.toMatch(/\bsrc\b|\btest\b|\.env|secrets/);
  });

  it('runs as uid/gid 1000 (numeric, non-root) with NODE_ENV=production and MFN_ENV=prod', () => {
    const users = instructions(runtime, 'USER');
    expect(users[users.length - 1]).toBe('1000:1000');
    // Nothing runs as root after the switch.
    const afterUser = runtime.instructions.slice(runtime.instructions.findIndex((i) => i.keyword === 'USER'));
    expect(afterUser.filter((i) => i.keyword === 'RUN')).toEqual([]);
    expect(runtimeEnv()).toMatchObject({ NODE_ENV: 'production', MFN_ENV: 'prod', PORT: '8000' });
  });

  it('listens on every interface of the container: HOST=0.0.0.0 set explicitly (dev would default to loopback)', () => {
    expect(runtimeEnv().HOST).toBe('0.0.0.0');
  });

  it('exposes 8000 and starts the API with node (no npm at run time)', () => {
    expect(instructions(runtime, 'EXPOSE')).toEqual(['8000']);
    const [cmd] = instructions(runtime, 'CMD');
    expect(execForm(cmd)).toEqual(['node', 'dist/main.js']);
    expect(instructions(runtime, 'ENTRYPOINT')).toEqual([]);
  });

  it('writes nowhere but /tmp at run time (read-only root filesystem)', () => {
    for (const volume of instructions(runtime, 'VOLUME')) expect(volume).toMatch(/\/tmp/);
    const env = runtimeEnv();
    for (const [name, value] of Object.entries(env)) {
      if (value.startsWith('/')) expect({ name, value }).toEqual({ name, value: expect.stringMatching(/^\/tmp(\/|$)/) });
    }
  });

  it('copies only files that exist and that .dockerignore lets through', () => {
    const sources = dockerfile.stages
      .flatMap((s) => instructions(s, 'COPY'))
      .filter((args) => !args.startsWith('--from'))
      .flatMap((args) => args.split(' ').slice(0, -1));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect({ source, exists: existsSync(join(REPO_ROOT, source)) }).toEqual({ source, exists: true });
      expect(dockerignore).not.toContain(source);
    }
  });

  it('.dockerignore keeps dependencies, build output, secrets and VCS data out of the context', () => {
    expect(dockerignore).toEqual(expect.arrayContaining(['node_modules', 'dist', '.git', '.env', 'secrets', 'test']));
  });
});

describe('health checks of the image and of docker-compose, run for real', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp();
    port = await listenOnce(t.server);
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => t.server.close(() => resolve()));
    await t.close();
  });

  it('the image HEALTHCHECK calls /health with node (no curl) and passes against the service', async () => {
    const argv = imageHealthcheck();
    expect(argv.join(' ')).toContain("path:'/health'");
    expect(argv.join(' ')).not.toMatch(/curl|wget/);
    expect(instructions(runtime, 'HEALTHCHECK')[0]).toMatch(/--interval=\d+s .*--timeout=\d+s/);
    expect(await runHealthcheck(argv, port)).toBe(0);
  });

  it('the image HEALTHCHECK fails when nothing listens or /health is not 200', async () => {
    const argv = imageHealthcheck();
    expect(await runHealthcheck(argv, await freePort())).toBe(1);
    const sick = new StubHttpServer((_req, res) => void res.writeHead(503).end());
    await sick.start();
    try {
      expect(await runHealthcheck(argv, sick.port)).toBe(1);
    } finally {
      await sick.close();
    }
  });

  it('the compose health check of the service passes against the service and fails without it', async () => {
    const [form, ...argv] = compose.services.api.healthcheck.test as string[];
    expect(form).toBe('CMD');
    expect(await runHealthcheck(argv, port)).toBe(0);
    expect(await runHealthcheck(argv, await freePort())).toBe(1);
  });
});

describe('docker-compose.yml', () => {
  const { api, redis } = compose.services;

  it('builds the service from the Dockerfile and runs it next to Redis', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'redis', 'worker']);
    expect(api.build).toEqual({ context: '.', dockerfile: 'Dockerfile' });
    expect(api.ports).toEqual(['8000:8000']);
    expect(redis.image).toMatch(/^redis:\d/);
    expect(api.depends_on).toEqual({ redis: { condition: 'service_healthy' } });
    expect(redis.healthcheck.test[0]).toBe('CMD-SHELL');
    expect(redis.healthcheck.test[1]).toMatch(/redis-cli .*ping \| grep -q PONG$/);
  });

  it('the worker is the same image with MFN_ROLE=worker, the same settings and secrets, and no published port', () => {
    const { worker } = compose.services;
    expect(api.environment.MFN_ROLE).toBe('api');
    expect(worker.environment.MFN_ROLE).toBe('worker');
    expect(worker.image).toBe(api.image);
    // Built once by the api service; the worker must not try to pull it.
    expect(worker.build).toBeUndefined();
    expect(worker.pull_policy).toBe('never');
    expect(worker.ports).toBeUndefined();
    const { MFN_ROLE: _apiRole, ...apiRest } = api.environment as Record<string, string>;
    const { MFN_ROLE: _workerRole, ...workerRest } = worker.environment as Record<string, string>;
    expect(workerRest).toEqual(apiRest);
    expect(worker.secrets).toEqual(api.secrets);
    expect(worker.user).toBe(api.user);
    expect(worker.tmpfs).toEqual(api.tmpfs);
    expect(worker.depends_on).toEqual({ redis: { condition: 'service_healthy' } });
    // Its health check asks the liveness route a worker serves (it has no /health).
    const [form, ...argv] = worker.healthcheck.test as string[];
    expect(form).toBe('CMD');
    expect(argv.join(' ')).toContain("path:'/health/live'");
    expect(argv.join(' ').replace("path:'/health/live'", "path:'/health'")).toBe((api.healthcheck.test as string[]).slice(1).join(' '));
    const grace = /^(\d+)s$/.exec(worker.stop_grace_period as string);
    expect(Number(grace![1]) * 1000).toBeGreaterThan(Number(worker.environment.MFN_SHUTDOWN_TIMEOUT_MS));
  });

  it('Redis requires a password from a compose secret file; the service reads its Redis URL from another', () => {
    const [shell, flag, script] = redis.command as string[];
    expect([shell, flag]).toEqual(['sh', '-c']);
    expect(redis.secrets).toEqual(['mfn_redis_password']);
    expect(compose.secrets.mfn_redis_password.file).toBe('./secrets/redis_password');
    expect(script).toContain('--requirepass "$$(cat /run/secrets/mfn_redis_password)"');
    expect(redis.healthcheck.test[1]).toContain('REDISCLI_AUTH="$$(cat /run/secrets/mfn_redis_password)"');

    expect(api.environment.MFN_REDIS_URL).toBeUndefined();
    const urlFile = api.environment.MFN_REDIS_URL_FILE as string;
    const secret = urlFile.replace(/^\/run\/secrets\//, '');
    expect(api.secrets).toContain(secret);
    // eslint-disable-next-line security/detect-object-injection -- `secret` is a name read from the repository's docker-compose.yml
    expect(compose.secrets[secret].file).toBe('./secrets/redis_url');
    expect(api.environment.MFN_RATE_LIMIT_BACKEND).toBe('redis');
  });

  it('holds no password and needs no variables: every $ is escaped as $$ (`docker compose config` interpolates nothing)', () => {
    const body = composeText
      .split('\n')
      .filter((l) => !l.trimStart().startsWith('#'))
      .join('\n');
    expect(body.replace(/\$\$/g, '')).not.toContain('$');
    expect(body).not.toMatch(/requirepass\s+[^"\s]/);
    expect(body).not.toMatch(/redis:\/\/[^\s]*@/);
  });

  it('the documented set-up commands create every secret file, the Redis URL holding the Redis password', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfn-compose-setup-'));
    try {
      const commands = documentedCommands(composeText, 'docker compose up');
      expect((await runShell(commands.join('\n'), { cwd: dir })).code).toBe(0);
      for (const { file } of Object.values(compose.secrets) as { file: string }[]) {
        expect({ file, exists: existsSync(join(dir, file)) }).toEqual({ file, exists: true });
      }
      const password = readFileSync(join(dir, 'secrets/redis_password'), 'utf8').trim();
      expect(password).toMatch(/^[0-9a-f]{64}$/);
      const url = new URL(readFileSync(join(dir, 'secrets/redis_url'), 'utf8').trim());
      expect({ protocol: url.protocol, host: url.host, password: url.password }).toEqual({ protocol: 'redis:', host: 'redis:6379', password });
      expect(Object.keys(compose.services)).toContain(url.hostname);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('mounts the API key as a secret file, never as a literal value', () => {
    const keyFile = api.environment.MFN_API_KEY_FILE as string;
    const [secretName] = api.secrets as string[];
    expect(keyFile).toBe(`/run/secrets/${secretName}`);
    // eslint-disable-next-line security/detect-object-injection -- `secretName` is a name read from the repository's docker-compose.yml
    expect(compose.secrets[secretName].file).toMatch(/^\.\/secrets\//);
    expect(api.environment.MFN_API_KEY).toBeUndefined();
    expect(api.environment.MFN_API_KEYS).toBeUndefined();
    expect(readFileSync(join(REPO_ROOT, '.gitignore'), 'utf8').split('\n')).toContain('secrets/');
  });

  it('runs both containers non-root on a read-only root filesystem, with /tmp as tmpfs for the service', () => {
    expect(api.user).toBe('1000:1000');
    for (const service of [api, compose.services.worker, redis]) {
      expect(service.read_only).toBe(true);
      expect(service.cap_drop).toEqual(['ALL']);
      expect(service.security_opt).toContain('no-new-privileges:true');
      expect(service.user).not.toMatch(/^0(:|$)|^root/);
    }
    expect((api.tmpfs as string[]).some((t) => t.split(':')[0] === '/tmp')).toBe(true);
  });

  it('gives in-flight requests time to drain before the container is killed', () => {
    const grace = /^(\d+)s$/.exec(api.stop_grace_period as string);
    expect(grace).not.toBeNull();
    expect(Number(grace![1]) * 1000).toBeGreaterThan(Number(api.environment.MFN_SHUTDOWN_TIMEOUT_MS));
  });

  it('its environment is a valid production configuration with only known variables', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfn-compose-'));
    try {
      const keyFile = join(dir, 'api_key');
      writeFileSync(keyFile, 'a-strong-api-key-of-at-least-32-characters\n');
      const env = { ...runtimeEnv(), ...api.environment, MFN_API_KEY_FILE: keyFile } as Record<string, string>;
      expect(unknownVariables(env)).toEqual([]);
      const config = loadConfig(env);
      expect(config.env).toBe('prod');
      expect(config.auth.required).toBe(true);
      expect(config.rateLimit).toMatchObject({ enabled: true, backend: 'redis' });
      expect(api.environment.HOST).toBe('0.0.0.0');
      expect(config.http.host).toBe('0.0.0.0');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('docker-compose.yml: the Redis command and health check, run for real', () => {
  const { redis } = compose.services;
  const password = 'compose-test-password-0123456789abcdef';
  let dir: string;
  let port: number;
  let server: ChildProcess;

  /** A compose string as the container runs it: here the secrets are files in `secrets`, and Redis listens on `port`. */
  const asRun = (value: string, secrets: string) =>
    composeUnescape(value)
      .replaceAll('/run/secrets/', `${secrets}/`)
      .replace('--port 6379', `--port ${port}`)
      .replace('-p 6379', `-p ${port}`);

  function secretsWith(name: string, value: string): string {
    const path = join(dir, name);
    mkdirSync(path);
    writeFileSync(join(path, 'mfn_redis_password'), `${value}\n`);
    return path;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mfn-compose-redis-'));
    port = await freePort();
    const secrets = secretsWith('right', password);
    // exec: the shell becomes redis-server, so this child's pid is the server's.
    server = spawn('sh', ['-c', `${asRun(redis.command[2], secrets)} --bind 127.0.0.1 --dir ${dir}`], { cwd: dir, stdio: 'ignore' });
    await waitFor(
      () =>
        new Promise<true | undefined>((resolve) => {
          const socket = net.connect({ host: '127.0.0.1', port }, () => {
            socket.destroy();
            resolve(true);
          });
          socket.on('error', () => resolve(undefined));
        }),
      'the compose Redis command to listen',
    );
  });
  afterAll(async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      await new Promise<void>((resolve) => {
        server.once('exit', () => resolve());
        server.kill('SIGKILL');
      });
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('the server refuses commands without the password from the secret file and answers with it', async () => {
    // No ready check and RESP2 (no HELLO handshake): either would already fail on NOAUTH; the
    // command itself must be refused.
    const anonymous = new IORedis({ host: '127.0.0.1', port, lazyConnect: true, enableReadyCheck: false, maxRetriesPerRequest: 0, protocol: 2 });
    await anonymous.connect();
    await expect(anonymous.ping()).rejects.toThrow(/^NOAUTH/);
    anonymous.disconnect();
    const client = new IORedis({ host: '127.0.0.1', port, password, lazyConnect: true, maxRetriesPerRequest: 0 });
    await client.connect();
    expect(await client.ping()).toBe('PONG');
    client.disconnect();
  });

  it('the health check passes with the password from the secret file, and fails with another one', async () => {
    const [form, script] = redis.healthcheck.test as string[];
    expect(form).toBe('CMD-SHELL');
    expect((await runShell(asRun(script, join(dir, 'right')))).code).toBe(0);
    expect((await runShell(asRun(script, secretsWith('wrong', 'not-the-password')))).code).toBe(1);
  });
});
