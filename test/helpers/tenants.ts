import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { TestApp } from './test-app';

/** API keys of the tenancy suites: two tenants, a crypto-only key of tenant-b, and a keys-admin of its own tenant. */
export const TENANT_KEYS = {
  a: randomBytes(24).toString('hex'),
  b: randomBytes(24).toString('hex'),
  bCrypto: randomBytes(24).toString('hex'),
  ops: randomBytes(24).toString('hex'),
};

export const TENANT_ENV: Record<string, string> = {
  MFN_API_KEY_REQUIRED: 'true',
  MFN_API_KEYS: JSON.stringify({
    keys: [
      { id: 'tenant-a', key: TENANT_KEYS.a },
      { id: 'tenant-b', key: TENANT_KEYS.b },
      { id: 'b-crypto', tenant: 'tenant-b', key: TENANT_KEYS.bCrypto, roles: ['crypto'] },
      { id: 'ops', key: TENANT_KEYS.ops, roles: ['keys', 'keys-admin', 'crypto'] },
    ],
  }),
};

/** A client for one API key: POST with a JSON body, GET, PUT and DELETE. */
export function as(t: TestApp, key: string) {
  return {
    post: (path: string, body: unknown) => request(t.server).post(path).set('X-API-Key', key).set('Content-Type', 'application/json').send(JSON.stringify(body)),
    put: (path: string, body: unknown) => request(t.server).put(path).set('X-API-Key', key).set('Content-Type', 'application/json').send(JSON.stringify(body)),
    get: (path: string) => request(t.server).get(path).set('X-API-Key', key),
    delete: (path: string) => request(t.server).delete(path).set('X-API-Key', key),
  };
}

/** The parts of an error answer that must not tell a foreign key from a missing one. */
export function errorShape(res: { status: number; body: Record<string, unknown> }, id: string, stand: string): unknown {
  return { status: res.status, code: res.body.error_code, message: String(res.body.message).replace(id, stand) };
}
