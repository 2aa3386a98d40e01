import { MAX_JSON_DEPTH, exceedsJsonDepth } from './json-body.middleware';

describe('exceedsJsonDepth', () => {
  const arrays = (levels: number): unknown => (levels === 0 ? 1 : [arrays(levels - 1)]);

  it('counts objects and arrays, not scalars', () => {
    expect(exceedsJsonDepth(1, 0)).toBe(false);
    expect(exceedsJsonDepth('x', 0)).toBe(false);
    expect(exceedsJsonDepth(null, 0)).toBe(false);
    expect(exceedsJsonDepth({}, 1)).toBe(false);
    expect(exceedsJsonDepth({}, 0)).toBe(true);
    expect(exceedsJsonDepth({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(exceedsJsonDepth({ a: [{ b: 1 }] }, 2)).toBe(true);
  });

  it('finds the deep branch among wide, shallow ones', () => {
    const body = { gradients: Array.from({ length: 1_000 }, () => [1, 2, 3]), nested: { x: arrays(40) } };
    expect(exceedsJsonDepth(body, MAX_JSON_DEPTH)).toBe(true);
    expect(exceedsJsonDepth({ gradients: body.gradients }, MAX_JSON_DEPTH)).toBe(false);
  });

  it('stops at the limit in a 100,000-level body, without recursion', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(exceedsJsonDepth(deep, MAX_JSON_DEPTH)).toBe(true);
  });
});
