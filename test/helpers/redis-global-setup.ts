import IORedis from 'ioredis';
import { DEFAULT_TEST_REDIS_URL, SHARED_REDIS_URL, redactedRedisUrl } from './redis-url';

/**
 * Global setup of the e2e and resilience projects (jest.config.js): one PING to the shared Redis
 * before any suite runs. Without it a run fails with this one line (what is missing and how to
 * start it) instead of every Redis suite failing on its own with connection errors.
 */
export default async function requireSharedRedis(): Promise<void> {
  const problem = await pingRedis(SHARED_REDIS_URL);
  if (problem === undefined) return;
  // Only the message: a stack trace would point at this file, not at what is missing.
  const error = new Error(problem);
  error.stack = problem;
  throw error;
}

/** Why `url` cannot serve the suites, or undefined when it answers PING. */
async function pingRedis(url: string): Promise<string | undefined> {
  const shown = redactedRedisUrl(url);
  const source = process.env.MFN_TEST_REDIS_URL === undefined ? `the default; MFN_TEST_REDIS_URL overrides` : 'MFN_TEST_REDIS_URL';
  const redis = new IORedis(url, {
    lazyConnect: true,
    connectTimeout: 5_000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    // One attempt: the question is whether Redis answers now, not whether it comes up later.
    retryStrategy: () => null,
  });
  // Connection errors are the answer here; without a listener ioredis prints each one.
  redis.on('error', () => undefined);
  try {
    await redis.connect();
  } catch {
    return `Redis is not reachable at ${shown} (${source}): start one with \`${startCommand(url)}\``;
  }
  try {
    await redis.ping();
    return undefined;
  } catch (err) {
    return `Redis at ${shown} (${source}) refused the suites' connection: ${(err as Error).message}`;
  } finally {
    redis.disconnect();
  }
}

/** The command that starts a Redis where `url` points (its port, when not the default one). */
function startCommand(url: string): string {
  const port = portOf(url);
  return port === portOf(DEFAULT_TEST_REDIS_URL) ? 'redis-server --daemonize yes' : `redis-server --daemonize yes --port ${port}`;
}

function portOf(url: string): string {
  try {
    return new URL(url).port || '6379';
  } catch {
    return '6379';
  }
}
