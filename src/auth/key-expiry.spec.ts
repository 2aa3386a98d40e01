import { EXPIRY_WARNING_MS, expiryState, parseExpiry } from './key-expiry';

describe('parseExpiry', () => {
  it('reads timestamps with Z or an offset as the instant they name', () => {
    expect(parseExpiry('2026-06-30T18:00:00Z')).toBe(Date.parse('2026-06-30T18:00:00Z'));
    expect(parseExpiry('2026-06-30T20:00:00+02:00')).toBe(Date.parse('2026-06-30T18:00:00Z'));
    expect(parseExpiry('2026-06-30T13:30-04:30')).toBe(Date.parse('2026-06-30T18:00:00Z'));
    expect(parseExpiry('2026-06-30T18:00:00.25Z')).toBe(Date.parse('2026-06-30T18:00:00.250Z'));
    expect(parseExpiry('2026-06-30T18:00:00.123456789Z')).toBe(Date.parse('2026-06-30T18:00:00.123Z'));
    expect(parseExpiry('2028-02-29T00:00:00Z')).toBe(Date.parse('2028-02-29T00:00:00Z'));
  });

  it('reads a date as the end of that UTC day: refused from midnight UTC of the next day', () => {
    expect(parseExpiry('2026-06-30')).toBe(Date.parse('2026-07-01T00:00:00Z'));
    expect(parseExpiry('2026-12-31')).toBe(Date.parse('2027-01-01T00:00:00Z'));
  });

  it.each([
    '2026-06-30T18:00:00', // no time zone: would depend on the host's zone
    '2026-06-30 18:00:00Z',
    '2026-06-30T24:00:00Z',
    '2026-06-30T18:60:00Z',
    '2026-06-30T18:00:60Z',
    '2026-06-30T18:00:00+24:00',
    '2026-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-6-30',
    '0099-01-01',
    '30/06/2026',
    'tomorrow',
    '',
    `2026-06-30T18:00:00.${'1'.repeat(40)}Z`,
  ])('refuses %j', (text) => {
    expect(parseExpiry(text)).toBeUndefined();
  });
});

describe('expiryState', () => {
  const at = Date.parse('2026-06-30T18:00:00Z');
  it('is expired from the instant on, expiring within 14 days before it, ok earlier', () => {
    expect(expiryState(at, at)).toBe('expired');
    expect(expiryState(at, at + 1)).toBe('expired');
    expect(expiryState(at, at - 1)).toBe('expiring');
    expect(expiryState(at, at - EXPIRY_WARNING_MS)).toBe('expiring');
    expect(expiryState(at, at - EXPIRY_WARNING_MS - 1)).toBe('ok');
  });
});
