import { readGolden } from '../../../test/helpers/golden';
import {
  BoxCountingError,
  BoxCountingOptions,
  boxCountingAnalysis,
  boxSizes,
  countOccupiedBoxes,
  effectiveMaxBoxSize,
  fractalDimension,
  geometricNodes,
  squareMaskFromRows,
} from './box-counting';

interface FractalCase {
  generator: string;
  N: number;
  params: Record<string, number>;
  estimator_kwargs: { min_box_size?: number; max_box_size?: number; num_scales?: number };
  occupied_cells: number;
  effective_max_box_size: number;
  box_sizes: number[];
  box_counts: (number | null)[];
  fit_used: boolean;
  fractal_dimension: number | null;
  error?: string;
  rows?: string[];
}

interface FractalGolden {
  xorshift32: { test_vectors: { seed: number; first_outputs: number[] }[] };
  default_parameter_cases: FractalCase[];
  non_default_parameter_cases: FractalCase[];
  error_cases: { case: string; estimator_kwargs: { num_scales?: number }; result: string }[];
  default_box_sizes_by_grid_size: { N_from: number; N_to: number; sizes: number[]; effective_max_box_size: number }[];
  geomspace_truncation_pitfalls: {
    cases: { min_box_size: number; max_box_size: number; num_scales: number; node_index: number; truncated_to: number }[];
  };
}

const golden = readGolden<FractalGolden>('fractal_dimension.json');

/** xorshift32 as the golden file defines it (one step per output). */
function* xorshift32(seed: number): Generator<number> {
  let x = seed >>> 0;
  for (;;) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    yield x;
  }
}

function hasDigitPair(i: number, j: number, predicate: (di: number, dj: number) => boolean): boolean {
  for (; i > 0 || j > 0; i = Math.floor(i / 3), j = Math.floor(j / 3)) if (predicate(i % 3, j % 3)) return true;
  return false;
}

/** The closed-form generators described in the golden file's `generators` section. */
function generateField(c: FractalCase): Uint8Array {
  const n = c.N;
  const p = c.params;
  const mask = new Uint8Array(n * n);
  const random = c.generator === 'xorshift' ? xorshift32(p.seed) : undefined;
  const threshold = Math.floor(p.density * 4294967296);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let on: boolean;
      switch (c.generator) {
        case 'empty': on = false; break;
        case 'full': on = true; break;
        case 'row': on = i === p.r; break;
        case 'column': on = j === p.c; break;
        case 'diagonal': on = i === j; break;
        case 'antidiagonal': on = i + j === n - 1; break;
        case 'disc': on = 4 * ((2 * i - n + 1) ** 2 + (2 * j - n + 1) ** 2) <= n * n; break;
        case 'pixel': on = i === p.i && j === p.j; break;
        case 'checkerboard': on = (i + j) % 2 === 0; break;
        case 'hlines': on = i % p.period === 0; break;
        case 'frame': on = i === 0 || j === 0 || i === n - 1 || j === n - 1; break;
        case 'sierpinski_carpet': on = !hasDigitPair(i, j, (a, b) => a === 1 && b === 1); break;
        case 'cantor_dust': on = !hasDigitPair(i, j, (a, b) => a === 1 || b === 1); break;
        case 'sierpinski_triangle': on = (i & j) === j; break;
        case 'xorshift': on = (random as Generator<number>).next().value < threshold; break;
        default: throw new Error(`unknown generator ${c.generator}`);
      }
      mask[i * n + j] = on ? 1 : 0;
    }
  }
  return mask;
}

function optionsOf(c: FractalCase): BoxCountingOptions {
  return {
    minBoxSize: c.estimator_kwargs.min_box_size,
    maxBoxSize: c.estimator_kwargs.max_box_size,
    numScales: c.estimator_kwargs.num_scales,
  };
}

