/* eslint-disable security/detect-non-literal-fs-filename -- test code: writes only into the temporary directory the suite creates */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisConfigError, readCaBundle, redisTlsOptions } from './redis-tls';

describe('Redis TLS options', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mfn-redis-tls-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const messageOf = (fn: () => unknown): string => {
    try {
      fn();
    } catch (err) {
      expect(err).toBeInstanceOf(RedisConfigError);
      return (err as Error).message;
    }
    throw new Error('expected a RedisConfigError');
  };

  it('is plain TCP for redis:// and verified TLS for rediss://', () => {
    expect(redisTlsOptions('redis://:pw@h:6379/0', {})).toBeUndefined();
    expect(redisTlsOptions('rediss://:pw@h:6380/0', {})).toEqual({ rejectUnauthorized: true });
    expect(redisTlsOptions('REDISS://h:6380/0', { tlsServername: 'cache.internal' })).toEqual({
      rejectUnauthorized: true,
      servername: 'cache.internal',
    });
  });

  it('refuses TLS settings next to a plain redis:// URL, without quoting the URL', () => {
    const message = messageOf(() => redisTlsOptions('redis://:s3cret@h:6379/0', { tlsCaFile: '/x.pem', tlsServername: 'h' }));
    expect(message).toBe(
      'MFN_REDIS_TLS_CA_FILE and MFN_REDIS_TLS_SERVERNAME set, but MFN_REDIS_URL does not use rediss:// (TLS): use rediss:// or unset them',
    );
    expect(message).not.toContain('s3cret');
  });

  it('names the variable and the reason for a CA file it cannot use', () => {
    expect(messageOf(() => readCaBundle(join(dir, 'missing.pem')))).toBe('MFN_REDIS_TLS_CA_FILE names a file that does not exist');
    expect(messageOf(() => readCaBundle(dir))).toBe('MFN_REDIS_TLS_CA_FILE does not name a regular file');
    const text = join(dir, 'text.pem');
    writeFileSync(text, 'not a certificate\n');
    expect(messageOf(() => readCaBundle(text))).toMatch(/^MFN_REDIS_TLS_CA_FILE holds no PEM certificate/);
    const broken = join(dir, 'broken.pem');
    writeFileSync(broken, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    expect(messageOf(() => readCaBundle(broken))).toBe('MFN_REDIS_TLS_CA_FILE holds an invalid certificate (number 1 in the file)');
    expect(messageOf(() => redisTlsOptions('rediss://h:6380/0', { tlsCaFile: broken }))).toMatch(/^MFN_REDIS_TLS_CA_FILE /);
  });
});
