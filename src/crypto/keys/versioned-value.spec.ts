import { formatVersioned, looksVersioned, parseVersioned } from './versioned-value';

describe('versioned values', () => {
  it('formats and parses mfn:v<N>:<payload>', () => {
    const s = formatVersioned(12, 'QUJD');
    expect(s).toBe('mfn:v12:QUJD');
    expect(parseVersioned(s)).toEqual({ version: 12, payload: 'QUJD' });
  });

  it('treats a value without prefix as unversioned', () => {
    expect(parseVersioned('QUJD')).toEqual({ payload: 'QUJD' });
    expect(looksVersioned('QUJD')).toBe(false);
  });

  it.each(['mfn:v0:QUJD', 'mfn:v01:QUJD', 'mfn:vx:QUJD', 'mfn:v1234567890:QUJD', 'mfn:1:QUJD'])(
    'does not parse a version out of %p',
    (s) => {
      expect(parseVersioned(s).version).toBeUndefined();
      expect(looksVersioned(s)).toBe(true);
    },
  );
});
