/** The default of the shared Redis the suites use. */
export const DEFAULT_TEST_REDIS_URL = 'redis://127.0.0.1:6379';

/** The shared Redis of the machine; MFN_TEST_REDIS_URL points the suites elsewhere. */
export const SHARED_REDIS_URL = process.env.MFN_TEST_REDIS_URL ?? DEFAULT_TEST_REDIS_URL;

/** `url` without its password, for messages. */
export function redactedRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(an unparsable URL)';
  }
}
