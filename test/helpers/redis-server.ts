import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './service-process';
import { until } from './until';

/**
 * A throwaway redis-server on a free local port or a unix socket (nothing persisted), for tests
 * that must not share state with the common Redis or that stop and restart it.
 */
export interface ThrowawayRedisOptions {
  /** Keep the data across stop/resume (append-only file, fsync on every write). */
  persist?: boolean;
  /** `--requirepass`: clients must AUTH with it. */
  password?: string;
  /** TLS only (no plaintext port), with this server certificate; clients need no certificate. */
  tls?: { certFile: string; keyFile: string; caFile: string };
  /** More server arguments (e.g. a manifest's), placed before the port, address and directory of the test. */
  args?: string[];
  /** Listen on a unix socket in the server's directory (mode 700) instead of a TCP port. */
  unixSocket?: boolean;
}

export class ThrowawayRedis {
  private child?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'mfn-ops-redis-'));

  private constructor(
    readonly port: number,
    private readonly options: ThrowawayRedisOptions,
  ) {}

  static async start(options: ThrowawayRedisOptions = {}): Promise<ThrowawayRedis> {
    const redis = new ThrowawayRedis(await freePort(), options);
    await redis.resume();
    return redis;
  }

  /** Path of the unix socket (with `unixSocket`): what MFN_REDIS_URL and clients are given. */
  get socket(): string {
    return join(this.dir, 'redis.sock');
  }

  /** The URL a client uses: `rediss://` with TLS, the password in it when there is one. */
  get url(): string {
    return this.urlWith(this.options.password);
  }

  /** The same server with other credentials (`user` for an ACL user), to test refusals. */
  urlWith(password: string | undefined, user = ''): string {
    const scheme = this.options.tls ? 'rediss' : 'redis';
    const auth = password === undefined ? '' : `${encodeURIComponent(user)}:${encodeURIComponent(password)}@`;
    return `${scheme}://${auth}127.0.0.1:${this.port}/0`;
  }

  /** Starts the server (again) on the same port and waits until it accepts connections. */
  async resume(): Promise<void> {
    const { persist, password, tls, unixSocket, args: extra = [] } = this.options;
    const durability = persist ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
    const listen = unixSocket
      ? ['--port', '0', '--unixsocket', this.socket, '--unixsocketperm', '700']
      : tls
        ? ['--port', '0', '--tls-port', String(this.port), '--tls-auth-clients', 'no']
            .concat(['--tls-cert-file', tls.certFile, '--tls-key-file', tls.keyFile, '--tls-ca-cert-file', tls.caFile])
        : ['--port', String(this.port)];
    const auth = password === undefined ? [] : ['--requirepass', password];
    const args = ['--save', '', ...durability, ...auth, ...extra, ...listen, '--bind', '127.0.0.1', '--dir', this.dir];
    this.child = spawn('redis-server', args, { stdio: 'ignore' });
    const address = unixSocket ? { path: this.socket } : { host: '127.0.0.1', port: this.port };
    await until(
      'redis-server start-up',
      () =>
        new Promise<boolean>((resolve) => {
          const socket = net.connect(address, () => {
            socket.destroy();
            resolve(true);
          });
          socket.on('error', () => resolve(false));
        }),
      15_000,
      50,
    );
  }

  /** Kills the server (by its own pid) and waits for it to be gone. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  /** Freezes the server (SIGSTOP): connections stay open, commands go unanswered. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  /** Lets a paused server run again (SIGCONT). */
  unpause(): void {
    this.child?.kill('SIGCONT');
  }

  async dispose(): Promise<void> {
    this.unpause();
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
