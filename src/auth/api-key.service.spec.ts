import pino from 'pino';
import { Writable } from 'node:stream';
import { loadConfig } from '../config';
import type { SecretsService } from '../secrets/secrets.service';
import { ApiKeyService } from './api-key.service';
import { Role } from './roles';

/** Secrets as the SecretsService serves them, changeable at runtime like a refreshed backend. */
class FakeSecrets {
  values: Record<string, string> = {};
  private listeners = new Set<() => void>();

  getSecret(name: string): string | undefined {
    return this.values[name];
  }

  getList(name: string): string[] {
    const raw = this.values[name];
    if (raw === undefined) return [];
    if (raw.trim().startsWith('[')) return (JSON.parse(raw) as unknown[]).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
    return raw.split(/[\n,]/).map((s) => s.trim()).filter((s) => s !== '');
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  rotate(values: Record<string, string>): void {
    this.values = values;
    for (const l of this.listeners) l();
  }
}

const KEY_A = 'a'.repeat(40);
const KEY_B = 'b'.repeat(40);

function build(env: Record<string, string>, values: Record<string, string>) {
  const lines: string[] = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    }),
  );
  const secrets = new FakeSecrets();
  secrets.values = values;
  const config = loadConfig({ MFN_API_KEY: 'x'.repeat(40), ...env });
  const service = new ApiKeyService(config, secrets as unknown as SecretsService, logger);
  return { service, secrets, lines };
}

describe('ApiKeyService', () => {
  it('tells missing, invalid and valid keys apart and returns the principal', () => {
    const { service } = build({ MFN_ENV: 'prod' }, { MFN_API_KEY: KEY_A, MFN_API_KEYS: `batch:${KEY_B}:compute` });
    service.onModuleInit();
    expect(service.size).toBe(2);
    expect(service.check(undefined).status).toBe('missing');
    expect(service.check('').status).toBe('missing');
    expect(service.check('nope').status).toBe('invalid');
    expect(service.check(`${KEY_A}x`).status).toBe('invalid');
    expect(service.check(KEY_A.slice(1)).status).toBe('invalid');
    const a = service.check(KEY_A);
    const b = service.check(KEY_B);
    expect(a.status === 'valid' && a.principal.roles.has(Role.ADMIN)).toBe(true);
    expect(b.status === 'valid' && b.principal.id === 'batch' && [...b.principal.roles]).toEqual([Role.COMPUTE]);
  });

  it('treats non-ASCII, over-long and repeated headers as invalid, never as an error', () => {
    const { service } = build({}, { MFN_API_KEY: KEY_A });
    service.onModuleInit();
    expect(service.check('ключ').status).toBe('invalid');
    expect(service.check(`${KEY_A}\u00e9`).status).toBe('invalid');
    expect(service.check('a'.repeat(257)).status).toBe('invalid');
    expect(service.check([KEY_A, KEY_A]).status).toBe('invalid');
  });

  it('keeps only digests: the key text is not reachable from the service', () => {
    const { service } = build({}, { MFN_API_KEY: KEY_A });
    service.onModuleInit();
    const seen: unknown[] = [];
    const walk = (v: unknown, depth: number) => {
      if (depth > 6 || v === null || typeof v !== 'object') return seen.push(v);
      for (const x of Object.values(v as Record<string, unknown>)) walk(x, depth + 1);
    };
    walk((service as unknown as { keys: unknown }).keys, 0);
    expect(seen.some((v) => typeof v === 'string' && v.includes(KEY_A))).toBe(false);
  });

  it('stops start-up when authentication is required and no key is configured', () => {
    const { service } = build({ MFN_ENV: 'staging' }, {});
    expect(() => service.onModuleInit()).toThrow(/API key authentication is required but no API keys were provided/);
  });

  it('rotates keys when the secrets change, and keeps the old set when the new one is refused', () => {
    const { service, secrets, lines } = build({ MFN_ENV: 'prod' }, { MFN_API_KEY: KEY_A });
    service.onModuleInit();
    expect(service.check(KEY_A).status).toBe('valid');

    secrets.rotate({ MFN_API_KEYS: `${KEY_A},${KEY_B}` });
    expect(service.check(KEY_A).status).toBe('valid');
    expect(service.check(KEY_B).status).toBe('valid');

    secrets.rotate({ MFN_API_KEY: KEY_B });
    expect(service.check(KEY_A).status).toBe('invalid');
    expect(service.check(KEY_B).status).toBe('valid');

    secrets.rotate({ MFN_API_KEY: 'too-short-for-prod' });
    expect(service.check(KEY_B).status).toBe('valid');
    expect(service.check('too-short-for-prod').status).toBe('invalid');
    const all = lines.join('');
    expect(all).toMatch(/API key reload refused/);
    expect(all).not.toContain('too-short-for-prod');
    expect(all).not.toContain(KEY_A);
    expect(all).not.toContain(KEY_B);
  });

  it('a broken JSON list never puts key text into the error', () => {
    const { service } = build({}, { MFN_API_KEYS: `["${KEY_A}", ` });
    let message = '';
    try {
      service.onModuleInit();
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/MFN_API_KEYS could not be parsed/);
    expect(message).not.toContain(KEY_A);
  });
});
