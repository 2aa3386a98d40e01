import { AUTH_WINDOW_MS, ReplayGuard, timestampMs } from './replay-guard';

describe('ReplayGuard', () => {
  let now = 1_764_871_200_000;
  const clock = () => now;

  it('accepts a (key, timestamp, nonce) once within the window', () => {
    const guard = new ReplayGuard(clock);
    expect(guard.check('k', now, 'a')).toBe('ok');
    expect(guard.check('k', now, 'a')).toBe('replayed');
    expect(guard.check('k', now, 'b')).toBe('ok');
    expect(guard.check('other', now, 'a')).toBe('ok');
  });

  it('refuses timestamps outside ±5 minutes', () => {
    const guard = new ReplayGuard(clock);
    expect(guard.check('k', now - AUTH_WINDOW_MS - 1, '')).toBe('stale');
    expect(guard.check('k', now + AUTH_WINDOW_MS + 1, '')).toBe('stale');
  });

  it('forgets entries once they can no longer pass the window, and stays bounded', () => {
    const guard = new ReplayGuard(clock, 3, 3);
    for (const n of ['1', '2', '3']) expect(guard.check('k', now, n)).toBe('ok');
    expect(guard.check('k', now, '4')).toBe('busy');
    now += 2 * AUTH_WINDOW_MS + 1;
    expect(guard.check('k', now, '4')).toBe('ok');
    expect(guard.size).toBe(1);
  });

  it('remembers an entry stamped a window ahead until that timestamp is stale', () => {
    const guard = new ReplayGuard(clock);
    const ahead = now + AUTH_WINDOW_MS;
    expect(guard.check('k', ahead, 'f')).toBe('ok');
    now += 2 * AUTH_WINDOW_MS;
    // The timestamp is exactly at the window's edge: still valid, still a replay.
    expect(guard.check('k', ahead, 'f')).toBe('replayed');
    now += 1;
    expect(guard.check('k', ahead, 'f')).toBe('stale');
  });

  it('one key filling its share is refused alone; other keys still authenticate', () => {
    const guard = new ReplayGuard(clock, 100);
    for (let i = 0; i < 10; i++) expect(guard.check('greedy', now, String(i))).toBe('ok');
    expect(guard.check('greedy', now, 'more')).toBe('busy');
    expect(guard.check('modest', now, 'a')).toBe('ok');
    now += 2 * AUTH_WINDOW_MS + 1;
    expect(guard.check('greedy', now, 'more')).toBe('ok');
  });

  it('reads small timestamps as seconds', () => {
    expect(timestampMs(1_764_871_200)).toBe(1_764_871_200_000);
    expect(timestampMs(1_764_871_200_000)).toBe(1_764_871_200_000);
    expect(timestampMs('1')).toBeUndefined();
    expect(timestampMs(Number.NaN)).toBeUndefined();
    expect(timestampMs(-5)).toBeUndefined();
  });
});
