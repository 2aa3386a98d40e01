import { formatVersioned, parseVersioned } from './versioned-value';

describe('versioned values', () => {
  it('formats and parses mfn:v<N>:<payload>', () => {
    const s = formatVersioned(12, 'QUJD');
    expect(s).toBe('mfn:v12:QUJD');
    expect(parseVersioned(s)).toEqual({ kind: 'versioned', version: 12, payload: 'QUJD' });
  });

  it('tells a value without prefix apart', () => {
    expect(parseVersioned('QUJD')).toEqual({ kind: 'bare', payload: 'QUJD' });
  });

  it.each(['mfn:v0:QUJD', 'mfn:v01:QUJD', 'mfn:vx:QUJD', 'mfn:v1234567890:QUJD', 'mfn:1:QUJD'])(
    'reads %p as a malformed prefix, not as a version',
    (s) => {
      expect(parseVersioned(s)).toEqual({ kind: 'malformed' });
    },
  );
});
