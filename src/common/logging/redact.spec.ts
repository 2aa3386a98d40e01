import { redactDetails, redactIp } from './redact';

describe('redaction', () => {
  it('keeps the first IPv4 octet only', () => {
    expect(redactIp('192.168.1.20')).toBe('192.xxx.xxx.xxx');
    expect(redactIp('::ffff:10.1.2.3')).toBe('10.xxx.xxx.xxx');
    expect(redactIp('2001:db8::1')).toBe('2001:db8...');
    expect(redactIp(undefined)).toBeUndefined();
  });

  it('redacts secret-like keys at any depth', () => {
    const out = redactDetails({ a: 1, password: 'p', nested: [{ token: 't', ok: 'v' }], Plaintext: 'x', deep: { API_KEY: 'k' } });
    expect(out).toEqual({
      a: 1,
      password: '<redacted>',
      nested: [{ token: '<redacted>', ok: 'v' }],
      Plaintext: '<redacted>',
      deep: { API_KEY: '<redacted>' },
    });
  });
});
