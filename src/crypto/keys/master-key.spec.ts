import { randomBytes } from 'node:crypto';
import { MasterKeyError, resolveMasterKey } from './master-key';

describe('resolveMasterKey', () => {
  it('decodes base64 of 32 bytes (surrounding whitespace from files is ignored)', () => {
    const raw = randomBytes(32);
    const key = resolveMasterKey(`${raw.toString('base64')}\n`, 'prod');
    expect(key.generated).toBe(false);
    expect(key.bytes.equals(raw)).toBe(true);
  });

  it('is required in prod, with a message that names the secret', () => {
    expect(() => resolveMasterKey(undefined, 'prod')).toThrow(MasterKeyError);
    expect(() => resolveMasterKey('  ', 'prod')).toThrow(/MFN_MASTER_KEY is required in prod/);
  });

  it('generates a random key elsewhere', () => {
    for (const env of ['dev', 'staging']) {
      const a = resolveMasterKey(undefined, env);
      const b = resolveMasterKey(undefined, env);
      expect(a.generated).toBe(true);
      expect(a.bytes.length).toBe(32);
      expect(a.bytes.equals(b.bytes)).toBe(false);
    }
  });

  it.each([
    ['too short', randomBytes(16).toString('base64')],
    ['too long', randomBytes(48).toString('base64')],
    ['not base64', 'this is not a base64 master key at all, nope!!'],
    ['hex instead of base64', randomBytes(32).toString('hex')],
  ])('refuses a key that is %s without echoing it', (_label, value) => {
    let message = '';
    try {
      resolveMasterKey(value, 'dev');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/MFN_MASTER_KEY must be standard base64 of exactly 32 bytes/);
    expect(message).not.toContain(value);
  });
});
