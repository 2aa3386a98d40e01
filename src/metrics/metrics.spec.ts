import { normaliseExposition } from './metrics.controller';
import { bearerTokenOf, tokensMatch } from './metrics-token.guard';
import { httpMethodLabel } from './metrics.service';

describe('bearerTokenOf', () => {
  it.each([
    ['Bearer abc.DEF-123', 'abc.DEF-123'],
    ['bearer abc', 'abc'],
    ['BEARER \tabc  ', 'abc'],
  ])('reads %j', (header, token) => {
    expect(bearerTokenOf(header)).toBe(token);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['the scheme alone', 'Bearer'],
    ['the scheme and a space', 'Bearer '],
    ['another scheme', 'Basic abc'],
    ['a bare token', 'abc'],
    ['two words', 'Bearer a b'],
    ['a repeated header', ['Bearer a', 'Bearer b']],
    ['an over-long header', `Bearer ${'x'.repeat(5000)}`],
  ])('finds no token in %s', (_what, header) => {
    expect(bearerTokenOf(header)).toBeUndefined();
  });
});

describe('tokensMatch', () => {
  it('accepts only the identical token, whatever the lengths', () => {
    expect(tokensMatch('s3cret-token', 's3cret-token')).toBe(true);
    expect(tokensMatch('s3cret-token', 's3cret-tokeN')).toBe(false);
    expect(tokensMatch('s3cret', 's3cret-token')).toBe(false);
    expect(tokensMatch('', 's3cret-token')).toBe(false);
  });
});

describe('httpMethodLabel', () => {
  it('keeps the usual methods and folds the rest into OTHER', () => {
    expect(['get', 'POST', 'Options'].map(httpMethodLabel)).toEqual(['GET', 'POST', 'OPTIONS']);
    expect(['PROPFIND', 'M-SEARCH', '', undefined].map(httpMethodLabel)).toEqual(['OTHER', 'OTHER', 'OTHER', 'OTHER']);
  });
});

describe('normaliseExposition', () => {
  it('spells NaN sample values as the text format requires and leaves everything else alone', () => {
    const raw = '# HELP x Nan is not a number\n# TYPE x gauge\nx Nan\ny{a="Nan"} 1\nz Nan\n';
    expect(normaliseExposition(raw)).toBe('# HELP x Nan is not a number\n# TYPE x gauge\nx NaN\ny{a="Nan"} 1\nz NaN\n');
  });
});
