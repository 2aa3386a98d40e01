import { sortKeys } from './openapi-file';

describe('sortKeys', () => {
  it('orders the keys of every nested object and keeps array order and scalars', () => {
    const sorted = sortKeys({ b: { z: 1, a: [{ y: null, x: 'x' }, 3, 'c', 'a'] }, a: true, _: 0 });
    expect(JSON.stringify(sorted)).toBe('{"_":0,"a":true,"b":{"a":[{"x":"x","y":null},3,"c","a"],"z":1}}');
  });

  it('returns scalars unchanged', () => {
    expect(sortKeys(null)).toBeNull();
    expect(sortKeys('text')).toBe('text');
    expect(sortKeys(1.5)).toBe(1.5);
  });
});
