import type { Logger } from 'pino';
import { queueErrorLogger } from './queue-error-log';

describe('queueErrorLogger', () => {
  it('writes the first error at once, then at most one line per 10 s with the count left out, and only the error code', () => {
    const lines: Record<string, unknown>[] = [];
    const log = { warn: (fields: Record<string, unknown>) => void lines.push(fields) } as unknown as Logger;
    let now = 1_000;
    const onError = queueErrorLogger(log, 'worker', () => now);
    onError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }));
    for (let i = 0; i < 50; i++) {
      now += 100;
      onError(new Error('Connection is closed.'));
    }
    now += 6_000;
    onError(new Error('Connection is closed.'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({ component: 'worker', code: 'ECONNREFUSED', errors_not_logged: 0 });
    expect(lines[1]).toEqual({ component: 'worker', code: 'Error', errors_not_logged: 50 });
    expect(JSON.stringify(lines)).not.toMatch(/127\.0\.0\.1|\bat /);
  });
});
