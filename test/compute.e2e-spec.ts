import request from 'supertest';
import { readGolden } from './helpers/golden';
import { TestApp, createTestApp } from './helpers/test-app';

/** Happy paths and every bad-input path of the four compute endpoints, through the real app. */
jest.setTimeout(60_000);

interface Envelope {
  error_code: string;
  message: string;
  detail: string;
  request_id: string;
  timestamp: string;
  details?: { field: string; message: string; value?: unknown }[];
}

function expectEnvelope(res: request.Response, status: number, code: string): Envelope {
  expect(res.status).toBe(status);
  const body = res.body as Envelope;
  expect(body.error_code).toBe(code);
  expect(typeof body.message).toBe('string');
  expect(body.detail).toBe(body.message);
  expect(body.request_id).toBe(res.headers['x-request-id']);
  expect(Number.isNaN(Date.parse(body.timestamp))).toBe(false);
  // Nothing internal leaks into an error.
  expect(JSON.stringify(body)).not.toMatch(/at .+\.(js|ts):\d+|node_modules|RangeError|TypeError|\/dist\//);
  return body;
}

function expectValidationError(res: request.Response, field: string): void {
  const body = expectEnvelope(res, 422, 'VALIDATION_ERROR');
  expect(body.details?.map((d) => d.field)).toContain(field);
}

describe('compute endpoints (e2e)', () => {
  let t: TestApp;
  // A real listener: supertest would otherwise open and close one per request, which resets
  // connections when requests overlap.
  let base: string;

  beforeAll(async () => {
    t = await createTestApp({ MFN_COMPUTE_WORKERS: '2' });
    base = await t.listen();
  });

  afterAll(async () => {
    await t.close();
  });

  const post = (path: string, body: unknown) => request(base).post(path).send(body as object);

  describe('POST /simulate', () => {
    it('answers the defaults with the reference fields plus active_fraction', async () => {
      const res = await post('/simulate', {}).expect(200);
      expect(Object.keys(res.body).sort()).toEqual(
        ['active_fraction', 'fractal_dimension', 'growth_events', 'pot_max_mV', 'pot_mean_mV', 'pot_min_mV', 'pot_std_mV'].sort(),
      );
      expect(Number.isInteger(res.body.growth_events)).toBe(true);
      expect(res.body.pot_min_mV).toBeLessThan(res.body.pot_mean_mV);
      expect(res.body.pot_mean_mV).toBeLessThan(res.body.pot_max_mV);
      expect(res.body.pot_mean_mV).toBeGreaterThan(-71);
      expect(res.body.pot_mean_mV).toBeLessThan(-69);
      // The documented reference behaviour: nothing above -60 mV, so the dimension is 0.
      expect(res.body.fractal_dimension).toBe(0);
      expect(res.body.active_fraction).toBe(0);
    });

    it('gives a byte-identical response for the same seed and a different one for another seed', async () => {
      const body = { seed: 1234, grid_size: 48, steps: 120, spike_probability: 0.6 };
      const a = await post('/simulate', body).expect(200);
      const b = await post('/simulate', body).expect(200);
      const c = await post('/simulate', { ...body, seed: 1235 }).expect(200);
      expect(b.text).toBe(a.text);
      expect(c.text).not.toBe(a.text);
    });

    it('reports a dimension once cells cross a lower threshold_mV', async () => {
      const res = await post('/simulate', { threshold_mV: -70 }).expect(200);
      expect(res.body.active_fraction).toBeGreaterThan(0.2);
      expect(res.body.active_fraction).toBeLessThan(0.8);
      expect(res.body.fractal_dimension).toBeGreaterThan(1.5);
    });

    it('accepts alpha above the stability bound and shows the clamped checkerboard', async () => {
      const res = await post('/simulate', { alpha: 0.3 }).expect(200);
      expect(res.body.pot_min_mV).toBe(-95);
      expect(res.body.pot_max_mV).toBe(40);
      expect(res.body.fractal_dimension).toBeCloseTo(1.9993, 4);
    });

    it('ignores unknown fields and accepts the range limits', async () => {
      await post('/simulate', { grid_size: 8, steps: 1, alpha: 0, spike_probability: 1, seed: 4294967295, color: 'red' }).expect(200);
      await post('/simulate', { grid_size: 256, steps: 1, alpha: 1, spike_probability: 0, turing_enabled: false }).expect(200);
    });

    it.each([
      ['grid_size', 7],
      ['grid_size', 257],
      ['grid_size', 64.5],
      ['grid_size', '64'],
      ['steps', 0],
      ['steps', 1001],
      ['alpha', -0.01],
      ['alpha', 1.01],
      ['alpha', 'fast'],
      ['spike_probability', 1.5],
      ['turing_enabled', 'yes'],
      ['seed', -1],
      ['seed', 4294967296],
      ['seed', null],
      ['threshold_mV', -96],
      ['threshold_mV', 41],
    ])('answers 422 for %s = %p', async (field, value) => {
      expectValidationError(await post('/simulate', { [field]: value }), `body.${field}`);
    });

    it('answers 422 for a body that is not an object, 400 for malformed JSON, 415 for other media types', async () => {
      expectEnvelope(await post('/simulate', [1, 2]), 422, 'VALIDATION_ERROR');
      expectEnvelope(await request(base).post('/simulate').set('Content-Type', 'application/json').send('{"seed":'), 400, 'INVALID_REQUEST');
      expectEnvelope(await request(base).post('/simulate').set('Content-Type', 'text/plain').send('seed=1'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('keeps the general body limit (413) on /simulate', async () => {
      const padding = 'x'.repeat(2 * 1024 * 1024 + 10);
      expectEnvelope(await post('/simulate', { padding }), 413, 'PAYLOAD_TOO_LARGE');
    });
  });

  describe('POST /validate', () => {
    it('answers the defaults with every reference field', async () => {
      const res = await post('/validate', {}).expect(200);
      expect(Object.keys(res.body).sort()).toEqual(
        [
          'example_fractal_dim',
          'growth_events',
          'loss_drop',
          'loss_final',
          'loss_start',
          'lyapunov_exponent',
          'nernst_numeric_mV',
          'nernst_symbolic_mV',
          'pot_max_mV',
          'pot_min_mV',
        ].sort(),
      );
      expect(res.body.nernst_symbolic_mV).toBe(-89.01066911987905);
      expect(res.body.nernst_numeric_mV).toBe(-89.01066911987907);
      expect(res.body.example_fractal_dim).toBe(0);
      expect(res.body.loss_drop).toBeCloseTo(res.body.loss_start - res.body.loss_final, 12);
      expect(res.body.lyapunov_exponent).toBeGreaterThan(2 * Math.log(0.2));
      expect(res.body.lyapunov_exponent).toBeLessThan(2 * Math.log(0.5));
    });

    it('is reproducible for a seed', async () => {
      const a = await post('/validate', { seed: 7, grid_size: 16, steps: 10 }).expect(200);
      const b = await post('/validate', { seed: 7, grid_size: 16, steps: 10 }).expect(200);
      expect(b.text).toBe(a.text);
    });

    it('runs several epochs with a batch that does not divide 16, and with jitter', async () => {
      const res = await post('/validate', { epochs: 3, batch_size: 5, grid_size: 8, steps: 5, quantum_jitter: true, turing_enabled: false }).expect(200);
      expect(Number.isFinite(res.body.loss_final)).toBe(true);
      // Jitter pushes most cells above -60 mV.
      expect(res.body.pot_max_mV).toBeGreaterThan(-60);
    });

    it.each([
      ['epochs', 0],
      ['epochs', 101],
      ['batch_size', 0],
      ['batch_size', 65],
      ['grid_size', 7],
      ['steps', 1001],
      ['turing_enabled', 1],
      ['quantum_jitter', 'no'],
      ['seed', 1.5],
    ])('answers 422 for %s = %p', async (field, value) => {
      expectValidationError(await post('/validate', { [field]: value }), `body.${field}`);
    });
  });

  describe('POST /federated/aggregate', () => {
    interface HttpCase {
      name: string;
      request: { gradients: number[][]; num_clusters: number; byzantine_fraction: number };
      response?: { aggregated_gradient: number[]; num_input_gradients: number } | null;
      http_status?: number;
    }
    const golden = readGolden<{ http_num_clusters_1_cases: HttpCase[] }>('krum.json');

    it('answers the documented example', async () => {
      const res = await post('/federated/aggregate', { gradients: [[1, 2], [1.1, 2.1], [1.2, 2.2]] }).expect(200);
      expect(res.body).toEqual({ aggregated_gradient: [1, 2], num_input_gradients: 3 });
    });

    it.each(golden.http_num_clusters_1_cases.filter((c) => c.response).map((c) => [c.name, c] as const))(
      'matches the reference float32 output exactly: %s',
      async (_name, c) => {
        const res = await post('/federated/aggregate', c.request).expect(200);
        expect(res.body).toEqual(c.response);
      },
    );

    it('fixes the reference defects: ragged rows 400 (was 500), byzantine_fraction 0.5 422 (was 400), empty list 400', async () => {
      const byName = (name: string) => golden.http_num_clusters_1_cases.find((c) => c.name.startsWith(name)) as HttpCase;
      expect(byName('ragged').http_status).toBe(500);
      expectEnvelope(await post('/federated/aggregate', byName('ragged').request), 400, 'INVALID_REQUEST');
      expectValidationError(await post('/federated/aggregate', byName('byzantine_fraction 0.5').request), 'body.byzantine_fraction');
      const empty = expectEnvelope(await post('/federated/aggregate', byName('empty').request), 400, 'INVALID_REQUEST');
      expect(empty.message).toBe('No gradients provided');
    });

    it('is reproducible: the same seed (or the default seed) gives the same answer', async () => {
      const gradients = Array.from({ length: 60 }, (_, i) => [Math.sin(i), Math.cos(3 * i), (i % 7) / 7]);
      const a = await post('/federated/aggregate', { gradients, num_clusters: 6 }).expect(200);
      const b = await post('/federated/aggregate', { gradients, num_clusters: 6 }).expect(200);
      expect(b.text).toBe(a.text);
      const seeds = await Promise.all([1, 2, 3, 4, 5].map((seed) => post('/federated/aggregate', { gradients, num_clusters: 6, seed })));
      const answers = new Set(seeds.map((r) => JSON.stringify(r.body.aggregated_gradient)));
      expect(answers.size).toBeGreaterThan(1);
      const again = await post('/federated/aggregate', { gradients, num_clusters: 6, seed: 3 }).expect(200);
      expect(again.text).toBe(seeds[2].text);
    });

    it.each([
      ['no gradients field', {}, 422],
      ['gradients not an array', { gradients: 'x' }, 422],
      ['a flat list', { gradients: [1, 2, 3] }, 422],
      ['a string value', { gradients: [[1, 'a']] }, 422],
      ['a null value', { gradients: [[1, null]] }, 422],
      ['an empty row', { gradients: [[]] }, 400],
      ['a value beyond float32', { gradients: [[1, 2], [1e39, 2]] }, 400],
      ['num_clusters 0', { gradients: [[1]], num_clusters: 0 }, 422],
      ['num_clusters 1001', { gradients: [[1]], num_clusters: 1001 }, 422],
      ['num_clusters 2.5', { gradients: [[1]], num_clusters: 2.5 }, 422],
      ['byzantine_fraction -0.1', { gradients: [[1]], byzantine_fraction: -0.1 }, 422],
      ['byzantine_fraction 0.5', { gradients: [[1]], byzantine_fraction: 0.5 }, 422],
      ['seed -1', { gradients: [[1]], seed: -1 }, 422],
    ])('rejects %s', async (_name, body, status) => {
      expectEnvelope(await post('/federated/aggregate', body), status, status === 422 ? 'VALIDATION_ERROR' : 'INVALID_REQUEST');
    });

    it('rejects a JSON number that overflows to Infinity (1e400) with 400', async () => {
      const res = await request(base)
        .post('/federated/aggregate')
        .set('Content-Type', 'application/json')
        .send('{"gradients":[[1,2],[1e400,2]]}');
      expectEnvelope(res, 400, 'INVALID_REQUEST');
    });

    it('does not echo gradient values in validation errors', async () => {
      const res = await post('/federated/aggregate', { gradients: [[1, 'secret-ish']] });
      expect(res.text).not.toContain('secret-ish');
    });

    it('accepts bodies above the general limit (200 x 1000) and bounds n x d (413)', async () => {
      const big = Array.from({ length: 200 }, (_, i) => Array.from({ length: 1000 }, (_, j) => ((i * 31 + j * 17) % 1000) / 997 - 0.5));
      const text = JSON.stringify({ gradients: big });
      expect(text.length).toBeGreaterThan(2 * 1024 * 1024);
      const res = await request(base).post('/federated/aggregate').set('Content-Type', 'application/json').send(text).expect(200);
      expect(res.body.aggregated_gradient).toHaveLength(1000);
      expect(res.body.num_input_gradients).toBe(200);

      const tooMany = Array.from({ length: 10_001 }, () => [0]);
      expectEnvelope(await post('/federated/aggregate', { gradients: tooMany }), 413, 'PAYLOAD_TOO_LARGE');
      const tooWide = [Array.from({ length: 2_000_001 }, () => 0)];
      expectEnvelope(await post('/federated/aggregate', { gradients: tooWide }), 413, 'PAYLOAD_TOO_LARGE');
    });

    it('answers 413 above MFN_AGGREGATE_MAX_BYTES', async () => {
      const small = await createTestApp({ MFN_AGGREGATE_MAX_BYTES: '4096', MFN_COMPUTE_WORKERS: '1' });
      try {
        const rows = (n: number) => ({ gradients: Array.from({ length: n }, () => [0.123456, 0.654321, 0.111111]) });
        expect(JSON.stringify(rows(100)).length).toBeLessThan(4096);
        await request(small.server).post('/federated/aggregate').send(rows(100)).expect(200);
        expect(JSON.stringify(rows(200)).length).toBeGreaterThan(4096);
        expectEnvelope(await request(small.server).post('/federated/aggregate').send(rows(200)), 413, 'PAYLOAD_TOO_LARGE');
      } finally {
        await small.close();
      }
    });
  });

  describe('POST /nernst', () => {
    it('answers the potassium example', async () => {
      const res = await post('/nernst', { concentration_out_molar: 0.005, concentration_in_molar: 0.14 }).expect(200);
      expect(res.body).toEqual({ potential_mV: -89.01066911987907 });
    });

    it('answers 500 NUMERICAL_INSTABILITY for a non-finite result', async () => {
      expectEnvelope(await post('/nernst', { concentration_out_molar: 1e308, concentration_in_molar: 1e-308 }), 500, 'NUMERICAL_INSTABILITY');
    });

    it.each([
      ['z_valence', 0],
      ['z_valence', 4],
      ['temperature_k', 272],
      ['concentration_out_molar', 0],
      ['concentration_in_molar', -1],
    ])('answers 422 for %s = %p', async (field, value) => {
      expectValidationError(await post('/nernst', { concentration_out_molar: 0.1, concentration_in_molar: 0.1, [field]: value }), `body.${field}`);
    });
  });
});
