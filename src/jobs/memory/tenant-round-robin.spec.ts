import { TenantRoundRobin } from './tenant-round-robin';

describe('TenantRoundRobin', () => {
  it('serves the tenants in turn, each in FIFO order', () => {
    const q = new TenantRoundRobin();
    for (let i = 1; i <= 4; i++) q.push('a', `a${i}`);
    q.push('b', 'b1');
    q.push('c', 'c1');
    q.push('c', 'c2');
    const order: string[] = [];
    for (let id = q.next(); id !== undefined; id = q.next()) order.push(id);
    expect(order).toEqual(['a1', 'b1', 'c1', 'a2', 'c2', 'a3', 'a4']);
  });

  it('forgets removed jobs and empty tenants', () => {
    const q = new TenantRoundRobin();
    q.push('a', 'a1');
    q.push('a', 'a2');
    q.push('b', 'b1');
    q.remove('a', 'a1');
    q.remove('b', 'b1');
    expect(q.sizeOf('a')).toBe(1);
    expect(q.sizeOf('b')).toBe(0);
    expect(q.next()).toBe('a2');
    expect(q.next()).toBeUndefined();
  });
});
