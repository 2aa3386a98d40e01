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
    const guard = new ReplayGuard(clock, 3);
    for (const n of ['1', '2', '3']) expect(guard.check('k', now, n)).toBe('ok');
    expect(guard.check('k', now, '4')).toBe('busy');
    now += AUTH_WINDOW_MS + 1;
    expect(guard.check('k', now, '4')).toBe('ok');
    expect(guard.size).toBe(1);
  });

  it('reads small timestamps as seconds', () => {
    expect(timestampMs(1_764_871_200)).toBe(1_764_871_200_000);
    expect(timestampMs(1_764_871_200_000)).toBe(1_764_871_200_000);
    expect(timestampMs('1')).toBeUndefined();
    expect(timestampMs(Number.NaN)).toBeUndefined();
    expect(timestampMs(-5)).toBeUndefined();
  });
});