function checkCase(c: FractalCase): void {
  const mask = generateField(c);
  expect(mask.reduce((s, x) => s + x, 0)).toBe(c.occupied_cells);
  const options = optionsOf(c);
  expect(boxSizes(c.N, options)).toEqual(c.box_sizes);
  expect(effectiveMaxBoxSize(c.N, options)).toBe(c.effective_max_box_size);
  if (c.error !== undefined) {
    // The reference crashed (IndexError); the sizes it could count still agree.
    expect(() => boxCountingAnalysis(mask, c.N, options)).toThrow(BoxCountingError);
    expect(c.box_sizes.map((size) => countOccupiedBoxes(mask, c.N, size))).toEqual(c.box_counts);
    return;
  }
  const result = boxCountingAnalysis(mask, c.N, options);
  expect(result.boxCounts).toEqual(c.box_counts);
  expect(result.fitUsed).toBe(c.fit_used);
  expect(Math.abs(result.dimension - (c.fractal_dimension as number))).toBeLessThanOrEqual(1e-9);
}

describe('box-counting dimension against the reference (fractal_dimension.json)', () => {
  it('reproduces the xorshift32 test vectors the fields are built from', () => {
    for (const v of golden.xorshift32.test_vectors) {
      const gen = xorshift32(v.seed);
      expect(v.first_outputs.map(() => gen.next().value)).toEqual(v.first_outputs);
    }
  });

  it('builds the same fields as the recorded rows of the default cases', () => {
    for (const c of golden.default_parameter_cases.filter((x) => x.rows)) {
      const fromRows = squareMaskFromRows((c.rows as string[]).map((r) => r.split('')));
      expect(fromRows.gridSize).toBe(c.N);
      expect(Array.from(generateField(c))).toEqual(Array.from(fromRows.mask));
    }
  });

  it.each(golden.default_parameter_cases.map((c, k) => [k, `${c.generator} N=${c.N} ${JSON.stringify(c.params)}`, c] as const))(
    'default case %d (%s): sizes and counts exact, D within 1e-9',
    (_k, _name, c) => checkCase(c),
  );

  it.each(
    golden.non_default_parameter_cases.map(
      (c, k) => [k, `${c.generator} N=${c.N} ${JSON.stringify(c.estimator_kwargs)}`, c] as const,
    ),
  )('non-default case %d (%s)', (_k, _name, c) => checkCase(c));

  it('uses the reference default sizes for every grid size (7, not 8, from N = 64)', () => {
    for (const row of golden.default_box_sizes_by_grid_size) {
      for (let n = row.N_from; n <= row.N_to; n++) {
        expect(boxSizes(n)).toEqual(row.sizes);
        expect(effectiveMaxBoxSize(n)).toBe(row.effective_max_box_size);
      }
    }
  });

  it('reproduces every geomspace truncation pitfall', () => {
    for (const p of golden.geomspace_truncation_pitfalls.cases) {
      const nodes = geometricNodes(p.min_box_size, p.max_box_size, p.num_scales);
      expect(nodes[p.node_index]).toBe(p.truncated_to);
    }
  });

  it('applies the six node-48 overrides where numpy truncates to 47', () => {
    expect(geometricNodes(3, 192, 4)).toContain(47);
    expect(geometricNodes(6, 96, 5)).toContain(47);
    expect(geometricNodes(6, 96, 9)).not.toContain(48);
  });

  it('refuses what the reference refused: non-square, 1-D, num_scales 0', () => {
    expect(golden.error_cases.map((e) => e.result)).toEqual(['ValueError', 'ValueError', 'ValueError']);
    expect(() => squareMaskFromRows([[1, 0, 1, 0, 1], [0, 1, 0, 1, 0], [1, 1, 1, 1, 1], [0, 0, 0, 0, 0]])).toThrow(BoxCountingError);
    expect(() => squareMaskFromRows([1, 0, 1, 1])).toThrow(BoxCountingError);
    expect(() => fractalDimension(new Uint8Array(64), 8, { numScales: 0 })).toThrow(BoxCountingError);
    expect(() => fractalDimension(new Uint8Array(63), 8)).toThrow(BoxCountingError);
    expect(() => fractalDimension(new Uint8Array(64), 8, { minBoxSize: 0 })).toThrow(BoxCountingError);
  });

  it('gives 0 for fewer than two occupied scales and can exceed 2 for full fields', () => {
    const single = new Uint8Array(64 * 64);
    single[0] = 1;
    // One pixel is one occupied box at every size: a constant count, slope ~0.
    expect(Math.abs(fractalDimension(single, 64))).toBeLessThan(1e-12);
    expect(fractalDimension(new Uint8Array(64 * 64), 64)).toBe(0);
    expect(fractalDimension(new Uint8Array(64).fill(1), 8)).toBeGreaterThan(2);
  });
});
