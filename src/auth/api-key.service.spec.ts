import { Test } from '@nestjs/testing';
import { ROOT_LOGGER } from '../common';
import { AppConfig, loadConfig } from '../config';
import { parseSecretList } from '../secrets/secret-list';
import { SecretsService } from '../secrets/secrets.service';
import { fingerprintOf } from './api-key-entries';
import { API_KEY_CLOCK, ApiKeyService } from './api-key.service';
import type { Clock } from './key-expiry';
import { Role } from './roles';
import { jsonLogger } from '../../test/helpers/json-logger';

/** Secrets as the SecretsService serves them, changeable at runtime like a refreshed backend. */
class FakeSecrets {
  values: Record<string, string> = {};
  private listeners = new Set<() => void>();

  getSecret(name: string): string | undefined {
    // eslint-disable-next-line security/detect-object-injection -- test double: `name` is a secret name the service under test asks for
    return this.values[name];
  }

  getList(name: string): string[] {
    // eslint-disable-next-line security/detect-object-injection -- test double: `name` is a secret name the service under test asks for
    return parseSecretList(name, this.values[name]);
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

/** The service as the auth module provides it; `clock` replaces the system clock. */
async function build(env: Record<string, string>, values: Record<string, string>, clock?: Clock) {
  const { logger, lines } = jsonLogger({ level: 'debug' });
  const secrets = new FakeSecrets();
  secrets.values = values;
  const config = loadConfig({ MFN_API_KEY: 'x'.repeat(40), ...env });
  let builder = Test.createTestingModule({
    providers: [
      ApiKeyService,
      { provide: API_KEY_CLOCK, useValue: Date.now },
      { provide: AppConfig, useValue: config },
      { provide: SecretsService, useValue: secrets },
      { provide: ROOT_LOGGER, useValue: logger },
    ],
  });
  if (clock) builder = builder.overrideProvider(API_KEY_CLOCK).useValue(clock);
  const moduleRef = await builder.compile();
  return { service: moduleRef.get(ApiKeyService), secrets, lines };
}

describe('ApiKeyService', () => {
  it('tells missing, invalid and valid keys apart and returns the principal', async () => {
    const { service } = await build({ MFN_ENV: 'prod' }, { MFN_API_KEY: KEY_A, MFN_API_KEYS: `batch:${KEY_B}:compute` });
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

  it('treats non-ASCII, over-long and repeated headers as invalid, never as an error', async () => {
    const { service } = await build({}, { MFN_API_KEY: KEY_A });
    service.onModuleInit();
    expect(service.check('ключ').status).toBe('invalid');
    expect(service.check(`${KEY_A}\u00e9`).status).toBe('invalid');
    expect(service.check('a'.repeat(257)).status).toBe('invalid');
    expect(service.check([KEY_A, KEY_A]).status).toBe('invalid');
  });

  it('keeps only digests: the key text is not reachable from the service', async () => {
    const { service } = await build({}, { MFN_API_KEY: KEY_A });
    service.onModuleInit();
    const seen: unknown[] = [];
    const walk = (v: unknown, depth: number) => {
      if (depth > 6 || v === null || typeof v !== 'object') return seen.push(v);
      for (const x of Object.values(v as Record<string, unknown>)) walk(x, depth + 1);
    };
    walk((service as unknown as { keys: unknown }).keys, 0);
    expect(seen.some((v) => typeof v === 'string' && v.includes(KEY_A))).toBe(false);
  });

  it('stops start-up when authentication is required and no key is configured', async () => {
    const { service } = await build({ MFN_ENV: 'staging' }, {});
    expect(() => service.onModuleInit()).toThrow(/API key authentication is required but no API keys were provided/);
  });

  it('rotates keys when the secrets change, and keeps the old set when the new one is refused', async () => {
    const { service, secrets, lines } = await build({ MFN_ENV: 'prod' }, { MFN_API_KEY: KEY_A });
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

  it('a broken JSON list never puts key text into the error', async () => {
    const { service } = await build({}, { MFN_API_KEYS: `["${KEY_A}", ` });
    let message = '';
    try {
      service.onModuleInit();
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/MFN_API_KEYS starts with '\[' but is not a valid JSON array/);
    expect(message).not.toContain(KEY_A);
  });

  it('refuses a truncated JSON array instead of reading its pieces as CSV keys', async () => {
    // Read as CSV, this would have become the keys `["aaa…"` and `{"key":"bbb…"`.
    for (const raw of [`["${KEY_A}", {"key": "${KEY_B}"`, `["${KEY_A}"`, `[${KEY_A}]`]) {
      const { service } = await build({}, { MFN_API_KEYS: raw });
      expect(() => service.onModuleInit()).toThrow(/not a valid JSON array/);
    }
  });
});

describe('ApiKeyService: key expiry', () => {
  const DAY = 24 * 60 * 60 * 1000;
  const NOW = Date.parse('2026-03-01T12:00:00Z');
  const entry = (key: string, extra: Record<string, unknown>) => JSON.stringify({ key, ...extra });

  /** A clock the test moves by hand. */
  function manualClock(start: number): Clock & { set(ms: number): void } {
    let now = start;
    return Object.assign(() => now, { set: (ms: number) => void (now = ms) });
  }

  it('refuses an expired key with its own status, while a wrong key stays invalid', async () => {
    const keys = `[${entry(KEY_A, { id: 'old', expires: '2026-02-01T00:00:00Z' })}, ${entry(KEY_B, { id: 'new' })}]`;
    const { service } = await build({}, { MFN_API_KEYS: keys }, () => NOW);
    service.onModuleInit();
    expect(service.check(KEY_A).status).toBe('expired');
    expect(service.check(`${KEY_A}x`).status).toBe('invalid');
    expect(service.check(KEY_B).status).toBe('valid');
  });

  it('a key stops working at its expires instant while the service runs, without a reload', async () => {
    const clock = manualClock(NOW);
    const expires = '2026-03-01T13:30:00+01:00'; // 12:30 UTC
    const { service } = await build({}, { MFN_API_KEYS: `{"keys": [${entry(KEY_A, { id: 'ci', expires })}]}` }, clock);
    service.onModuleInit();
    expect(service.check(KEY_A).status).toBe('valid');
    clock.set(Date.parse('2026-03-01T12:29:59.999Z'));
    expect(service.check(KEY_A).status).toBe('valid');
    clock.set(Date.parse('2026-03-01T12:30:00Z'));
    expect(service.check(KEY_A).status).toBe('expired');
    clock.set(NOW + DAY);
    expect(service.check(KEY_A).status).toBe('expired');
  });

  it('a date-only expires means the end of that UTC day', async () => {
    const clock = manualClock(Date.parse('2026-03-01T23:59:59.999Z'));
    const { service } = await build({}, { MFN_API_KEYS: `[${entry(KEY_A, { expires: '2026-03-01' })}]` }, clock);
    service.onModuleInit();
    expect(service.check(KEY_A).status).toBe('valid');
    clock.set(Date.parse('2026-03-02T00:00:00Z'));
    expect(service.check(KEY_A).status).toBe('expired');
  });

  it('warns at start-up about keys expiring within 14 days or expired, naming the entry, never the key', async () => {
    const keys = [
      entry(KEY_A, { id: 'ci-deploy', expires: new Date(NOW + 3 * DAY).toISOString() }),
      entry(KEY_B, { expires: new Date(NOW - DAY).toISOString() }),
      entry('c'.repeat(40), { id: 'later', expires: new Date(NOW + 15 * DAY).toISOString() }),
      entry('d'.repeat(40), { id: 'forever' }),
    ];
    const { service, lines } = await build({}, { MFN_API_KEYS: `[${keys.join(',')}]` }, () => NOW);
    service.onModuleInit();
    const warnings = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((r) => r.level === 40);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatchObject({
      entry: 'MFN_API_KEYS entry 1',
      id: 'ci-deploy',
      expires: '2026-03-04T12:00:00.000Z',
      expires_in_hours: 72,
      msg: 'API key MFN_API_KEYS entry 1 (id ci-deploy) expires within 14 days',
    });
    expect(warnings[1]).toMatchObject({ entry: 'MFN_API_KEYS entry 2', msg: 'API key MFN_API_KEYS entry 2 has expired and is refused' });
    expect(warnings[1].id).toBeUndefined();
    const all = lines.join('');
    for (const secret of [KEY_A, KEY_B, KEY_A.slice(0, 8), fingerprintOf(KEY_A), fingerprintOf(KEY_B)]) expect(all).not.toContain(secret);
  });

  it('repeats the warnings on every key reload', async () => {
    const clock = manualClock(NOW);
    const values = { MFN_API_KEYS: `[${entry(KEY_A, { id: 'ci', expires: new Date(NOW + 20 * DAY).toISOString() })}]` };
    const { service, secrets, lines } = await build({}, values, clock);
    service.onModuleInit();
    const expiring = () => lines.filter((l) => l.includes('expires within 14 days')).length;
    expect(expiring()).toBe(0);
    clock.set(NOW + 10 * DAY);
    secrets.rotate({ ...values });
    expect(expiring()).toBe(1);
    secrets.rotate({ ...values });
    expect(expiring()).toBe(2);
  });

  it('an unparsable expires stops start-up, naming the entry', async () => {
    for (const expires of ['2026-03-01T12:00:00', 'tomorrow', '2026-02-30', 1767225600000]) {
      const { service } = await build({}, { MFN_API_KEYS: `{"keys": [${entry(KEY_B, {})}, ${entry(KEY_A, { expires })}]}` });
      expect(() => service.onModuleInit()).toThrow(/^MFN_API_KEYS entry 2: "expires" must be an ISO 8601 timestamp with a time zone/);
    }
  });
});
