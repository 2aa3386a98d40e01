import { parseSecretList } from './secret-list';
import { SecretFormatError } from './secrets.errors';

describe('parseSecretList', () => {
  it('splits on commas and newlines, trims, drops empties and keeps order', () => {
    expect(parseSecretList('MFN_API_KEYS', 'a,b , c\n d')).toEqual(['a', 'b', 'c', 'd']);
    expect(parseSecretList('MFN_API_KEYS', 'k1\r\nk2\r\n\r\n,, k3 ,\n')).toEqual(['k1', 'k2', 'k3']);
  });

  it('reads a JSON array, stringifying and trimming its items', () => {
    expect(parseSecretList('MFN_API_KEYS', ' ["x", " y ", ""] ')).toEqual(['x', 'y']);
    expect(parseSecretList('MFN_API_KEYS', '[{"key":"k","roles":["compute"]}, 7]')).toEqual([
      '{"key":"k","roles":["compute"]}',
      '7',
    ]);
  });

  it('returns an empty list for a missing or blank secret', () => {
    expect(parseSecretList('MFN_API_KEYS', undefined)).toEqual([]);
    expect(parseSecretList('MFN_API_KEYS', '  \n , ')).toEqual([]);
  });

  it('refuses a truncated JSON array instead of splitting it as CSV', () => {
    for (const raw of ['["sk-live-first-key", "sk-live-second', '["sk-live-only-key"', '[', ' [ "a", ']) {
      let message = '';
      try {
        parseSecretList('MFN_API_KEYS', raw);
      } catch (err) {
        expect(err).toBeInstanceOf(SecretFormatError);
        message = (err as Error).message;
      }
      expect(message).toBe("Secret 'MFN_API_KEYS' contains invalid JSON array");
      expect(message).not.toContain('sk-live');
    }
  });

  it('refuses a broken JSON array without quoting it', () => {
    const raw = '["sk-live-secret-value", ';
    const run = () => parseSecretList('MFN_API_KEYS', `${raw}]x]`);
    expect(run).toThrow(SecretFormatError);
    expect(run).toThrow("Secret 'MFN_API_KEYS' contains invalid JSON array");
    try {
      run();
    } catch (err) {
      expect((err as Error).message).not.toContain('sk-live');
    }
  });
});
