import { loadConfig } from '../config';
import { parseSecretList } from '../secrets/secret-list';
import { ApiKeyConfigError } from './api-key-entries';
import { readApiKeyEntries } from './api-key-source';

const LONG = 'l'.repeat(40);
const secretsOf = (values: Record<string, string>) => ({
  // eslint-disable-next-line security/detect-object-injection -- a fake secrets source over the test's own table
  getSecret: (name: string) => values[name],
  // eslint-disable-next-line security/detect-object-injection -- a fake secrets source over the test's own table
  getList: (name: string) => parseSecretList(name, values[name]),
});
const prod = loadConfig({ MFN_ENV: 'prod', MFN_API_KEY: LONG });

function problemsOf(values: Record<string, string>, config = prod): readonly string[] {
  try {
    readApiKeyEntries(secretsOf(values), config);
  } catch (err) {
    if (err instanceof ApiKeyConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('readApiKeyEntries', () => {
  it('names every bad entry at once: shape problems of both variables, then nothing about "no keys"', () => {
    const problems = problemsOf({ MFN_API_KEY: 'has space', MFN_API_KEYS: `a:${LONG}:nope,b:${LONG},c:d:e:f` });
    expect(problems).toEqual([
      'MFN_API_KEY: the key must be 1-256 printable ASCII characters without spaces (it could never be sent in X-API-Key)',
      'MFN_API_KEYS entry 1: unknown role (allowed: compute, crypto, keys, metrics, admin, keys-admin)',
      'MFN_API_KEYS entry 3: expected key, name:key or name:key:role1+role2',
    ]);
  });

  it('names every entry the prod rules refuse, in one numbered message', () => {
    let message = '';
    try {
      readApiKeyEntries(secretsOf({ MFN_API_KEYS: JSON.stringify({ keys: [{ key: 'short-one', id: 'ci' }, { key: LONG }, { key: 'your-api-key' }] }) }), prod);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe(
      '2 problems: (1) MFN_API_KEYS entry 1 (id ci) is shorter than 32 characters; prod requires at least 32; ' +
        '(2) MFN_API_KEYS entry 3 is a known placeholder value; generate a real key for prod',
    );
    expect(message).not.toContain('short-one');
  });

  it('returns the usable entries when nothing is wrong, and requires one only when keys are enforced', () => {
    expect(readApiKeyEntries(secretsOf({ MFN_API_KEY: LONG, MFN_API_KEYS: `ci:${LONG}` }), prod)).toHaveLength(1);
    expect(problemsOf({})).toEqual([expect.stringMatching(/^API key authentication is required but no API keys were provided/)]);
    expect(problemsOf({}, loadConfig({}))).toEqual([]);
  });
});
