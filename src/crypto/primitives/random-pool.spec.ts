import { RandomPool, randomNonce } from './random-pool';

describe('RandomPool', () => {
  it('hands out buffers of the asked size that never repeat', () => {
    const pool = new RandomPool();
    const seen = new Set<string>();
    // Several refills' worth of 12-byte nonces.
    for (let i = 0; i < 2000; i++) {
      const nonce = pool.take(12);
      expect(nonce).toHaveLength(12);
      const hex = nonce.toString('hex');
      expect(seen.has(hex)).toBe(false);
      seen.add(hex);
    }
  });

  it('returns independent copies (changing one does not change the next)', () => {
    const pool = new RandomPool();
    const a = pool.take(16);
    const copy = Buffer.from(a);
    a.fill(0);
    const b = pool.take(16);
    expect(b.equals(Buffer.alloc(16))).toBe(false);
    expect(copy.equals(Buffer.alloc(16))).toBe(false);
  });

  it('serves large requests straight from the CSPRNG', () => {
    const big = new RandomPool().take(5000);
    expect(big).toHaveLength(5000);
    // 5000 random bytes hold (with overwhelming probability) many distinct values.
    expect(new Set(big).size).toBeGreaterThan(200);
  });

  it('looks uniform: byte frequencies over many nonces stay near 1/256', () => {
    const counts = new Array<number>(256).fill(0);
    const n = 20000;
    for (let i = 0; i < n; i++) for (const byte of randomNonce(12)) counts[byte]++;
    const expected = (n * 12) / 256;
    // Chi-square with 255 degrees of freedom: mean 255, sd ≈ 22.6; 400 is > 6 sd out.
    const chi2 = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(400);
  });
});
