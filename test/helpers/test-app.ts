import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createApp } from '../../src/app.factory';
import { AppConfig, loadConfig } from '../../src/config';

/** Captures every log line an app writes (JSON or text) for assertions. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];

  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    for (const line of chunk.toString().split('\n')) if (line.trim() !== '') this.lines.push(line);
    cb();
  }

  /** Lines parsed as JSON (text lines are skipped). */
  records(): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (const line of this.lines) {
      try {
        out.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // text-format line
      }
    }
    return out;
  }

  text(): string {
    return this.lines.join('\n');
  }
}

export interface TestApp {
  app: NestExpressApplication;
  /** The service's HTTP server, for supertest (it listens on a port of its own when asked). */
  server: Server;
  config: AppConfig;
  logs: LogCapture;
  /** Listens on an ephemeral loopback port and returns the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/**
 * Builds the real app from an environment (as the process would see it) with logs captured.
 * Defaults: dev profile, JSON logs, everything else as the service defaults.
 */
export async function createTestApp(env: Record<string, string | undefined> = {}): Promise<TestApp> {
  // The job queue stays in the process unless a suite asks for BullMQ (MFN_JOBS_BACKEND=redis):
  // suites of other components point MFN_REDIS_URL at servers they stop or never start, and
  // BullMQ's event stream cannot be closed while its Redis is unreachable.
  const config = loadConfig({ MFN_LOG_FORMAT: 'json', MFN_JOBS_BACKEND: 'memory', ...env });
  const logs = new LogCapture();
  const service = await createApp(config, { logDestination: logs });
  return {
    app: service.app,
    server: service.server,
    config,
    logs,
    listen: async () => {
      await service.listen(0, '127.0.0.1');
      return `http://127.0.0.1:${(service.server.address() as AddressInfo).port}`;
    },
    close: () => service.close(),
  };
}

/** A fixed master key for prod-profile test apps (prod refuses to start without one). */
export const TEST_MASTER_KEY = Buffer.alloc(32, 0x5a).toString('base64');
