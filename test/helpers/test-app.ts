import type { NestExpressApplication } from '@nestjs/platform-express';
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
  /** The underlying HTTP server, for supertest. */
  server: ReturnType<NestExpressApplication['getHttpServer']>;
  config: AppConfig;
  logs: LogCapture;
  close(): Promise<void>;
}

/**
 * Builds the real app from an environment (as the process would see it) with logs captured.
 * Defaults: dev profile, JSON logs, everything else as the service defaults.
 */
export async function createTestApp(env: Record<string, string | undefined> = {}): Promise<TestApp> {
  const config = loadConfig({ MFN_LOG_FORMAT: 'json', ...env });
  const logs = new LogCapture();
  const { app } = await createApp(config, { logDestination: logs });
  return {
    app,
    server: app.getHttpServer(),
    config,
    logs,
    close: () => app.close(),
  };
}

/** A fixed master key for prod-profile test apps (prod refuses to start without one). */
export const TEST_MASTER_KEY = Buffer.alloc(32, 0x5a).toString('base64');
