import request from 'supertest';
import type { TestApp } from './test-app';

/** Helpers shared by the crypto e2e suites. */
export const b64 = (s: string | Buffer): string => Buffer.from(s).toString('base64');

/** Splits `mfn:v<N>:<base64>` into its version and raw bytes. */
export function splitVersioned(value: string): { version: number; bytes: Buffer } {
  const m = /^mfn:v(\d+):([A-Za-z0-9+/=]+)$/.exec(value);
  if (!m) throw new Error(`not a versioned value: ${value.slice(0, 20)}`);
  return { version: Number(m[1]), bytes: Buffer.from(m[2], 'base64') };
}

export function versioned(version: number, bytes: Buffer): string {
  return `mfn:v${version}:${bytes.toString('base64')}`;
}

export function post(t: TestApp, path: string, body: unknown) {
  return request(t.server).post(path).set('Content-Type', 'application/json').send(JSON.stringify(body));
}

/** Audit records (parsed JSON log lines of the audit logger) with the given action. */
export function auditEvents(t: TestApp, action: string): Record<string, unknown>[] {
  return t.logs.records().filter((r) => r.logger === 'mfn.security.audit' && r.action === action);
}
