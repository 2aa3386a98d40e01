import { readGolden, relativeError } from '../../../test/helpers/golden';
import { nernstPotential } from './nernst';

interface NernstCase {
  z_valence: number;
  concentration_out_molar: number;
  concentration_in_molar: number;
  temperature_k: number | string;
  potential_V: number;
  potential_mV: number;
  http_request_valid?: boolean;
  http_potential_mV?: number | null;
  error?: string;
}

interface NernstGolden {
  constants: { RT_over_F_at_310K_mV: number };
  validation_cycle_constants: { nernst_numeric_mV: number };
  cases: NernstCase[];
  default_temperature_cases: NernstCase[];
  edge_cases_core_function_only: NernstCase[];
}

const golden = readGolden<NernstGolden>('nernst.json');
const TOLERANCE = 1e-12;

describe('nernstPotential against the reference (nernst.json)', () => {
  it('has the 400 documented cases', () => {
    expect(golden.cases).toHaveLength(400);
  });

  it('matches every case in volts and millivolts to 1e-12 relative', () => {
    for (const c of golden.cases) {
      const volts = nernstPotential(c.z_valence, c.concentration_out_molar, c.concentration_in_molar, c.temperature_k as number);
      expect(relativeError(volts, c.potential_V)).toBeLessThanOrEqual(TOLERANCE);
      expect(relativeError(volts * 1000, c.potential_mV)).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('matches every HTTP-valid case in the millivolts the endpoint returns', () => {
    const valid = golden.cases.filter((c) => c.http_request_valid);
    expect(valid.length).toBeGreaterThan(0);
    for (const c of valid) {
      const mV = nernstPotential(c.z_valence, c.concentration_out_molar, c.concentration_in_molar, c.temperature_k as number) * 1000;
      expect(relativeError(mV, c.http_potential_mV as number)).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('uses 310 K by default (ion cases)', () => {
    for (const c of golden.default_temperature_cases) {
      const volts = nernstPotential(c.z_valence, c.concentration_out_molar, c.concentration_in_molar);
      expect(relativeError(volts, c.potential_V)).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('clamps non-positive and tiny concentrations to 1e-6 M, and refuses z = 0, like the reference', () => {
    for (const c of golden.edge_cases_core_function_only) {
      const call = () => nernstPotential(c.z_valence, c.concentration_out_molar, c.concentration_in_molar, c.temperature_k as number);
      if (c.error !== undefined) {
        expect(call).toThrow(RangeError);
        continue;
      }
      const volts = call();
      expect(relativeError(volts, c.potential_V)).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('gives the potassium value reported by /validate', () => {
    expect(nernstPotential(1, 0.005, 0.14, 310) * 1000).toBe(golden.validation_cycle_constants.nernst_numeric_mV);
  });

  it('refuses a zero valence', () => {
    expect(() => nernstPotential(0, 0.1, 0.01)).toThrow(RangeError);
  });
});
