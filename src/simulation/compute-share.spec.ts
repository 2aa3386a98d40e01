import { ComputeShare } from './compute-share';

describe('ComputeShare (in-flight compute tasks per caller)', () => {
  it('admits up to the limit per caller, then refuses that caller only', () => {
    const share = new ComputeShare(2);
    expect(share.tryAcquire('key:a')).toBeInstanceOf(Function);
    expect(share.tryAcquire('key:a')).toBeInstanceOf(Function);
    expect(share.tryAcquire('key:a')).toBeUndefined();
    expect(share.tryAcquire('key:b')).toBeInstanceOf(Function);
    expect({ a: share.inFlightOf('key:a'), b: share.inFlightOf('key:b'), total: share.total }).toEqual({ a: 2, b: 1, total: 3 });
  });

  it('gives a slot back once per release, however often release is called', () => {
    const share = new ComputeShare(1);
    const release = share.tryAcquire('ip:10.0.0.1');
    expect(share.tryAcquire('ip:10.0.0.1')).toBeUndefined();
    release?.();
    release?.();
    expect(share.inFlightOf('ip:10.0.0.1')).toBe(0);
    expect(share.total).toBe(0);
    const again = share.tryAcquire('ip:10.0.0.1');
    expect(again).toBeInstanceOf(Function);
    expect(share.total).toBe(1);
  });

  it('keeps entries only for callers with tasks in flight', () => {
    const share = new ComputeShare(3);
    const releases = Array.from({ length: 1000 }, (_, i) => share.tryAcquire(`ip:192.0.2.${i}`));
    expect(share.callers).toBe(1000);
    for (const release of releases) release?.();
    expect(share.callers).toBe(0);
    expect(share.total).toBe(0);
  });

  it('refuses a limit below one task', () => {
    expect(() => new ComputeShare(0)).toThrow(RangeError);
    expect(() => new ComputeShare(1.5)).toThrow(RangeError);
  });
});
