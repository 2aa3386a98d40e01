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

  it('keeps a key named __proto__ as a key of the copy, redacted inside like any other', () => {
    const out = redactDetails(JSON.parse('{"__proto__": {"password": "p", "ok": 1}, "b": 2}')) as object;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe('{"__proto__":{"password":"<redacted>","ok":1},"b":2}');
  });
});
