/* eslint-disable security/detect-non-literal-fs-filename -- test code: writes only into the temporary directories it creates */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { ThrowawayRedis } from './redis-server';
import { freePort } from './service-process';
import { until } from './until';

const run = promisify(execFile);

/** A one-off question to one server (a fresh connection, closed again). */
export async function ask(port: number, ...args: string[]): Promise<unknown> {
  const redis = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  try {
    await redis.connect();
    return await redis.call(args[0]!, ...args.slice(1));
  } finally {
    redis.disconnect();
  }
}

const answers = async (port: number, ...args: string[]): Promise<unknown> => ask(port, ...args).catch(() => undefined);

/** A throwaway Sentinel set: one master, one replica and `sentinels` Sentinels watching them. */
export class SentinelSet {
  private constructor(
    readonly master: ThrowawayRedis,
    readonly replica: ThrowawayRedis,
    readonly sentinelPorts: number[],
    private readonly children: ChildProcess[],
    private readonly dirs: string[],
    readonly name: string,
  ) {}

  static async start(sentinels = 2, name = 'mfnmaster'): Promise<SentinelSet> {
    const master = await ThrowawayRedis.start();
    const replica = await ThrowawayRedis.start({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    const ports: number[] = [];
    const children: ChildProcess[] = [];
    const dirs: string[] = [];
    for (let i = 0; i < sentinels; i++) {
      const port = await freePort();
      const dir = mkdtempSync(join(tmpdir(), 'mfn-sentinel-'));
      const conf = join(dir, 'sentinel.conf');
      writeFileSync(
        conf,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${dir}`,
          `sentinel monitor ${name} 127.0.0.1 ${master.port} 1`,
          `sentinel down-after-milliseconds ${name} 2000`,
          `sentinel failover-timeout ${name} 10000`,
          '',
        ].join('\n'),
      );
      children.push(spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' }));
      ports.push(port);
      dirs.push(dir);
    }
    const set = new SentinelSet(master, replica, ports, children, dirs, name);
    await until('replica in sync', async () => /master_link_status:up/.test(String(await answers(replica.port, 'INFO', 'replication'))), 30_000, 100);
    for (const port of ports) {
      await until(
        'sentinel knows the replica',
        async () => {
          const replicas = await answers(port, 'SENTINEL', 'REPLICAS', name);
          return Array.isArray(replicas) && replicas.length > 0;
        },
        40_000,
        200,
      );
    }
    return set;
  }

  /** The URL of the set for the service (`redis+sentinel://…/<name>/<db>`). */
  url(db = 0): string {
    return `redis+sentinel://${this.sentinelPorts.map((p) => `127.0.0.1:${p}`).join(',')}/${this.name}/${db}`;
  }

  /** The port the Sentinels currently name as master. */
  async masterPort(): Promise<number | undefined> {
    const reply = await answers(this.sentinelPorts[0]!, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', this.name);
    return Array.isArray(reply) ? Number(reply[1]) : undefined;
  }

  /**
   * Forces a failover and waits until it is complete: the Sentinels name the other server, it is
   * a master, and the former master has been turned into its replica (writes that reached the
   * former master before that are lost, as in any Sentinel failover).
   */
  async failover(): Promise<number> {
    const before = await this.masterPort();
    await ask(this.sentinelPorts[0]!, 'SENTINEL', 'FAILOVER', this.name);
    let after: number | undefined;
    await until(
      'sentinel failover',
      async () => {
        after = await this.masterPort();
        if (after === undefined || after === before) return false;
        if (!/role:master/.test(String(await answers(after, 'INFO', 'replication')))) return false;
        const former = String(await answers(before!, 'INFO', 'replication'));
        const lines = former.split(/\r?\n/);
        return lines.includes('role:slave') && lines.includes(`master_port:${after}`) && lines.includes('master_link_status:up');
      },
      60_000,
      200,
    );
    return after!;
  }

  async dispose(): Promise<void> {
    await Promise.all(
      this.children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
    await Promise.all([this.master.dispose(), this.replica.dispose()]);
  }
}

/** A throwaway Redis Cluster of `masters` masters (no replicas), every slot assigned. */
export class ThrowawayCluster {
  private constructor(readonly nodes: ThrowawayRedis[]) {}

  static async start(masters = 3): Promise<ThrowawayCluster> {
    const nodes: ThrowawayRedis[] = [];
    for (let i = 0; i < masters; i++) {
      nodes.push(await ThrowawayRedis.start({ args: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '5000'] }));
    }
    const cluster = new ThrowawayCluster(nodes);
    await run('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes']);
    for (const node of nodes) {
      await until('cluster state ok', async () => /cluster_state:ok/.test(String(await answers(node.port, 'CLUSTER', 'INFO'))), 30_000, 100);
    }
    return cluster;
  }

  /** The URL for the service: two of the nodes as seeds (the client discovers the rest). */
  get url(): string {
    return `redis+cluster://${this.nodes
      .slice(0, 2)
      .map((n) => `127.0.0.1:${n.port}`)
      .join(',')}`;
  }

  /** Every key on every node matching `pattern` (KEYS is fine on a throwaway server). */
  async keys(pattern: string): Promise<string[]> {
    const perNode = await Promise.all(this.nodes.map(async (n) => ((await ask(n.port, 'KEYS', pattern)) as string[]) ?? []));
    return perNode.flat();
  }

  async keyslot(key: string): Promise<number> {
    return Number(await ask(this.nodes[0]!.port, 'CLUSTER', 'KEYSLOT', key));
  }

  async dispose(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.dispose()));
  }
}
